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
