#!/usr/bin/env bash
# Starts the frontend repository's deploy workflow (FRONTEND_WORKFLOW on FRONTEND_BRANCH) by workflow_dispatch, which
# needs only Actions: write, and waits for that run. The run is found by exact match: its run-name holds, as one whole
# word, a correlation id made here of CORRELATION_PREFIX and 128 random bits, so nobody can start a run that would be
# taken for it before the dispatch, nor guess it. The frontend jobs of deploy-backend.yml and rollback.yml run it from
# the suite checkout, after check-frontend-credentials.sh.
#
# The inputs sent: ref (FRONTEND_REF, the commit to deploy), correlation-id, backend-sha, backend-run-url.
# Reads GH_TOKEN, FRONTEND_REPOSITORY, FRONTEND_WORKFLOW, FRONTEND_BRANCH, FRONTEND_REF, BACKEND_SHA, RUN_URL,
# CORRELATION_PREFIX, WAIT_MINUTES, APPROVAL_WAIT_MINUTES and POLL_SECONDS. Writes the `run-url` and `correlation-id`
# outputs and the outcome to the job summary.
# Exit 0 only when the run succeeded. A refused call (401/403/404) ends the wait at once, naming the permission the
# token lacks; other failed polls (network, rate limit, 5xx) are polled again. When the wait gives up (its timeout, or
# the job is cancelled), the run is cancelled, or the summary says plainly that it may still deploy.
#
# Two clocks: WAIT_MINUTES is charged with all the time from the dispatch except the time the run is seen `waiting`
# (a deployment protection rule of the frontend's environment: a required reviewer, a wait timer); that time is
# charged to APPROVAL_WAIT_MINUTES instead. The time between two polls goes to the clock of the status the later one saw.
set -eo pipefail

repo=$FRONTEND_REPOSITORY
run_id='' run_url=''

# gh api "$@": the body in $body; on failure $http (the HTTP status gh reports, 000 without one) and $why.
api() {
  local err
  err=$(mktemp)
  if body=$(gh api "$@" 2>"$err"); then
    rm -f "$err"
    return 0
  fi
  http=$(grep -oE 'HTTP [0-9]{3}' "$err" | tail -n 1 | tr -dc '0-9')
  http=${http:-000}
  why=$(tr '\n' ' ' <"$err" | cut -c1-200)
  rm -f "$err"
  return 1
}

summary() { echo "$1" >> "$GITHUB_STEP_SUMMARY"; }

now() { date +%s; }
minutes() { echo "$(( ($1 + 59) / 60 ))"; }

# Ends the step: a summary line, one error annotation, exit 1.
finish_failed() {
  summary "### Frontend deploy at $FRONTEND_REF: $1"
  summary "$2"
  echo "::error title=$1::$2"
  exit 1
}

# The permission a refused call lacks, in words.
refused() {
  case "$http" in
    401) echo "the token was refused (HTTP 401): it is invalid or expired" ;;
    403) echo "the token lacks $1 on $repo (HTTP 403)" ;;
    404) echo "$repo or its $FRONTEND_WORKFLOW is not visible to the token (HTTP 404): it needs $1 on $repo, and the workflow file must exist" ;;
  esac
}

# Cancels the dispatched run; when it cannot, $reason says why.
cancel_run() {
  api --method POST "repos/$repo/actions/runs/$run_id/cancel" > /dev/null && return 0
  reason=$why
  [[ "$http" =~ ^(401|403|404)$ ]] && reason=$(refused 'Actions: write')
  return 1
}

# The job was cancelled (the runner sends SIGINT, then SIGTERM): cancel the frontend run too, or say it may go on.
on_cancel() {
  trap - INT TERM
  # The poll's sleep runs in the background: it must not outlive the step, holding the step's output open.
  jobs -p | xargs -r kill 2>/dev/null || true
  if [[ -z "$run_id" ]]; then
    finish_failed 'Frontend wait cancelled' "The job was cancelled before the frontend run appeared; $still_may_deploy"
  fi
  if cancel_run; then
    finish_failed 'Frontend wait cancelled' "The job was cancelled, and so was $run_url"
  fi
  finish_failed 'Frontend wait cancelled' "The job was cancelled, but $run_url could not be cancelled ($reason): it may still deploy $FRONTEND_REF"
}

still_may_deploy="the dispatched $FRONTEND_WORKFLOW may still start a frontend deploy of $FRONTEND_REF: check $repo's Actions"

CORRELATION_ID="$CORRELATION_PREFIX-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
echo "correlation-id=$CORRELATION_ID" >> "$GITHUB_OUTPUT"
payload=$(jq -n --arg branch "$FRONTEND_BRANCH" --arg ref "$FRONTEND_REF" --arg sha "$BACKEND_SHA" --arg url "$RUN_URL" \
  --arg id "$CORRELATION_ID" \
  '{ref: $branch, inputs: {ref: $ref, "correlation-id": $id, "backend-sha": $sha, "backend-run-url": $url}}')
since=$(date -u -d '-2 minutes' +%Y-%m-%dT%H:%M:%SZ)
if ! api --method POST "repos/$repo/actions/workflows/$FRONTEND_WORKFLOW/dispatches" --input - <<<"$payload" > /dev/null; then
  case "$http" in
    401 | 403 | 404) finish_failed 'Frontend dispatch refused' "Could not start $FRONTEND_WORKFLOW: $(refused 'Actions: write')" ;;
    422) finish_failed 'Frontend dispatch refused' "$repo refused to start $FRONTEND_WORKFLOW on $FRONTEND_BRANCH (HTTP 422): the workflow on that branch must accept workflow_dispatch with the inputs ref, correlation-id, backend-sha and backend-run-url (examples/frontend/deploy-production.yml); $why" ;;
    *) finish_failed 'Frontend dispatch failed' "Could not start $FRONTEND_WORKFLOW in $repo: $why" ;;
  esac
fi
echo "Started $FRONTEND_WORKFLOW on $FRONTEND_BRANCH of $repo to deploy $FRONTEND_REF (correlation id $CORRELATION_ID)"
trap on_cancel INT TERM

# Seconds charged to each clock so far, and the run's status at the last poll.
charged=0 approval=0 last=$(now) status=''
while true; do
  if [[ -z "$run_id" ]]; then
    if api --method GET "repos/$repo/actions/workflows/$FRONTEND_WORKFLOW/runs" \
      -f event=workflow_dispatch -f "branch=$FRONTEND_BRANCH" -f "created=>=$since" -f per_page=100; then
      found=$(jq -r --arg id "$CORRELATION_ID" \
        'first(.workflow_runs[] | select(any((.display_title // "") | splits("[[:space:]]+"); . == $id))) | "\(.id) \(.html_url)"' \
        <<<"$body") || found=''
      if [[ -n "$found" ]]; then
        read -r run_id run_url <<<"$found"
        echo "run-url=$run_url" >> "$GITHUB_OUTPUT"
        echo "Frontend run: $run_url"
      fi
    elif [[ "$http" =~ ^(401|403|404)$ ]]; then
      finish_failed 'Frontend run not readable' "Dispatched, but cannot look for the run: $(refused 'Actions: read'); $still_may_deploy"
    fi
  fi
  if [[ -n "$run_id" ]]; then
    if api "repos/$repo/actions/runs/$run_id"; then
      previous=$status
      read -r status conclusion < <(jq -r '"\(.status) \(.conclusion // "none")"' <<<"$body")
      if [[ "$status" == waiting && "$previous" != waiting ]]; then
        environments=''
        if api "repos/$repo/actions/runs/$run_id/pending_deployments"; then
          environments=$(jq -r '[.[].environment.name // empty] | unique | join(", ")' <<<"$body" 2>/dev/null) || environments=''
        fi
        echo "The frontend run waits for approval${environments:+ on environment $environments}: not charged to the $WAIT_MINUTES-minute wait (up to $APPROVAL_WAIT_MINUTES minutes for approval)"
      elif [[ "$previous" == waiting && "$status" != waiting ]]; then
        echo "The frontend run went on after $(minutes "$approval") minute(s) waiting for approval"
      fi
      if [[ "$status" == completed ]]; then
        if [[ "$conclusion" == success ]]; then
          summary "### Frontend deploy at $FRONTEND_REF: success"
          summary "[$repo run]($run_url), correlation id \`$CORRELATION_ID\`"
          echo "The frontend deploy at $FRONTEND_REF succeeded"
          exit 0
        fi
        finish_failed 'Frontend deploy failed' "The frontend run ended with '$conclusion': $run_url"
      fi
    elif [[ "$http" =~ ^(401|403|404)$ ]]; then
      finish_failed 'Frontend run not readable' "Cannot read $run_url: $(refused 'Actions: read'); it may still deploy $FRONTEND_REF"
    fi
  fi
  t=$(now)
  if [[ "$status" == waiting ]]; then approval=$(( approval + t - last )); else charged=$(( charged + t - last )); fi
  last=$t
  (( charged < WAIT_MINUTES * 60 )) || break
  if (( approval >= APPROVAL_WAIT_MINUTES * 60 )); then
    if cancel_run; then
      finish_failed 'Frontend approval timed out' "$run_url waited $APPROVAL_WAIT_MINUTES minutes for a reviewer's approval and was cancelled: approve a new run, or redeploy the frontend"
    fi
    finish_failed 'Frontend approval timed out' "$run_url waited $APPROVAL_WAIT_MINUTES minutes for a reviewer's approval and could not be cancelled ($reason): it may still deploy $FRONTEND_REF once approved"
  fi
  # In the background, so a cancel is handled at once rather than after the sleep.
  sleep "$POLL_SECONDS" &
  wait $! || true
done

if [[ -z "$run_id" ]]; then
  finish_failed 'Frontend deploy not found' "No $FRONTEND_WORKFLOW run with '$CORRELATION_ID' in its name appeared within $WAIT_MINUTES minutes; $still_may_deploy"
fi
if cancel_run; then
  finish_failed 'Frontend deploy timed out' "$run_url did not finish within $WAIT_MINUTES minutes (not counting $(minutes "$approval") minute(s) waiting for approval) and was cancelled; files it already published stay, so re-run it or redeploy the frontend"
fi
finish_failed 'Frontend deploy timed out' "$run_url did not finish within $WAIT_MINUTES minutes (not counting $(minutes "$approval") minute(s) waiting for approval) and could not be cancelled ($reason): it may still deploy $FRONTEND_REF"
