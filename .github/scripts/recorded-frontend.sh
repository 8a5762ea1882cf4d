#!/usr/bin/env bash
# The rollback jobs of rollback.yml: which frontend goes back with the revision rolled back to. FRONTEND is
# `matching` (the commit the deploy pipeline recorded on TASK_DEFINITION_ARN as tag frontend-commit), `none`, or a
# ref (a 40-hex commit or a branch). Writes the output `ref` (empty: the frontend is left as it is) and says in the log
# and the summary what was chosen, and when nothing was recorded. DRY_RUN true words it as what would be done.
set -eo pipefail

redeployed=redeployed
[[ "$DRY_RUN" == true ]] && redeployed='would be redeployed'

case "$FRONTEND" in
  none)
    echo "Frontend: left as it is (frontend: none)"
    exit 0 ;;
  matching) ;;
  *)
    echo "ref=$FRONTEND" >> "$GITHUB_OUTPUT"
    echo "Frontend: $redeployed at $FRONTEND, as asked"
    echo "**Frontend:** $redeployed at \`$FRONTEND\`, as asked" >> "$GITHUB_STEP_SUMMARY"
    exit 0 ;;
esac

if [[ -z "$TASK_DEFINITION_ARN" ]]; then
  echo "::warning title=No frontend recorded::The rollback named no revision to roll back to: the frontend is left as it is"
  exit 0
fi
err=$(mktemp)
if ! commit=$(aws ecs describe-task-definition --task-definition "$TASK_DEFINITION_ARN" --include TAGS \
  --query "tags[?key=='frontend-commit'].value | [0]" --output text 2>"$err"); then
  message=$(tr '\r\n' '  ' <"$err" | cut -c1-300)
  rm -f "$err"
  message=${message//'%'/'%25'}
  echo "::error title=Frontend record not readable::Could not read the tags of $TASK_DEFINITION_ARN: $message"
  exit 1
fi
rm -f "$err"
if [[ "$commit" =~ ^[0-9a-f]{40}$ ]]; then
  echo "ref=$commit" >> "$GITHUB_OUTPUT"
  echo "Frontend: $redeployed at $commit, the commit recorded on $TASK_DEFINITION_ARN"
  echo "**Frontend:** $redeployed at the matching commit \`$commit\`, recorded on \`$TASK_DEFINITION_ARN\`" >> "$GITHUB_STEP_SUMMARY"
else
  note="No frontend commit is recorded on $TASK_DEFINITION_ARN (it was deployed before the suite recorded one, or by hand): the frontend is left as it is; to put one back, run the rollback again with frontend set to a commit"
  echo "::warning title=No frontend recorded::$note"
  echo "**Frontend:** $note" >> "$GITHUB_STEP_SUMMARY"
fi
