#!/usr/bin/env bash
# The plan job of rollback.yml: checks every input before anything runs (one error line naming the input, exit 1).
# Reads the inputs from the environment variables the step sets.
set -eo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/inputs.sh"
[[ "$TO" == previous || "$TO" =~ ^-[1-9][0-9]{0,2}$ || "$TO" =~ ^[0-9]{1,9}$ || "$TO" =~ ^[A-Za-z0-9_-]{1,255}:[0-9]{1,9}$ \
  || "$TO" =~ ^arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:task-definition/[A-Za-z0-9_-]{1,255}:[0-9]{1,9}$ ]] \
  || fail "Input 'to' must be previous, -N (revisions back), a revision number, family:revision or a task-definition ARN, got '${TO:0:80}'"
[[ "$WAIT_UNTIL" == completed || "$WAIT_UNTIL" == serving ]] || fail "Input 'wait-until' must be completed or serving, got '${WAIT_UNTIL:0:60}'"
[[ "$FRONTEND" == matching || "$FRONTEND" == none ]] || commit_or_branch "$FRONTEND" \
  || fail "Input 'frontend' must be matching, none, a 40-hex commit SHA or a branch name, got '${FRONTEND:0:60}'"
if [[ "$DRY_RUN" == true && -z "$PREVIEW_ROLE" ]]; then
  fail "Input 'aws-rollback-preview-role-arn' is needed for a dry run (the read-only role, trusted without the production environment)"
fi
[[ "$FRONTEND_REPOSITORY" =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]] || fail "Input 'frontend-repository' must be owner/name"
[[ "$FRONTEND_WORKFLOW" =~ ^[A-Za-z0-9_.-]+\.ya?ml$ ]] || fail "Input 'frontend-workflow' must be a workflow file name such as deploy-production.yml"
if ! branch_name "$FRONTEND_BRANCH"; then
  fail "Input 'frontend-branch' must be a branch name, got '${FRONTEND_BRANCH:0:60}'"
fi
[[ -z "$FRONTEND_APP_CLIENT_ID" || "$FRONTEND_APP_CLIENT_ID" =~ ^[A-Za-z0-9]{1,64}$ ]] || fail "Input 'frontend-app-client-id' must be a GitHub App client ID (letters and digits)"
minutes timeout-minutes "$TIMEOUT_MINUTES" 30
minutes frontend-timeout-minutes "$FRONTEND_TIMEOUT_MINUTES" 60
minutes frontend-approval-timeout-minutes "$FRONTEND_APPROVAL_TIMEOUT_MINUTES" 240
echo "frontend-owner=${FRONTEND_REPOSITORY%%/*}" >> "$GITHUB_OUTPUT"
echo "frontend-name=${FRONTEND_REPOSITORY#*/}" >> "$GITHUB_OUTPUT"
echo "Roll back: $TO; frontend: $FRONTEND${DRY_RUN/#true/ (dry run)}"
