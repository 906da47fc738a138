#!/bin/bash
# SPDX-License-Identifier: MIT
# bench-all.sh: `make bench`. Runs the snapshot, idle, live and watch
# benchmarks (the last three need root: skipped otherwise) and prints their RESULT
# lines as one table. Figures are printed, never asserted.
#
# Usage: bench/bench-all.sh BUILDDIR [N] [ROUNDS]
set -u
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: bench-all.sh BUILDDIR [N] [ROUNDS]}
n=${2:-250000}
rounds=${3:-5}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
rc=0
bench() {	# bench NAME SCRIPT ARGS...
	local name=$1
	shift
	printf '== %s\n' "$name"
	if "$@" >"$log" 2>&1; then
		grep '^RESULT' "$log" | tee -a "$log.results"
	else
		echo "bench $name failed:"; tail -20 "$log"; rc=1
	fi
}
rm -f "$log.results"
bench snapshot "$here/bench-snapshot.sh" "$build" "$n" "$rounds"
if [ "$(id -u)" = 0 ] && command -v ip >/dev/null 2>&1; then
	bench idle "$here/bench-idle.sh" "$build" "$rounds"
	bench live "$here/bench-live.sh" "$build" "$n" "$rounds"
	bench watch "$here/bench-watch.sh" "$build" "$n" "$rounds"
else
	echo "== idle, live, watch: skipped (need root and ip netns)"
fi
echo
echo "benchmark  results (ratios: see each script's header for its target)"
sed 's/^RESULT /  /' "$log.results" 2>/dev/null
rm -f "$log.results"
exit $rc
