#!/usr/bin/env bash
# The plan job of deploy-backend.yml: the frontend commit this release ships with, decided before anything deploys.
# FRONTEND_REF is a 40-hex commit (taken as it is) or a branch of FRONTEND_REPOSITORY, resolved with GH_TOKEN to the
# commit at its tip now. Writes the output `commit`; the deploy job records it on the new revision (tag
# frontend-commit) and the frontend job deploys exactly that commit. With SKIP_FRONTEND true it writes nothing: the new
# revision carries over the record of the frontend that stays live.
set -eo pipefail

if [[ "$SKIP_FRONTEND" == true ]]; then
  echo "Frontend: skipped (the new revision keeps the frontend commit recorded on the current one)"
  exit 0
fi
if [[ "$FRONTEND_REF" =~ ^[0-9a-f]{40}$ ]]; then
  commit=$FRONTEND_REF
else
  err=$(mktemp)
  if ! commit=$(gh api "repos/$FRONTEND_REPOSITORY/commits/$FRONTEND_REF" --jq .sha 2>"$err"); then
    why=$(grep -oE 'HTTP [0-9]{3}' "$err" | tail -n 1 || true)
    rm -f "$err"
    echo "::error title=Frontend ref not found::Could not resolve input 'frontend-ref' ($FRONTEND_REF) to a commit of $FRONTEND_REPOSITORY${why:+ ($why)}: check that the branch exists and the frontend token (or, for a public repository, the job's token) can read it"
    exit 1
  fi
  rm -f "$err"
  if [[ ! "$commit" =~ ^[0-9a-f]{40}$ ]]; then
    echo "::error title=Frontend ref not found::$FRONTEND_REPOSITORY answered no commit for input 'frontend-ref' ($FRONTEND_REF)"
    exit 1
  fi
fi
echo "commit=$commit" >> "$GITHUB_OUTPUT"
echo "Frontend: $FRONTEND_REPOSITORY at $commit ($FRONTEND_REF), recorded on the new revision as frontend-commit"
