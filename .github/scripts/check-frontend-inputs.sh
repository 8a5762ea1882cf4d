#!/usr/bin/env bash
# The checks job of deploy-frontend.yml: checks the dispatched or given ref (empty: the commit that triggered the caller),
# the correlation id and the backend run URL (only a run on this GitHub server, SERVER_URL) before the checkout.
# Writes the output ref.
set -eo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/inputs.sh"

ref="${REF:-$GITHUB_SHA}"
commit_or_branch "$ref" || fail "Input 'ref' must be a 40-hex commit SHA or a branch name, got '${ref:0:60}'"
if [[ -n "$CORRELATION_ID" && ! "$CORRELATION_ID" =~ ^[A-Za-z0-9._-]{1,100}$ ]]; then
  fail "Input 'correlation-id' must be letters, digits, '.', '_' or '-' (at most 100)"
fi
# A link in the summary: only a run of this GitHub server, never a host a payload names.
run_url="^${SERVER_URL//./\\.}/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+/actions/runs/[0-9]+(/attempts/[0-9]+)?$"
if [[ -n "$BACKEND_RUN_URL" && ! "$BACKEND_RUN_URL" =~ $run_url ]]; then
  fail "Input 'backend-run-url' must be a run on $SERVER_URL (owner/repo/actions/runs/N)"
fi
echo "ref=$ref" >> "$GITHUB_OUTPUT"
echo "Deploying $ref${CORRELATION_ID:+ for $CORRELATION_ID}"
