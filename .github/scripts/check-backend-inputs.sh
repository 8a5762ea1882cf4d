#!/usr/bin/env bash
# The plan job of deploy-backend.yml: checks every input before anything runs (one error line naming the input, exit 1),
# turns `databases` into the migrate jobs' matrix (output databases) and writes the plan to the job summary.
# Reads the inputs from the environment variables the step sets.
set -eo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/inputs.sh"
tenants=(startupwebapp_prod healthtech_experiment fintech_experiment)

if [[ "$DATABASES" =~ ^[[:space:]]*\[ ]]; then
  listed=$(jq -r 'if type == "array" and all(.[]; type == "string") then .[] else error("not a list") end' <<<"$DATABASES" 2>/dev/null) \
    || fail "Input 'databases' must be a JSON array of names, a comma-separated list or 'all'"
else
  listed=$(tr ',[:space:]' '\n' <<<"$DATABASES")
fi
tenant_matrix databases "name only ${tenants[*]} or all" "$listed"

[[ "$ECR_REPOSITORY" =~ ^[a-z0-9]+([._/-][a-z0-9]+)*$ ]] || fail "Input 'ecr-repository' is not an ECR repository name: '${ECR_REPOSITORY:0:60}'"
[[ "$ON_FAILURE" == fail || "$ON_FAILURE" == rollback ]] || fail "Input 'on-failure' must be fail or rollback, got '${ON_FAILURE:0:60}'"
[[ "$WAIT_UNTIL" == completed || "$WAIT_UNTIL" == serving ]] || fail "Input 'wait-until' must be completed or serving, got '${WAIT_UNTIL:0:60}'"
[[ "$HEALTH_CHECK_URL" =~ ^https?://[^[:space:]]+$ ]] || fail "Input 'health-check-url' must be an http(s) URL"
[[ "$FRONTEND_REPOSITORY" =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]] || fail "Input 'frontend-repository' must be owner/name"
[[ "$FRONTEND_WORKFLOW" =~ ^[A-Za-z0-9_.-]+\.ya?ml$ ]] || fail "Input 'frontend-workflow' must be a workflow file name such as deploy-production.yml"
if ! branch_name "$FRONTEND_BRANCH"; then
  fail "Input 'frontend-branch' must be a branch name, got '${FRONTEND_BRANCH:0:60}'"
fi
commit_or_branch "$FRONTEND_REF" || fail "Input 'frontend-ref' must be a 40-hex commit SHA or a branch name, got '${FRONTEND_REF:0:60}'"
[[ -z "$FRONTEND_APP_CLIENT_ID" || "$FRONTEND_APP_CLIENT_ID" =~ ^[A-Za-z0-9]{1,64}$ ]] || fail "Input 'frontend-app-client-id' must be a GitHub App client ID (letters and digits)"
while read -r url status extra; do
  [[ -z "$url" || "$url" == \#* ]] && continue
  [[ "$url" =~ ^https?://[^[:space:]]+$ && "$status" =~ ^[1-5][0-9][0-9]$ && -z "$extra" ]] \
    || fail "Input 'smoke-urls' lines must be 'URL STATUS', got '${url:0:60} ${status:0:10}'"
done <<<"$SMOKE_URLS"
minutes migration-timeout-minutes "$MIGRATION_TIMEOUT_MINUTES" 40
minutes deploy-timeout-minutes "$DEPLOY_TIMEOUT_MINUTES" 30
minutes frontend-timeout-minutes "$FRONTEND_TIMEOUT_MINUTES" 60
minutes frontend-approval-timeout-minutes "$FRONTEND_APPROVAL_TIMEOUT_MINUTES" 240

echo "databases=$databases" >> "$GITHUB_OUTPUT"
echo "frontend-owner=${FRONTEND_REPOSITORY%%/*}" >> "$GITHUB_OUTPUT"
echo "frontend-name=${FRONTEND_REPOSITORY#*/}" >> "$GITHUB_OUTPUT"
migrations="$databases"
[[ "$SKIP_MIGRATIONS" == true ]] && migrations="skipped (skip-migrations)"
frontend="$FRONTEND_REPOSITORY at $FRONTEND_REF"
[[ "$SKIP_FRONTEND" == true ]] && frontend="skipped (skip-frontend)"
{
  echo "### Backend deploy plan"
  echo "| | |"
  echo "| --- | --- |"
  echo "| **Migrations** | $migrations |"
  echo "| **Frontend** | $frontend |"
  echo "| **Health check** | $HEALTH_CHECK_URL |"
} >> "$GITHUB_STEP_SUMMARY"
echo "Migrations: $migrations; frontend: $frontend"
