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

. "$(dirname "$0")/bench-lib.sh"
bench_ns "$ns"

for r in $(seq "$rounds"); do
	run sysctl ip netns exec "$ns" sysctl -a
	run twadvise "$tw" --netns "$ns" --format json
done
s=$(echo "${times[sysctl]}" | median)
t=$(echo "${times[twadvise]}" | median)
printf '\n%-10s %10s %10s   %s\n' what wall_ms cpu_ms "wall of each round (ms)"
for k in sysctl twadvise; do
	printf '%-10s %10.1f %10.1f  %s\n' "$k" "$(echo "${times[$k]}" | median)" "$(echo "${cpu[$k]}" | median)" "${times[$k]}"
done
printf 'RESULT idle twadvise/sysctl: wall %.2f, cpu %.2f (target <= 0.3)\n' \
	"$(calc "$t / $s")" "$(calc "$(echo "${cpu[twadvise]}" | median) / $(echo "${cpu[sysctl]}" | median)")"
