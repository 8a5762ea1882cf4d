#!/usr/bin/env bash
# The plan job of admin-command.yml: checks every input before anything runs (one error line naming the input, exit 1).
# Reads the inputs from the environment variables the step sets.
set -eo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/inputs.sh"
name_pattern='^[a-z][a-z0-9_-]{0,63}$'

names=()
command_line=''
while IFS= read -r entry; do
  entry="${entry#"${entry%%[![:space:]]*}"}"
  [[ -z "$entry" || "$entry" == \#* ]] && continue
  name="${entry%%:*}"
  if [[ "$entry" != *:* || ! "$name" =~ $name_pattern ]]; then
    fail "Input 'commands' lines must be 'NAME: command line' with NAME like createsuperuser, got '${entry:0:60}'"
  fi
  line="${entry#*:}"
  line="${line#"${line%%[![:space:]]*}"}"
  [[ -n "$line" ]] || fail "Input 'commands' gives no command line for '$name'"
  names+=("$name")
  if [[ "$name" == "$COMMAND" ]]; then command_line="$line"; fi
done <<<"$COMMANDS"
(( ${#names[@]} > 0 )) || fail "Input 'commands' lists no command"
[[ -n "$command_line" ]] || fail "Input 'command' must be one of ${names[*]}, got '${COMMAND:0:60}'"

read -r -a allowed <<<"$(tr ',' ' ' <<<"$DATABASES")"
known=false
for db in "${allowed[@]}"; do
  if [[ "$db" == "$DATABASE" ]]; then known=true; fi
done
[[ "$known" == true ]] || fail "Input 'database' must be one of ${allowed[*]}, got '${DATABASE:0:60}'"
[[ "$DATABASE" =~ ^[A-Za-z0-9_]{1,63}$ ]] || fail "Input 'database' is not a database name: '${DATABASE:0:60}'"
[[ "$SERVICE_CONTAINER" =~ ^[A-Za-z0-9_-]{1,255}$ ]] || fail "Input 'service-container' is not a container name: '${SERVICE_CONTAINER:0:60}'"
[[ "$TIMEOUT_MINUTES" =~ ^[0-9]+$ ]] && (( TIMEOUT_MINUTES >= 1 && TIMEOUT_MINUTES <= 25 )) || fail "Input 'timeout-minutes' must be a whole number from 1 to 25 (the job allows 30), got '${TIMEOUT_MINUTES}'"

{
  echo "command-line=$command_line"
  echo "database=$DATABASE"
} >> "$GITHUB_OUTPUT"
echo "Command $COMMAND: $command_line on $DATABASE"
