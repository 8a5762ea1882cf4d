# Shared by the .github/scripts/check-*-inputs.sh scripts (sourced): one error line naming the input, exit 1.

fail() { echo "::error title=Invalid input::$1"; exit 1; }

# minutes NAME VALUE MAX: VALUE is a whole number of minutes from 1 to MAX.
minutes() {
  [[ "$2" =~ ^[0-9]+$ ]] && (( $2 >= 1 && $2 <= $3 )) \
    || fail "Input '$1' must be a whole number of minutes from 1 to $3, got '${2:0:20}'"
}

# branch_name VALUE: a git branch name that cannot be read as an option or a path out of the repository.
branch_name() {
  [[ "$1" =~ ^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$ && "$1" != *..* && "$1" != *//* && "$1" != */ && "$1" != *.lock ]]
}

# commit_or_branch VALUE: a 40-hex commit SHA or a branch name.
commit_or_branch() { [[ "$1" =~ ^[0-9a-f]{40}$ ]] || branch_name "$1"; }

# tenant_matrix NAME EXPECTED LIST: sets `databases` to the tenants LIST names (one a line; `all` for every one of
# `tenants`) as a JSON array, each once; anything else fails naming input NAME ("must EXPECTED"), and so does none.
tenant_matrix() {
  local chosen=() db
  while read -r db; do
    [[ -z "$db" ]] && continue
    if [[ "$db" == all ]]; then chosen+=("${tenants[@]}"); continue; fi
    case "$db" in
      startupwebapp_prod | healthtech_experiment | fintech_experiment) chosen+=("$db") ;;
      *) fail "Input '$1' must $2, got '${db:0:60}'" ;;
    esac
  done <<<"$3"
  (( ${#chosen[@]} > 0 )) || fail "Input '$1' names no database"
  databases=$(printf '%s\n' "${chosen[@]}" | awk '!seen[$0]++' | jq -Rnc '[inputs]')
}
