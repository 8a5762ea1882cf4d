#!/usr/bin/env bash
# The deploy job of deploy-frontend.yml, always: the outcome of the up to three attempts (OUTCOMES, e.g. "failure success
# skipped") and what was deployed, in the job summary. Values from a dispatch are shown only when well-formed.
set -eo pipefail

read -r -a outcome <<<"$OUTCOMES"
result=failed attempts=0
for o in "${outcome[@]}"; do
  [[ "$o" == skipped ]] && break
  attempts=$(( attempts + 1 ))
  if [[ "$o" == success ]]; then result=succeeded; break; fi
done
{
  echo "### Frontend deploy $result"
  echo "| | |"
  echo "| --- | --- |"
  echo "| **Commit** | \`$SHA\` ($REF) |"
  echo "| **Attempts** | $attempts of 3 |"
  [[ "$CORRELATION_ID" =~ ^[A-Za-z0-9._-]{1,100}$ ]] && echo "| **Correlation id** | \`$CORRELATION_ID\` |"
  [[ "$BACKEND_SHA" =~ ^[0-9a-f]{40}$ ]] && echo "| **Backend commit** | \`$BACKEND_SHA\` |"
  run_url="^${SERVER_URL//./\\.}/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+/actions/runs/[0-9]+(/attempts/[0-9]+)?$"
  [[ "$BACKEND_RUN_URL" =~ $run_url ]] && echo "| **Backend run** | $BACKEND_RUN_URL |"
  true
} >> "$GITHUB_STEP_SUMMARY"
echo "Frontend deploy $result after $attempts attempt(s)"
