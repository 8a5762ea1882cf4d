#!/usr/bin/env bash
# The verify jobs of deploy-backend.yml and rollback.yml: HEALTH_CHECK_URL must answer 200 and each line of
# SMOKE_URLS (`URL STATUS`; blank lines and # comments skipped) its status, each tried ATTEMPTS times RETRY_SECONDS
# apart (a URL and status named twice is checked once). A table goes to the job summary, each failure is an error
# annotation, and any failure exits 1. AFTER names what was verified ("The deploy", "The rollback").
set -eo pipefail

: "${ATTEMPTS:=3}" "${RETRY_SECONDS:=5}" "${AFTER:=The deploy}"
failed=0
echo "| URL | expected | got |" >> "$GITHUB_STEP_SUMMARY"
echo "| --- | --- | --- |" >> "$GITHUB_STEP_SUMMARY"

check() {
  local url=$1 expected=$2 code=000 attempt
  for (( attempt = 1; attempt <= ATTEMPTS; attempt++ )); do
    code=$(curl --silent --output /dev/null --write-out '%{http_code}' --max-time 10 -- "$url" || true)
    [[ "$code" == "$expected" ]] && break
    (( attempt < ATTEMPTS )) && sleep "$RETRY_SECONDS"
  done
  echo "| $url | $expected | $code |" >> "$GITHUB_STEP_SUMMARY"
  if [[ "$code" != "$expected" ]]; then
    echo "::error title=Smoke check failed::$url answered $code, expected $expected"
    failed=1
    return 1
  fi
  echo "$url -> $code"
}

checks="$SMOKE_URLS"
[[ -n "$HEALTH_CHECK_URL" ]] && checks="$HEALTH_CHECK_URL 200"$'\n'"$checks"
declare -A seen=()
while read -r url status extra; do
  [[ -z "$url" || "$url" == \#* ]] && continue
  if [[ "$url" =~ ^https?://[^[:space:]]+$ && "$status" =~ ^[1-5][0-9][0-9]$ && -z "$extra" ]]; then
    [[ -n "${seen["$url $status"]:-}" ]] && continue
    seen["$url $status"]=1
    check "$url" "$status" || true
  else
    echo "::error title=Invalid input::Input 'smoke-urls' lines must be 'URL STATUS'"
    failed=1
  fi
done <<<"$checks"
if (( failed )); then
  echo "::error title=Verification failed::$AFTER finished but the checks above failed: consider the rollback workflow"
  exit 1
fi
