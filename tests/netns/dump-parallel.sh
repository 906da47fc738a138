#!/bin/sh
# SPDX-License-Identifier: MIT
# dump-parallel.sh: the live walk dumps IPv4 and IPv6 on two netlink
# sockets at once (src/collect/sockdiag_pair.c). On a namespace with
# thousands of TIME_WAIT sockets of both families (more IPv6 replies than
# the receiver's queue holds, so it has to wait for the parser), the
# report must be the one of the sequential walk (TWADVISE_DUMP_SEQUENTIAL=1,
# and a run pinned to one CPU), and both must match the kernel (sockstat
# "tw", ss). strace shows that the parallel run did open two sock_diag
# sockets and a thread, the sequential ones one socket and no thread; and
# that an empty conntrack table (nf_conntrack_count 0) is not dumped.
. "$(dirname "$0")/lib.sh"

command -v strace >/dev/null 2>&1 || skip "no strace"

new_ns par
# No TIME_WAIT reuse (loopback's default, 2, lets a slow run recycle its
# own first sockets) and room for them all.
ip netns exec "$ns" sysctl -qw net.ipv4.tcp_tw_reuse=0 \
	net.ipv4.ip_local_port_range="1024 65535" || fail "sysctl in $ns"
tw "$ns" 5000 4 client 8080
tw "$ns" 9000 6 client 8081
tw "$ns" 300 4 server 9090
tw "$ns" 200 6 server 9091
tw "$ns" 100 46 server 7070
wait_ready
# Client sockets reach TIME_WAIT when the helper's server side has closed
# too: on a loaded machine that can lag behind "ready", and sockstat's
# "tw" already counts the orphaned FIN-WAIT-2 ones (bounded: 20 s).
i=0
while [ "$(ip netns exec "$ns" ss -tanH state time-wait | wc -l)" != 14600 ] && [ $i -lt 200 ]; do
	i=$((i + 1))
	sleep 0.1
done
[ $i -lt 200 ] || fail "after 20 s, $(ip netns exec "$ns" ss -tanH state time-wait | wc -l) of 14600 sockets in TIME_WAIT"

# report ENV...: the run's JSON without what moves with the clock (ages,
# the rates and verdicts derived from them, generated_at).
report() {
	env "$@" "$TWADVISE" --netns "$ns" --format json >"$TW_TMP/run.json" || fail "twadvise ($*) failed"
	jq -S '{ tw: (.time_wait | del(.top[].ages)), findings: [.findings[].id],
		notes, profile }' "$TW_TMP/run.json"
}
par=$(report TWADVISE_DUMP_SEQUENTIAL=) || exit 1
cp "$TW_TMP/run.json" "$TW_TMP/par.json"
seq=$(report TWADVISE_DUMP_SEQUENTIAL=1) || exit 1
[ "$par" = "$seq" ] || { printf '%s\n' "$par" >"$TW_TMP/a"; printf '%s\n' "$seq" >"$TW_TMP/b"
	diff -u "$TW_TMP/b" "$TW_TMP/a" >&2; fail "parallel and sequential reports differ"; }
if command -v taskset >/dev/null 2>&1; then
	one=$(report TWADVISE_DUMP_SEQUENTIAL= taskset -c 0) || exit 1
	[ "$one" = "$seq" ] || fail "the run on one CPU differs from the sequential one"
fi

total=$(jq -e '.time_wait.total' "$TW_TMP/par.json") || fail "no time_wait.total"
kernel=$(sockstat_tw "$ns")
[ "$total" = 14600 ] || fail "time_wait.total = $total, expected 14600"
[ "$total" = "$kernel" ] || fail "time_wait.total = $total, sockstat tw = $kernel"
json_tuples <"$TW_TMP/par.json" >"$TW_TMP/ours"
ss_tuples "$ns" "9090 9091 7070" >"$TW_TMP/ss"
diff -u "$TW_TMP/ss" "$TW_TMP/ours" || fail "tuples differ from ss"

# sockets NETLINK_PROTO ENV...: how many such sockets a run opens.
sockets() {
	p=$1
	shift
	env ASAN_OPTIONS=detect_leaks=0 "$@" strace -f -qq -e trace=socket,sendto -o "$TW_TMP/strace" \
		"$TWADVISE" --netns "$ns" --format json >/dev/null || fail "twadvise under strace ($*)"
	grep "socket(" "$TW_TMP/strace" | grep -c "$p" || true
}
n=$(sockets NETLINK_SOCK_DIAG TWADVISE_DUMP_SEQUENTIAL=)
p=$(awk '{ print $1 }' "$TW_TMP/strace" | sort -u | wc -l)
[ "$n" = 2 ] || fail "parallel run opened $n sock_diag sockets, expected 2"
[ "$p" -ge 2 ] || fail "parallel run: netlink calls from $p task(s), expected a thread too"
n=$(sockets NETLINK_SOCK_DIAG TWADVISE_DUMP_SEQUENTIAL=1)
p=$(awk '{ print $1 }' "$TW_TMP/strace" | sort -u | wc -l)
[ "$n" = 1 ] || fail "sequential run opened $n sock_diag sockets, expected 1"
[ "$p" = 1 ] || fail "sequential run: netlink calls from $p tasks, expected 1"

# No conntrack rule here: the table is empty, and is not dumped.
c=$(ip netns exec "$ns" cat /proc/sys/net/netfilter/nf_conntrack_count 2>/dev/null) || c=
if [ "$c" = 0 ]; then
	n=$(sockets NETLINK_NETFILTER)
	[ "$n" = 0 ] || fail "an empty conntrack table was dumped ($n ctnetlink sockets)"
fi
echo "ok: $total TIME_WAIT sockets, parallel = sequential = sockstat, $(wc -l <"$TW_TMP/ours") tuples"
