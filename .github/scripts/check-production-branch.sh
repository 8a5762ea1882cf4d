#!/usr/bin/env bash
# The checks job of deploy-frontend.yml, in the site's checkout (whole history): only commits of BRANCH are deployed.
# REF names the ref asked for and SHA the commit it is; one error line naming the input or the ref otherwise.
set -eo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/inputs.sh"

branch_name "$BRANCH" || fail "Input 'production-branch' must be a branch name, got '${BRANCH:0:60}'"
git rev-parse --verify --quiet "refs/remotes/origin/$BRANCH^{commit}" > /dev/null \
  || fail "Input 'production-branch' names no branch of this repository: '$BRANCH'"
if ! git merge-base --is-ancestor "$SHA" "refs/remotes/origin/$BRANCH"; then
  echo "::error title=Not on $BRANCH::Ref '$REF' is commit $SHA, which $BRANCH does not contain: only commits of $BRANCH are deployed (merge it first; a rollback names a past commit of $BRANCH)"
  exit 1
fi
echo "$SHA is on $BRANCH"
