#!/usr/bin/env bash
# The plan job of migrate.yml: checks every input before anything runs (one error line naming the input, exit 1) and
# turns `database` into the migrate jobs' matrix (output databases). Reads the inputs from the step's environment.
set -eo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/inputs.sh"
tenants=(startupwebapp_prod healthtech_experiment fintech_experiment)

tenant_matrix database "be ${tenants[*]} or all" "$(tr ',[:space:]' '\n' <<<"$DATABASES")"

if [[ -n "$IMAGE_TAG" && ! "$IMAGE_TAG" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]]; then
  fail "Input 'image-tag' must be an image tag (letters, digits, _ . -; at most 128), got '${IMAGE_TAG:0:60}'"
fi
if [[ -z "$IMAGE_TAG" && -z "$BUILD_ROLE" ]]; then
  fail "Input 'aws-build-role-arn' is required when 'image-tag' is empty (the image is built)"
fi
[[ "$ECR_REPOSITORY" =~ ^[a-z0-9]+([._/-][a-z0-9]+)*$ ]] || fail "Input 'ecr-repository' is not an ECR repository name: '${ECR_REPOSITORY:0:60}'"
[[ "$TIMEOUT_MINUTES" =~ ^[0-9]+$ ]] && (( TIMEOUT_MINUTES >= 1 && TIMEOUT_MINUTES <= 40 )) \
  || fail "Input 'timeout-minutes' must be a whole number of minutes from 1 to 40, got '${TIMEOUT_MINUTES:0:20}'"

echo "databases=$databases" >> "$GITHUB_OUTPUT"
echo "image-tag=$IMAGE_TAG" >> "$GITHUB_OUTPUT"
echo "Databases: $databases; image: ${IMAGE_TAG:-built from $GITHUB_SHA}"
