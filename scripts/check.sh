#!/usr/bin/env bash
# The static checks `npm test` runs before the tests: type-check, lint, format, and the web build
# the browser tests serve. After `tsc -b` (everything else reads the packages' .d.ts), they run in
# two lanes at once: each of these tools works on one core, and this machine has two, so in a row
# they left one idle for minutes. Each lane's output is printed whole when it ends, so the two do
# not interleave; the exit status is the first failure's.
set -uo pipefail
cd "$(dirname "$0")/.."
bin=node_modules/.bin

"$bin/tsc" -b || exit $?

logs="$(mktemp -d -t layerboom-check.XXXXXX)"
trap 'rm -rf "$logs"' EXIT

lane() {
  local name="$1"
  shift
  (
    set -e
    for step in "$@"; do
      echo "> $step"
      eval "$step"
    done
  ) >"$logs/$name" 2>&1
  local status=$?
  cat "$logs/$name"
  return $status
}

lane types "$bin/tsc -p test" "$bin/tsc -p packages/web" "$bin/prettier --check ." &
types=$!
lane lint "$bin/eslint ." "npm run --silent build:web" &
lint=$!

status=0
wait "$types" || status=$?
wait "$lint" || { code=$?; [ "$status" -eq 0 ] && status=$code; }
exit "$status"
