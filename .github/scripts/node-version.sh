#!/usr/bin/env bash
# The checks job of deploy-frontend.yml, in the site's checkout: the Node.js version for the checks (output version).
# NODE_VERSION is a version, or `package.json` for the site's engines.node, else .nvmrc, else 20.
set -eo pipefail

version="$NODE_VERSION"
if [[ "$version" == package.json ]]; then
  version=''
  [[ -f package.json ]] && version=$(jq -r '.engines.node // empty' package.json)
  [[ -z "$version" && -f .nvmrc ]] && version=$(tr -d '[:space:]' < .nvmrc)
  version="${version:-20}"
fi
echo "version=$version" >> "$GITHUB_OUTPUT"
echo "Node.js for the checks: $version"
