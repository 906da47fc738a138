#!/bin/bash
# SPDX-License-Identifier: MIT
# bench-namespaces.sh: how fast is twadvise --all-namespaces on a host with
# many busy namespaces? Makes K throw-away network namespaces (default 50)
# of M client-side TIME_WAIT sockets each (default 10,000; the connections
# are made and held open by bench/twadvise-mktw --hold, then all closed at
# once, so that they enter TIME_WAIT together however long making them
# took), then times, interleaved round-robin over several rounds:
#   floor     bench/twadvise-dumpfloor run in each namespace that twadvise
#             analyses (the bare netlink dumps of the states twadvise asks
#             for), the times summed: these K, their parent (below), the
#             host's own and any other the host has ("seen" in the RESULT)
#   twadvise  twadvise --all-namespaces --format json
# and prints the medians and twadvise / sum of floors (target <= 1.5).
# Every namespace made is deleted on exit, also when interrupted.
#
# Usage (root): bench/bench-namespaces.sh [BUILDDIR] [K] [M] [ROUNDS]
#   BUILDDIR  where twadvise and bench/twadvise-{dumpfloor,mktw} were built
#             (default: the current folder); $TWADVISE overrides twadvise.
set -eu

build=$(cd "${1:-.}" && pwd)
k=${2:-50}
m=${3:-10000}
rounds=${4:-5}
tw=${TWADVISE:-$build/twadvise}
floor=$build/bench/twadvise-dumpfloor
mktw=$build/bench/twadvise-mktw
prefix=twbench-ns$$-
here=$(cd "$(dirname "$0")" && pwd)

[ "$(id -u)" = 0 ] || { echo "bench-namespaces.sh: needs root" >&2; exit 1; }
for x in "$tw" "$floor" "$mktw"; do
	[ -x "$x" ] || { echo "bench-namespaces.sh: $x not found (make; make bench/twadvise-dumpfloor bench/twadvise-mktw)" >&2; exit 1; }
done
if [ "$k" -lt 1 ] || [ "$m" -lt 10 ]; then
	echo "bench-namespaces.sh: K >= 1 and M >= 10" >&2
	exit 1
fi

. "$(dirname "$0")/bench-lib.sh"

made_ns=()
cleanup() {
	local ns p
	for p in $(jobs -p); do	# mktw still running (interrupted)
		kill "$p" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	for ns in "${made_ns[@]}"; do
		ip netns del "$ns" 2>/dev/null || true
	done
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# By default the K namespaces are children of one parent namespace whose
# net.ipv4.tcp_child_ehash_entries gives each its own socket hash (kernel
# >= 6.1): otherwise every namespace's dump walks the one host-wide hash of
# all K * M sockets, K times per round, and the rounds outlast TIME_WAIT.
# BENCH_SHARED_EHASH=1 measures that shared case (smaller K * M).
parent=
if [ -z "${BENCH_SHARED_EHASH:-}" ] && [ -e /proc/sys/net/ipv4/tcp_child_ehash_entries ]; then
	parent=${prefix}parent
	made_ns+=("$parent")
	ip netns add "$parent"
	ip netns exec "$parent" sysctl -q -w net.ipv4.tcp_child_ehash_entries=$((m * 2 > 128 ? m * 2 : 128))
fi
ehash=${parent:+per-namespace}
ehash=${ehash:-shared}
tw_ns=()
for i in $(seq "$k"); do
	ns=$prefix$i
	made_ns+=("$ns")
	tw_ns+=("$ns")
	if [ -n "$parent" ]; then
		nsenter --net="/run/netns/$parent" ip netns add "$ns"
	else
		ip netns add "$ns"
	fi
	ip -n "$ns" link set lo up
	# The listeners (mktw --hold: ports 1100, 1110, ...) below the range.
	ip netns exec "$ns" sysctl -q -w net.ipv4.ip_local_port_range="1200 65535" \
		net.ipv4.tcp_tw_reuse=0 net.ipv4.tcp_max_tw_buckets=$((m * 2 + 1000)) >/dev/null
done

# The sockets, 10 % IPv6: bench/twadvise-mktw --hold in every namespace
# (several per namespace within the descriptor limit: two a connection),
# one per core at a time. Held connections wait in FIN_WAIT2 for as long
# as making them all takes; then one SIGUSR1 to each mktw, and all enter
# TIME_WAIT within a few seconds: the rounds then have TIME_WAIT's 60 s.
jobs=$(nproc 2>/dev/null || echo 2)
per=$((($(ulimit -n) - 64) / 2))
parts=$(((m + per - 1) / per))
tmp=$(mktemp -d "${TMPDIR:-/tmp}/twbench-ns.XXXXXX")
trap 'cleanup; rm -rf "$tmp"' EXIT
holders=()
outs=()
t0=$EPOCHREALTIME
for ns in "${tw_ns[@]}"; do
	for j in $(seq 0 $((parts - 1))); do
		mj=$((m / parts + (j < m % parts)))
		# Not more making at once than cores: the others wait their turn.
		while [ "$(grep -Ls . "$tmp"/made.* | wc -l)" -ge "$jobs" ]; do
			sleep 0.05
		done
		ip netns exec "$ns" "$mktw" --hold $((mj - mj / 10)) $((mj / 10)) $((1100 + 10 * j)) \
			>"$tmp/made.$ns.$j" &
		holders+=($!)
		outs+=("$tmp/made.$ns.$j")
	done
done
# Every mktw prints its count once its connections are made, or fails
# (then 0). Bounded wait: 10 minutes.
for i in "${!holders[@]}"; do
	f=${outs[$i]}
	for _ in $(seq 12000); do
		[ -s "$f" ] && break
		kill -0 "${holders[$i]}" 2>/dev/null || { [ -s "$f" ] || echo 0 >"$f"; break; }
		sleep 0.05
	done
	[ -s "$f" ] || { echo "bench-namespaces.sh: $f: mktw did not finish" >&2; exit 1; }
done
t1=$EPOCHREALTIME
kill -USR1 "${holders[@]}" 2>/dev/null || true
wait "${holders[@]}" || true
t2=$EPOCHREALTIME
made=0
for ns in "${tw_ns[@]}"; do
	n=0
	for f in "$tmp/made.$ns".*; do
		n=$((n + $(cat "$f")))
	done
	echo "$n" >"$tmp/$ns"
	made=$((made + n))
done
printf 'made %d connections in %d namespaces in %.1f s, all into TIME_WAIT in %.1f s (%s socket hash)\n' \
	"$made" "$k" "$(calc "$t1 - $t0")" "$(calc "$t2 - $t1")" "$ehash"
[ "$made" -eq $((k * m)) ] || echo "bench-namespaces.sh: warning: $made sockets, not $((k * m))" >&2

# The floor covers every namespace twadvise analyses: ours, the host's,
# and any other this host has (its /run/netns name or a process's
# /proc/PID/ns/net), as twadvise lists them.
mapfile -t floor_ns < <("$tw" --all-namespaces --format json 2>/dev/null | /usr/bin/python3 -c '
import json, sys
for n in json.load(sys.stdin)["namespaces"]:
    ns = n["netns"]
    print("" if ns["host"] else ns["run_name"] or "/proc/%d/ns/net" % ns["pid"])')
seen=${#floor_ns[@]}
[ "$seen" -gt 0 ] || { echo "bench-namespaces.sh: $tw --all-namespaces listed no namespace" >&2; exit 1; }

expired=
floor_wall=()
floor_cpu=()
tw_wall=()
tw_cpu=()
for r in $(seq "$rounds"); do
	w=0
	c=0
	for ns in "${floor_ns[@]}"; do
		# shellcheck disable=SC2086 # "" is the host's own namespace
		out=$(/usr/bin/python3 "$here/runtime.py" "$floor" $ns) || continue   # one that ended since
		w=$(calc "$w + ${out% *}")
		c=$(calc "$c + ${out#* }")
	done
	floor_wall+=("$w")
	floor_cpu+=("$c")
	# Exit 1 too: a namespace of another program may vanish meanwhile
	# (its error is reported, the others analysed).
	out=$(/usr/bin/python3 "$here/runtime.py" "$tw" --all-namespaces --format json) ||
		[ $? -eq 1 ] || { echo "bench: twadvise --all-namespaces failed" >&2; exit 1; }
	tw_wall+=("${out% *}")
	tw_cpu+=("${out#* }")
	# The first namespace's sockets were made first and expire first: a
	# round that outlived them measured fewer sockets, and is dropped.
	left=$("$floor" "${tw_ns[0]}")
	printf 'round %d: floor %.1f ms, twadvise %.1f ms; %s sockets left in %s\n' "$r" "$w" "${out% *}" \
		"$left" "${tw_ns[0]}"
	if [ "$left" -lt "$(cat "$tmp/${tw_ns[0]}")" ] && [ "$r" -gt 1 ]; then
		echo "round $r dropped: TIME_WAIT sockets expired meanwhile (made too slowly: a loaded machine)"
		unset 'floor_wall[-1]' 'floor_cpu[-1]' 'tw_wall[-1]' 'tw_cpu[-1]'
		break
	fi
	[ "$left" -ge "$(cat "$tmp/${tw_ns[0]}")" ] || expired=" (sockets expired during the only round)"
done

fw=$(echo "${floor_wall[*]}" | median)
fc=$(echo "${floor_cpu[*]}" | median)
tw_w=$(echo "${tw_wall[*]}" | median)
tw_c=$(echo "${tw_cpu[*]}" | median)
printf '\n%-10s %10s %10s   %s\n' what wall_ms cpu_ms "wall of each round (ms)"
printf '%-10s %10.1f %10.1f   %s\n' floor_sum "$fw" "$fc" "${floor_wall[*]}"
printf '%-10s %10.1f %10.1f   %s\n' twadvise "$tw_w" "$tw_c" "${tw_wall[*]}"
rss=$(/usr/bin/time -v "$tw" --all-namespaces --format json 2>&1 >/dev/null |
	awk -F': ' '/Maximum resident set size/ { print $2 }')
printf '\ntwadvise peak RSS: %d KiB\n' "$rss"
printf 'RESULT namespaces k=%d m=%d ehash=%s seen=%d rounds=%d twadvise/sum_floor=%.2f cpu %.2f rss_kb=%d (target <= 1.5)%s\n' \
	"$k" "$m" "$ehash" "$seen" "${#tw_wall[@]}" "$(calc "$tw_w / $fw")" "$(calc "$tw_c / $fc")" "$rss" "$expired"
