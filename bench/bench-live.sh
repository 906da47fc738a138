#!/bin/bash
# SPDX-License-Identifier: MIT
# bench-live.sh: how fast is twadvise on a host with many TIME_WAIT
# sockets? Makes N (default 250,000) client-side TIME_WAIT sockets in a
# throw-away network namespace (90% IPv4 from 127.0.0.1-8, 10% ::1, toward
# four ports), then times, interleaved round-robin over several rounds:
#   floor     bench/twadvise-dumpfloor: the bare netlink TIME_WAIT dump
#   ss-count  ss -tan state time-wait | wc -l
#   ss-tuples ss -tan state time-wait | awk ... | sort | uniq -c | sort -rn
#   twadvise  twadvise --netns NS --format json
# and prints the median of each, its ratio to the floor, and twadvise's
# peak RSS (/usr/bin/time -v). Targets: twadvise <= 1.5x floor, >= 2x
# faster than ss-tuples, peak RSS <= 16 MB. TIME_WAIT lasts 60 s: the
# sockets are made in a few seconds and the rounds must end before they
# expire (the count is checked every round).
#
# Usage (root): bench/bench-live.sh [BUILDDIR] [N] [ROUNDS]
#   BUILDDIR  where twadvise and bench/twadvise-{dumpfloor,mktw} were
#             built (default: the current folder); $TWADVISE overrides
#             the twadvise binary.
set -eu

build=$(cd "${1:-.}" && pwd)
n=${2:-250000}
rounds=${3:-5}
tw=${TWADVISE:-$build/twadvise}
floor=$build/bench/twadvise-dumpfloor
mktw=$build/bench/twadvise-mktw
ns=twbench-$$

[ "$(id -u)" = 0 ] || { echo "bench-live.sh: needs root" >&2; exit 1; }
for x in "$tw" "$floor" "$mktw" /usr/bin/time; do
	[ -x "$x" ] || { echo "bench-live.sh: $x not found (make; make bench/twadvise-dumpfloor bench/twadvise-mktw)" >&2; exit 1; }
done

calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }
cleanup() { ip netns del "$ns" 2>/dev/null || true; }
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

ip netns add "$ns"
ip -n "$ns" link set lo up
ip netns exec "$ns" sysctl -q -w net.ipv4.ip_local_port_range="1024 65535" \
	net.ipv4.tcp_tw_reuse=0 net.ipv4.tcp_max_tw_buckets=$((n * 2 + 1000)) >/dev/null

n6=$((n / 10))
n4=$((n - n6))
t0=$EPOCHREALTIME
made=$(ip netns exec "$ns" "$mktw" "$n4" "$n6")
t1=$EPOCHREALTIME
printf 'made %d TIME_WAIT sockets in %.1f s (%s)\n' "$made" "$(calc "$t1 - $t0")" "$ns"

# ms COMMAND...: runs it, prints the wall time in milliseconds.
ms() {
	local a b
	a=$EPOCHREALTIME
	"$@" >/dev/null
	b=$EPOCHREALTIME
	calc "($b - $a) * 1000"
}
ss_count() { ss -N "$ns" -tanH state time-wait | wc -l; }
ss_tuples() {
	ss -N "$ns" -tanH state time-wait |
		awk '{ l = $3; r = $4; sub(/:[0-9]+$/, "", l); print l, r }' |
		sort | uniq -c | sort -rn | head -32
}

declare -A times
names="floor ss-count ss-tuples twadvise"
for r in $(seq "$rounds"); do
	times[floor]+=" $(ms "$floor" "$ns")"
	times[ss-count]+=" $(ms ss_count)"
	times[ss-tuples]+=" $(ms ss_tuples)"
	times[twadvise]+=" $(ms "$tw" --netns "$ns" --format json)"
	printf 'round %d: %s sockets\n' "$r" "$("$floor" "$ns")"
done

median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
f=$(echo "${times[floor]}" | median)
printf '\n%-10s %10s %8s   %s\n' what median_ms x_floor "all rounds (ms)"
for k in $names; do
	m=$(echo "${times[$k]}" | median)
	printf '%-10s %10.1f %8.2f  %s\n' "$k" "$m" "$(calc "$m / $f")" "${times[$k]}"
done
rss=$(/usr/bin/time -v "$tw" --netns "$ns" --format json 2>&1 >/dev/null |
	awk -F': ' '/Maximum resident set size/ { print $2 }')
printf '\ntwadvise peak RSS: %d KiB (%.1f MB)\n' "$rss" "$(calc "$rss / 1024")"
m=$(echo "${times[twadvise]}" | median)
s=$(echo "${times[ss-tuples]}" | median)
printf 'twadvise / floor = %.2f (target <= 1.5); ss-tuples / twadvise = %.1f (target >= 2)\n' \
	"$(calc "$m / $f")" "$(calc "$s / $m")"
