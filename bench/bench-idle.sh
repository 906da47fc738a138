#!/bin/bash
# SPDX-License-Identifier: MIT
# bench-idle.sh: twadvise's fixed cost. In a fresh, idle network namespace
# (loopback only, no sockets), times interleaved over several rounds:
#   sysctl    sysctl -a (every sysctl of the namespace)
#   twadvise  twadvise --netns NS --format json (the whole analysis)
# and prints the medians and twadvise / sysctl (target <= 0.3).
#
# Usage (root): bench/bench-idle.sh [BUILDDIR] [ROUNDS]
set -eu

build=$(cd "${1:-.}" && pwd)
rounds=${2:-7}
tw=${TWADVISE:-$build/twadvise}
ns=twbench-idle-$$
[ "$(id -u)" = 0 ] || { echo "bench-idle.sh: needs root" >&2; exit 1; }
[ -x "$tw" ] || { echo "bench-idle.sh: $tw not found" >&2; exit 1; }

calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }
# run NAME COMMAND...: runs it, appends its wall and CPU milliseconds
# (bench/runtime.py) to times[NAME] and cpu[NAME].
declare -A times cpu
run() {
	local name=$1 out
	shift
	out=$(/usr/bin/python3 "$(dirname "$0")/runtime.py" "$@") || { echo "bench: $* failed" >&2; exit 1; }
	times[$name]+=" ${out% *}"
	cpu[$name]+=" ${out#* }"
}
cleanup() { ip netns del "$ns" 2>/dev/null || true; }
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
ip netns add "$ns"
ip -n "$ns" link set lo up

for r in $(seq "$rounds"); do
	run sysctl ip netns exec "$ns" sysctl -a
	run twadvise "$tw" --netns "$ns" --format json
done
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
s=$(echo "${times[sysctl]}" | median)
t=$(echo "${times[twadvise]}" | median)
printf '\n%-10s %10s %10s   %s\n' what wall_ms cpu_ms "wall of each round (ms)"
for k in sysctl twadvise; do
	printf '%-10s %10.1f %10.1f  %s\n' "$k" "$(echo "${times[$k]}" | median)" "$(echo "${cpu[$k]}" | median)" "${times[$k]}"
done
printf 'RESULT idle twadvise/sysctl: wall %.2f, cpu %.2f (target <= 0.3)\n' \
	"$(calc "$t / $s")" "$(calc "$(echo "${cpu[twadvise]}" | median) / $(echo "${cpu[sysctl]}" | median)")"
