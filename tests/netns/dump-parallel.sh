#!/bin/sh
# SPDX-License-Identifier: MIT
# dump-parallel.sh: the ways the live walk dumps sockets
# (src/collect/sockdiag_pair.c): one dump of both families with a
# receiver thread (the default), the same without a thread (pinned to one
# CPU), one dump per family on two sockets at once (TWADVISE_DUMP=parallel)
# and one per family in turn (TWADVISE_DUMP=sequential), and the fallback
# when the kernel refuses the one dump (an LD_PRELOAD shim spoils that
# request, refuse-single.c). On a namespace
# with thousands of TIME_WAIT sockets of both families (more replies than
# the receiver's queue holds, so it has to wait for the parser), every
# report must be the sequential one, and that must match the kernel
# (sockstat "tw", ss). strace shows what each run did: sockets, requests,
# threads; and that an empty conntrack table (nf_conntrack_count 0) is not
# dumped.
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
seq=$(report TWADVISE_DUMP=sequential) || exit 1
same() {	# same NAME ENV...: that run's report is the sequential one
	name=$1
	shift
	r=$(report "$@") || exit 1
	[ "$r" = "$seq" ] && return 0
	printf '%s\n' "$seq" >"$TW_TMP/a"; printf '%s\n' "$r" >"$TW_TMP/b"
	diff -u "$TW_TMP/a" "$TW_TMP/b" >&2
	fail "the $name report differs from the sequential one"
}
same parallel TWADVISE_DUMP=parallel
if command -v taskset >/dev/null 2>&1; then
	same "one-CPU single-dump" TWADVISE_DUMP= taskset -c 0
	same "one-CPU parallel (so sequential)" TWADVISE_DUMP=parallel taskset -c 0
fi
# A kernel that refuses the one-dump request (refuse-single.c): one dump
# per family instead, same report.
shim=${TW_BUILDDIR:-$TW_SRCDIR}/tests/netns/refuse-single.so
[ -f "$shim" ] || fail "$shim not built (make check builds it)"
refused="LD_PRELOAD=$shim ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=0"
same "refused single-dump" TWADVISE_DUMP= $refused
same single TWADVISE_DUMP=
cp "$TW_TMP/run.json" "$TW_TMP/par.json"

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
# expect NAME SOCKETS REQUESTS TASKS ENV...: a run opens SOCKETS sock_diag
# sockets, sends REQUESTS (a regex of their nlmsg_type: 0x12 TCPDIAG_GETSOCK,
# 0x14 SOCK_DIAG_BY_FAMILY; strace may not name them) and makes its
# netlink calls from TASKS threads.
expect() {
	name=$1 ns_=$2 rq=$3 tk=$4
	shift 4
	n=$(sockets NETLINK_SOCK_DIAG "$@")
	[ "$n" = "$ns_" ] || fail "$name run: $n sock_diag sockets, expected $ns_"
	# The requests sent on sock_diag sockets (an fd number is reused after
	# close: the socket() that returned it last says what it is).
	r=$(awk '/socket\(/ { fd = $NF; diag[fd] = /NETLINK_SOCK_DIAG/ }
		/sendto\(/ { fd = $2; sub(/^sendto\(/, "", fd); sub(/,.*/, "", fd)
			if (diag[fd] && match($0, /nlmsg_type=[A-Za-z_0-9]*/))
				print substr($0, RSTART + 11, RLENGTH - 11) }' "$TW_TMP/strace" |
		sort | tr '\n' ' ')
	printf '%s\n' "$r" | grep -Eqx "$rq" || fail "$name run sent: $r; expected $rq"
	t=$(awk '{ print $1 }' "$TW_TMP/strace" | sort -u | wc -l)
	[ "$t" = "$tk" ] || fail "$name run: netlink calls from $t tasks, expected $tk"
}
expect single 2 "0x12 " 2 TWADVISE_DUMP=
expect parallel 2 "(0x14 ){2}" 2 TWADVISE_DUMP=parallel
expect sequential 1 "(0x14 ){2}" 1 TWADVISE_DUMP=sequential
# (tasks: the calling thread, the one-dump receiver, the IPv6 receiver)
expect "refused single-dump" 2 "0x12 (0x14 ){2}" 3 TWADVISE_DUMP= $refused
if command -v taskset >/dev/null 2>&1; then
	expect "one-CPU single" 1 "0x12 " 1 TWADVISE_DUMP= taskset -c 0
fi

# No conntrack rule here: the table is empty, and is not dumped.
c=$(ip netns exec "$ns" cat /proc/sys/net/netfilter/nf_conntrack_count 2>/dev/null) || c=
if [ "$c" = 0 ]; then
	sockets NETLINK_NETFILTER >/dev/null
	# IPCTNL_MSG_CT_GET in subsystem NFNL_SUBSYS_CTNETLINK: 0x101.
	n=$(grep 'sendto(' "$TW_TMP/strace" | grep -Ec 'nlmsg_type=(0x101|NFNL_SUBSYS_CTNETLINK<<8\|IPCTNL_MSG_CT_GET)[,} ]' || true)
	[ "$n" = 0 ] || fail "an empty conntrack table was dumped ($n ctnetlink dump requests)"
fi
echo "ok: $total TIME_WAIT sockets, single = parallel = sequential = sockstat, $(wc -l <"$TW_TMP/ours") tuples"
