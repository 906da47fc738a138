#!/bin/bash
# SPDX-License-Identifier: MIT
# bench-watch.sh: what one --watch refresh costs. Makes N (default
# 250,000) client-side TIME_WAIT sockets in a throw-away network namespace
# (as bench-live.sh), then times, interleaved over several rounds:
#   floor    bench/twadvise-dumpfloor: the bare netlink dump
#   watch1   twadvise --netns NS --watch 0.2 --iterations 1 (off a
#            terminal): start-up (rules, profiles) and one refresh
#   watchK   the same with --iterations K (default 10)
# The CPU of one refresh is (watchK - watch1) / (K - 1): the start-up
# cancels out, the sleeps cost no CPU. Prints its median and its ratio to
# the floor's CPU. Target <= 1.3 at the default N (at small N the fixed
# cost dominates, as in bench-live.sh): a refresh is the socket dump, the
# conntrack dump (ctnetlink) every analysis reads, the /proc files and the
# rules. The kernel walks its global socket and conntrack tables for each
# dump, whatever the namespace: on a machine where other namespaces hold
# many sockets, the floor itself grows.
#
# Usage (root): bench/bench-watch.sh [BUILDDIR] [N] [ROUNDS] [K]
set -eu

build=$(cd "${1:-.}" && pwd)
n=${2:-250000}
rounds=${3:-5}
k=${4:-10}
tw=${TWADVISE:-$build/twadvise}
floor=$build/bench/twadvise-dumpfloor
mktw=$build/bench/twadvise-mktw
ns=twbench-watch-$$

[ "$(id -u)" = 0 ] || { echo "bench-watch.sh: needs root" >&2; exit 1; }
[ "$k" -ge 2 ] || { echo "bench-watch.sh: K must be 2 or more" >&2; exit 1; }
for x in "$tw" "$floor" "$mktw"; do
	[ -x "$x" ] || { echo "bench-watch.sh: $x not found (make; make bench/twadvise-dumpfloor bench/twadvise-mktw)" >&2; exit 1; }
done

. "$(dirname "$0")/bench-lib.sh"

bench_ns "$ns"
ip netns exec "$ns" sysctl -q -w net.ipv4.ip_local_port_range="1024 65535" \
	net.ipv4.tcp_tw_reuse=0 net.ipv4.tcp_max_tw_buckets=$((n * 2 + 1000)) >/dev/null
n6=$((n / 10))
made=$(ip netns exec "$ns" "$mktw" "$((n - n6))" "$n6")
echo "made $made TIME_WAIT sockets ($ns)"

for r in $(seq "$rounds"); do
	run floor "$floor" "$ns"
	run watch1 "$tw" --netns "$ns" --watch 0.2 --iterations 1
	run watchK "$tw" --netns "$ns" --watch 0.2 --iterations "$k"
	printf 'round %d: %s sockets\n' "$r" "$("$floor" "$ns")"
done

# Per round: one refresh's CPU, from that round's pair.
read -ra c1 <<<"${cpu[watch1]}"
read -ra ck <<<"${cpu[watchK]}"
per=""
for i in "${!c1[@]}"; do
	per+=" $(calc "(${ck[$i]} - ${c1[$i]}) / ($k - 1)")"
done
fc=$(echo "${cpu[floor]}" | median)
pc=$(echo "$per" | median)
c1m=$(echo "${cpu[watch1]}" | median)
wk=$(echo "${times[watchK]}" | median)
printf '\nfloor cpu_ms %.1f; watch start-up + 1 refresh cpu_ms %.1f; per refresh cpu_ms%s\n' \
	"$fc" "$c1m" "$per"
printf 'RESULT watch n=%d k=%d floor_cpu_ms=%.1f refresh_cpu_ms=%.1f refresh/floor=%.2f watch1_cpu_ms=%.1f wall_k_ms=%.0f (target refresh/floor <= 1.3 at n=250000)\n' \
	"$made" "$k" "$fc" "$pc" "$(calc "$pc / $fc")" "$c1m" "$wk"
