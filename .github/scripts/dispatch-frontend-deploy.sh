#!/usr/bin/env bash
# Sends deploy-production to the frontend repository and waits for that run, which it finds by the correlation id in
# its run-name. The frontend jobs of deploy-backend.yml and rollback.yml run it from the suite checkout.
#
# The payload carries the backend commit as `backend_sha` and, for the client repository's current workflow, `commit`.
# Reads GH_TOKEN, FRONTEND_REPOSITORY, FRONTEND_WORKFLOW, FRONTEND_REF, BACKEND_SHA, RUN_URL, CORRELATION_ID,
# WAIT_MINUTES and POLL_SECONDS; BUDGET_MINUTES (optional) caps the wait, TOKEN_HINT (optional) ends the error for a
# missing token. Writes the `run-url` output and the outcome to the job summary. Exit 0 only when the run succeeded.
set -eo pipefail

if [[ -z "$GH_TOKEN" ]]; then
  echo "::error title=Missing secret::Secret 'frontend-dispatch-token' is needed to trigger the frontend deploy${TOKEN_HINT}"
  exit 1
fi
if [[ -n "$BUDGET_MINUTES" ]] && (( WAIT_MINUTES > BUDGET_MINUTES )); then
  WAIT_MINUTES=$BUDGET_MINUTES
fi

since=$(date -u -d '-2 minutes' +%Y-%m-%dT%H:%M:%SZ)
jq -n --arg ref "$FRONTEND_REF" --arg sha "$BACKEND_SHA" --arg url "$RUN_URL" --arg id "$CORRELATION_ID" \
  '{event_type: "deploy-production", client_payload: {ref: $ref, backend_sha: $sha, commit: $sha, run_url: $url, correlation_id: $id}}' \
  | gh api --method POST "repos/$FRONTEND_REPOSITORY/dispatches" --input - > /dev/null
echo "Dispatched deploy-production to $FRONTEND_REPOSITORY at $FRONTEND_REF (correlation id $CORRELATION_ID)"

deadline=$(( $(date +%s) + WAIT_MINUTES * 60 ))
run_id='' run_url=''
while (( $(date +%s) < deadline )); do
  if [[ -z "$run_id" ]]; then
    found=$(gh api --method GET "repos/$FRONTEND_REPOSITORY/actions/workflows/$FRONTEND_WORKFLOW/runs" \
      -f event=repository_dispatch -f "created=>=$since" -f per_page=50 \
      | jq -r --arg id "$CORRELATION_ID" 'first(.workflow_runs[] | select(.display_title | contains($id))) | "\(.id) \(.html_url)"') || found=''
    if [[ -n "$found" ]]; then
      read -r run_id run_url <<<"$found"
      echo "run-url=$run_url" >> "$GITHUB_OUTPUT"
      echo "Frontend run: $run_url"
    fi
  else
    # A failed poll (network, rate limit) leaves status empty: the loop polls again.
    read -r status conclusion < <(gh api "repos/$FRONTEND_REPOSITORY/actions/runs/$run_id" | jq -r '"\(.status) \(.conclusion // "none")"') || true
    if [[ "$status" == completed ]]; then
      echo "### Frontend deploy at $FRONTEND_REF: $conclusion" >> "$GITHUB_STEP_SUMMARY"
      echo "[$FRONTEND_REPOSITORY run]($run_url), correlation id \`$CORRELATION_ID\`" >> "$GITHUB_STEP_SUMMARY"
      if [[ "$conclusion" == success ]]; then
        echo "The frontend deploy at $FRONTEND_REF succeeded"
        exit 0
      fi
      echo "::error title=Frontend deploy failed::The frontend run ended with '$conclusion': $run_url"
      exit 1
    fi
  fi
  sleep "$POLL_SECONDS"
done
if [[ -z "$run_id" ]]; then
  echo "::error title=Frontend deploy not found::No $FRONTEND_WORKFLOW run with '$CORRELATION_ID' in its name started within $WAIT_MINUTES minutes"
else
  echo "::error title=Frontend deploy timed out::$run_url did not finish within $WAIT_MINUTES minutes"
fi
exit 1
