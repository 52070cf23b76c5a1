#!/usr/bin/env bash
# The whole test suite in two runs (see vitest.config.ts):
#   1. unit and database-only files, two files at a time, sharing each worker's module graph
#      (--isolate=false: see vitest.config.ts);
#   2. QEMU, browser, crash and timed files, one at a time.
# Both runs always happen, so one failure does not hide another; the exit status is the worse.
# Arguments go to both runs (a file filter, -t, ...). The slowest files of both runs are
# printed together at the end.
set -uo pipefail
cd "$(dirname "$0")/.."

LAYERBOOM_TEST_DURATIONS="$(mktemp -t layerboom-test-durations.XXXXXX)"
export LAYERBOOM_TEST_DURATIONS
trap 'rm -f "$LAYERBOOM_TEST_DURATIONS"' EXIT

status=0
npx vitest run --project unit --project database --maxWorkers=2 --isolate=false --passWithNoTests "$@" || status=$?
npx vitest run --project integration --project timed --no-file-parallelism --passWithNoTests "$@" || {
  code=$?
  [ "$status" -eq 0 ] && status=$code
}
exit "$status"
