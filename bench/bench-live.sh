#!/bin/bash
# SPDX-License-Identifier: MIT
# bench-live.sh: how fast is twadvise on a host with many TIME_WAIT
# sockets? Makes N (default 250,000) client-side TIME_WAIT sockets in a
# throw-away network namespace (90% IPv4 from 127.0.0.1-8, 10% ::1, toward
# four ports), then times, interleaved round-robin over several rounds:
#   floor     bench/twadvise-dumpfloor: the bare netlink dump of the states
#             twadvise asks for (listeners and every port-holding state)
#   split     the same as a LISTEN dump then one of the other states (the
#             alternative twadvise did not take: compare with floor)
#   walk      bench/twadvise-walk: twadvise's socket walk alone (dump,
#             parsing, aggregation), without sysctls, rules and rendering
#   twadvise  twadvise --netns NS --format json (the whole analysis)
#   ss-count  ss -tan state time-wait | wc -l
#   ss-tuples ss -tan state time-wait | awk ... | sort | uniq -c | sort -rn
# and prints the median of each, its ratio to the floor, and twadvise's
# peak RSS (/usr/bin/time -v). Targets: walk and twadvise <= 1.1x floor,
# peak RSS <= 8 MB. TIME_WAIT lasts 60 s: the
# sockets are made in a few seconds and the rounds must end before they
# expire (the count is checked every round).
#
# twadvise makes one dump of both families (TCPDIAG_GETSOCK), received
# on a second thread when it may use two CPUs; BENCH_DUMP=parallel times
# one dump per family on two sockets at once, BENCH_DUMP=sequential one
# per family in turn as the floor does (TWADVISE_DUMP).
#
# Linear check: with BENCH_LINEAR=FILE, the RESULT line is also appended
# to FILE, and a run at a larger N prints LINEAR: the twadvise/floor ratio
# at this N over the one at the smallest N recorded there (target within
# 10 %: 0.9 .. 1.1), e.g.
#   BENCH_LINEAR=/tmp/lin bench/bench-live.sh . 250000
#   BENCH_LINEAR=/tmp/lin bench/bench-live.sh . 1000000
#
# Where the time goes: perf record -g -o perf.data twadvise --netns NS
# --format json, then perf report --no-children (Debian: linux-perf; not a
# build dependency).
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
walk=$build/bench/twadvise-walk
ns=twbench-$$

[ "$(id -u)" = 0 ] || { echo "bench-live.sh: needs root" >&2; exit 1; }
for x in "$tw" "$floor" "$mktw" "$walk" /usr/bin/time; do
	[ -x "$x" ] || { echo "bench-live.sh: $x not found (make; make bench/twadvise-dumpfloor bench/twadvise-mktw bench/twadvise-walk)" >&2; exit 1; }
done

[ "${BENCH_DUMP:-}" ] && export TWADVISE_DUMP=$BENCH_DUMP

. "$(dirname "$0")/bench-lib.sh"

bench_ns "$ns"
ip netns exec "$ns" sysctl -q -w net.ipv4.ip_local_port_range="1024 65535" \
	net.ipv4.tcp_tw_reuse=0 net.ipv4.tcp_max_tw_buckets=$((n * 2 + 1000)) >/dev/null

n6=$((n / 10))
n4=$((n - n6))
t0=$EPOCHREALTIME
made=$(ip netns exec "$ns" "$mktw" "$n4" "$n6")
t1=$EPOCHREALTIME
printf 'made %d TIME_WAIT sockets in %.1f s (%s)\n' "$made" "$(calc "$t1 - $t0")" "$ns"

ss_count="ss -N $ns -tanH state time-wait | wc -l"
ss_tuples="ss -N $ns -tanH state time-wait |
	awk '{ l = \$3; r = \$4; sub(/:[0-9]+\$/, \"\", l); print l, r }' |
	sort | uniq -c | sort -rn | head -32"

names="floor split walk twadvise ss-count ss-tuples"
# one NAME: runs that command once.
one() {
	case $1 in
	floor) run floor "$floor" "$ns" ;;
	split) run split "$floor" --split "$ns" ;;
	walk) run walk "$walk" "$ns" ;;
	twadvise) run twadvise "$tw" --netns "$ns" --format json ;;
	ss-count) [ "${BENCH_NO_SS:-}" ] || run ss-count bash -c "$ss_count" ;;
	ss-tuples) [ "${BENCH_NO_SS:-}" ] || run ss-tuples bash -c "$ss_tuples" ;;
	esac
}
# The order turns by one each round: when the sockets start expiring (a
# slow machine at 1M), no command is always the one that sees fewer.
set -- $names
for r in $(seq "$rounds"); do
	for k in "$@"; do one "$k"; done
	printf 'round %d: %s sockets\n' "$r" "$("$floor" "$ns")"
	first=$1
	shift
	set -- "$@" "$first"
done

f=$(echo "${times[floor]}" | median)
fc=$(echo "${cpu[floor]}" | median)
printf '\n%-10s %10s %8s %10s %8s   %s\n' what wall_ms x_floor cpu_ms x_floor "wall of each round (ms)"
for k in $names; do
	[ -n "${times[$k]:-}" ] || continue
	m=$(echo "${times[$k]}" | median)
	c=$(echo "${cpu[$k]}" | median)
	printf '%-10s %10.1f %8.2f %10.1f %8.2f  %s\n' "$k" "$m" "$(calc "$m / $f")" "$c" "$(calc "$c / $fc")" "${times[$k]}"
done
rss=$(/usr/bin/time -v "$tw" --netns "$ns" --format json 2>&1 >/dev/null |
	awk -F': ' '/Maximum resident set size/ { print $2 }')
printf '\ntwadvise peak RSS: %d KiB (%.1f MB)\n' "$rss" "$(calc "$rss / 1024")"
m=$(echo "${times[twadvise]}" | median)
w=$(echo "${times[walk]}" | median)
mc=$(echo "${cpu[twadvise]}" | median)
wc=$(echo "${cpu[walk]}" | median)
result=$(printf 'RESULT live n=%d floor_ms=%.1f walk/floor=%.2f twadvise/floor=%.2f cpu: walk/floor=%.2f twadvise/floor=%.2f rss_kb=%d load=%s dump=%s (targets <= 1.1, 8 MB)' \
	"$made" "$f" "$(calc "$w / $f")" "$(calc "$m / $f")" "$(calc "$wc / $fc")" "$(calc "$mc / $fc")" "$rss" \
	"$(cut -d' ' -f1 /proc/loadavg)" "${TWADVISE_DUMP:-single}")
echo "$result"
if [ "${BENCH_LINEAR:-}" ]; then
	# The smallest N recorded before, and its twadvise/floor (wall, CPU).
	ref=$(awk '$1 == "RESULT" { cpu = 0; for (i = 2; i <= NF; i++) { split($i, kv, "=")
		if (kv[1] == "n") n = kv[2]; if ($i == "cpu:") cpu = 1
		if (kv[1] == "twadvise/floor") { if (cpu) c = kv[2]; else w = kv[2] } }
		if (best == "" || n + 0 < best + 0) { best = n; bw = w; bc = c } }
		END { if (best != "") print best, bw, bc }' "$BENCH_LINEAR" 2>/dev/null || true)
	echo "$result" >>"$BENCH_LINEAR"
	set -- $ref
	if [ $# = 3 ] && [ "$1" -lt "$made" ]; then
		printf 'LINEAR twadvise/floor at n=%d over n=%d: wall %.2f, cpu %.2f (target 0.9 .. 1.1)\n' \
			"$made" "$1" "$(calc "($m / $f) / $2")" "$(calc "($mc / $fc) / $3")"
	fi
fi

