#!/usr/bin/env bash
# Says which credential the frontend dispatch will use, or stops with one line naming what is missing, before the
# token step and the dispatch run. The frontend jobs of deploy-backend.yml and rollback.yml run it from the suite
# checkout. Reads APP_CLIENT_ID (input frontend-app-client-id), HAS_APP_KEY and HAS_TOKEN ("true" when the secrets
# frontend-app-private-key and frontend-dispatch-token are set; never their values), HINT (optional, ends the error).
set -eo pipefail

if [[ -n "$APP_CLIENT_ID" ]]; then
  if [[ "$HAS_APP_KEY" != true ]]; then
    echo "::error title=Missing secret::Secret 'frontend-app-private-key' is needed with input 'frontend-app-client-id'"
    exit 1
  fi
  echo "Frontend credentials: a token of the GitHub App $APP_CLIENT_ID, minted for this run and revoked after it"
elif [[ "$HAS_TOKEN" == true ]]; then
  echo "Frontend credentials: secret 'frontend-dispatch-token' (a GitHub App token per run is safer; see docs/workflows.md)"
else
  echo "::error title=Missing credentials::The frontend dispatch needs input 'frontend-app-client-id' with secret 'frontend-app-private-key', or secret 'frontend-dispatch-token'${HINT}"
  exit 1
fi
