# SPDX-License-Identifier: MIT
# bench-lib.sh: shared by the bench-*.sh scripts (sourced, bash).
#   calc EXPR          awk arithmetic, 6 decimals
#   run NAME CMD...    runs CMD (stdin from /dev/null), appends its wall
#                      and CPU milliseconds (bench/runtime.py: user +
#                      system of it and its children) to times[NAME] and
#                      cpu[NAME]; exits when CMD fails
#   median             the median of the numbers on stdin (space or
#                      newline separated)
#   bench_ns NAME      makes the throw-away namespace NAME with loopback
#                      up, deleted on exit (also on INT, TERM, HUP)

bench_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }

declare -A times cpu
run() {
	local name=$1 out
	shift
	out=$(/usr/bin/python3 "$bench_lib_dir/runtime.py" "$@" </dev/null) ||
		{ echo "bench: $* failed" >&2; exit 1; }
	times[$name]+=" ${out% *}"
	cpu[$name]+=" ${out#* }"
}

median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

bench_ns() {
	bench_ns_name=$1
	trap 'ip netns del "$bench_ns_name" 2>/dev/null || true' EXIT
	trap 'exit 1' INT TERM HUP
	ip netns add "$bench_ns_name"
	ip -n "$bench_ns_name" link set lo up
}
