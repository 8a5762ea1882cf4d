#!/usr/bin/env bash
# The run job of admin-command.yml: the image the service runs (CLUSTER, SERVICE, CONTAINER), so the admin command runs
# the release that is live. Writes the output image and a summary line; fails naming the service or the container.
set -eo pipefail

task_definition=$(aws ecs describe-services --cluster "$CLUSTER" --services "$SERVICE" \
  --query 'services[?status==`ACTIVE`].taskDefinition | [0]' --output text)
if [[ -z "$task_definition" || "$task_definition" == None ]]; then
  echo "::error title=Service not found::Service '$SERVICE' is not an ACTIVE service of cluster '$CLUSTER'"
  exit 1
fi
image=$(aws ecs describe-task-definition --task-definition "$task_definition" \
  --query "taskDefinition.containerDefinitions[?name=='$CONTAINER'].image | [0]" --output text)
if [[ -z "$image" || "$image" == None ]]; then
  echo "::error title=Container not found::${task_definition##*/} (the task definition of $SERVICE) has no container '$CONTAINER'"
  exit 1
fi
echo "image=$image" >> "$GITHUB_OUTPUT"
echo "Service $SERVICE runs ${task_definition##*/}: container $CONTAINER on $image"
echo "Image: \`$image\` (what $SERVICE runs, ${task_definition##*/})" >> "$GITHUB_STEP_SUMMARY"
