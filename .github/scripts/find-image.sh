#!/usr/bin/env bash
# The build job of deploy-backend.yml: is REPOSITORY:TAG already in ECR (a re-run)? Writes the outputs `image`
# (REGISTRY/REPOSITORY:TAG) and `exists` (true/false). Only AWS's not-found answer means absent: any other error of
# describe-images (access denied, throttling, a wrong repository) fails the step with AWS's message, rather than
# building and pushing over an image that may be there.
set -eo pipefail

echo "image=$REGISTRY/$REPOSITORY:$TAG" >> "$GITHUB_OUTPUT"
if err=$(aws ecr describe-images --repository-name "$REPOSITORY" --image-ids "imageTag=$TAG" 2>&1 > /dev/null); then
  echo "exists=true" >> "$GITHUB_OUTPUT"
  echo "$REPOSITORY:$TAG is already in ECR (a re-run): not building it again"
elif [[ "$err" == *'(ImageNotFoundException)'* ]]; then
  echo "exists=false" >> "$GITHUB_OUTPUT"
  echo "$REPOSITORY:$TAG is not in ECR yet: building it"
else
  # AWS's message, as data of the annotation: % and line breaks escaped as the runner unescapes them.
  message=${err//'%'/'%25'}
  message=${message//$'\r'/'%0D'}
  message=${message//$'\n'/'%0A'}
  echo "::error title=ECR describe-images failed::Could not tell whether $REPOSITORY:$TAG is in ECR: ${message:0:1000}"
  exit 1
fi
