#!/usr/bin/env bash
# Runs `npm test` N times (default 3) while two busy loops hold the CPU, one per core of the
# machine the suite is tuned for. A test that guesses at timing (a sleep, a quiet period, a tight
# timeout) passes on an idle machine and fails here; one that waits on conditions passes both.
#
#   scripts/test-under-load.sh [runs] [-- extra vitest arguments]
#
# Prints each run's result line and exits non-zero if any run failed. The busy loops are killed
# on any exit, Ctrl-C included.
set -u

runs=${1:-3}
case $runs in
  '' | *[!0-9]* | 0) echo "usage: $0 [runs, a positive number] [-- vitest arguments]" >&2; exit 2 ;;
esac
shift $(( $# > 0 ? 1 : 0 ))
[ "${1:-}" = "--" ] && shift

cd "$(dirname "$0")/.." || exit 2

loads=()
run_group=''
stop_all() {
  # Only what was started here, by its id: the test run's own process group (npm, vitest, its
  # workers, browsers), then the busy loops.
  if [ -n "$run_group" ]; then
    kill -TERM -- "-$run_group" 2>/dev/null
    wait "$run_group" 2>/dev/null
    run_group=''
  fi
  for pid in "${loads[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${loads[@]}"; do wait "$pid" 2>/dev/null; done
  loads=()
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for _ in 1 2; do
  node -e 'for (;;) {}' &
  loads+=("$!")
done
echo "busy loops: ${loads[*]}"

logs=$(mktemp -d "${TMPDIR:-/tmp}/rackdeck-test-under-load.XXXXXX")
failed=0
for run in $(seq 1 "$runs"); do
  log="$logs/run-$run.log"
  # In its own process group, so an interrupt stops the whole run, not just npm.
  setsid npm test -- "$@" >"$log" 2>&1 &
  run_group=$!
  if wait "$run_group"; then status=passed; else status=FAILED; failed=$((failed + 1)); fi
  run_group=''
  # vitest's summary lines, without colours: "Test Files ..." and "Tests ...".
  summary=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^ +(Test Files|Tests) ' | sed 's/^ *//' | paste -sd ';' -)
  echo "run $run/$runs: $status: ${summary:-no summary, see $log}"
  if [ "$status" = FAILED ]; then
    sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^ *(FAIL|×) ' | sort -u | sed 's/^/  /'
  fi
done

echo "logs in $logs"
if [ "$failed" -gt 0 ]; then
  echo "$failed of $runs runs failed under load"
  exit 1
fi
echo "all $runs runs passed under load"
