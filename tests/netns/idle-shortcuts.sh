#!/bin/sh
# SPDX-License-Identifier: MIT
# idle-shortcuts.sh: an idle namespace is read without the two dumps
# that walk host-wide tables (sock_diag walks every namespace's
# established hash, ctnetlink the whole conntrack hash), and the
# shortcuts never hide a socket. Under strace (the netlink sockets
# twadvise opens):
#   1. a fresh namespace (sockstat: no TCP socket; nf_conntrack_count 0
#      when conntrack is loaded): no NETLINK_SOCK_DIAG and no
#      NETLINK_NETFILTER socket; the JSON says 0 TIME_WAIT, and the
#      conntrack cost item, when present, is measured with 0 entries;
#   2. only an IPv6 listener (TCP inuse 0, TCP6 inuse 1): the dump is made;
#   3. only a TIME_WAIT socket (every socket closed: inuse 0, tw 1): the
#      dump is made and the JSON counts the one socket ss shows;
#   4. with SLUB's /sys/kernel/slab/tw_sock_TCP, /proc/slabinfo (every
#      cache of the host) is not opened, and the memory item says where
#      its counts came from (sysctl-subset.sh checks they are slabinfo's).
. "$(dirname "$0")/lib.sh"
command -v strace >/dev/null 2>&1 || skip "no strace"

# run NS: twadvise's JSON in $TW_TMP/out.json, its netlink sockets in
# $TW_TMP/nl (one protocol a line).
run() {
	ASAN_OPTIONS=detect_leaks=0 strace -f -e trace=socket,open,openat,openat2 -o "$TW_TMP/strace" \
		"$TWADVISE" --netns "$1" --format json >"$TW_TMP/out.json" || fail "twadvise --netns $1"
	sed -n 's/.*socket(AF_NETLINK, [^,]*, \(NETLINK_[A-Z_]*\)).*/\1/p' "$TW_TMP/strace" >"$TW_TMP/nl"
}
dumped() { grep -qx NETLINK_SOCK_DIAG "$TW_TMP/nl"; }
sockstat() {	# sockstat NS FILE LABEL FIELD
	ip netns exec "$1" cat "/proc/net/$2" |
		awk -v l="$3" -v f="$4" '$1 == l { for (i = 2; i < NF; i++) if ($i == f) print $(i + 1) }'
}

# 1. Nothing in the namespace.
new_ns idle
[ "$(sockstat "$ns" sockstat TCP: inuse)" = 0 ] && [ "$(sockstat "$ns" sockstat TCP: tw)" = 0 ] ||
	fail "setup: a fresh namespace has TCP sockets"
run "$ns"
dumped && fail "an empty namespace was dumped (sock_diag)"
grep -qx NETLINK_NETFILTER "$TW_TMP/nl" && fail "an empty conntrack table was dumped (ctnetlink)"
jq -e '.time_wait.known and .time_wait.total == 0' "$TW_TMP/out.json" >/dev/null ||
	fail "an empty namespace: $(jq -c .time_wait "$TW_TMP/out.json")"
if ip netns exec "$ns" test -e /proc/sys/net/netfilter/nf_conntrack_count; then
	[ "$(ip netns exec "$ns" cat /proc/sys/net/netfilter/nf_conntrack_count)" = 0 ] ||
		fail "setup: conntrack entries in a fresh namespace"
	jq -e '.cost.items[] | select(.name == "conntrack") | .measured and .value == 0 and
		.extra.value == 0' "$TW_TMP/out.json" >/dev/null ||
		fail "the empty conntrack table: $(jq -c '.cost.items[] | select(.name == "conntrack")' "$TW_TMP/out.json")"
	echo "an empty conntrack table: measured, 0 entries, not dumped"
fi
echo "an empty namespace: no dump, 0 TIME_WAIT"

# 2. One IPv6 listener, nothing else.
new_ns v6
ip netns exec "$ns" "$PY" -c '
import socket, sys, time
s = socket.socket(socket.AF_INET6)
s.bind(("::1", 7070))
s.listen()
print("ready", flush=True)
time.sleep(30)' >"$TW_TMP/ready.v6" 2>&1 &
tw_pids="$tw_pids $!"
tw_n=$((tw_n + 1))
wait_ready
[ "$(sockstat "$ns" sockstat TCP: inuse)" = 0 ] && [ "$(sockstat "$ns" sockstat6 TCP6: inuse)" = 1 ] ||
	fail "setup: expected TCP inuse 0 and TCP6 inuse 1"
run "$ns"
dumped || fail "a namespace with one IPv6 listener was not dumped"
echo "one IPv6 listener: dumped"

# 3. One client-side TIME_WAIT socket, every socket closed.
new_ns tw
ip netns exec "$ns" "$PY" -c '
import socket
l = socket.socket()
l.bind(("127.0.0.1", 7071))
l.listen()
c = socket.create_connection(("127.0.0.1", 7071))
s, _ = l.accept()
c.close()          # the client closes first: its side goes to TIME_WAIT
s.recv(1)
s.close()
l.close()' || fail "setup: the TIME_WAIT socket"
[ "$(sockstat "$ns" sockstat TCP: inuse)" = 0 ] || fail "setup: sockets left besides TIME_WAIT"
n=$(ip netns exec "$ns" ss -Htan state time-wait | grep -c .)
[ "$n" -ge 1 ] || fail "setup: no TIME_WAIT socket"
run "$ns"
dumped || fail "a namespace whose only socket is in TIME_WAIT was not dumped"
got=$(jq '.time_wait.total' "$TW_TMP/out.json")
[ "$got" = "$n" ] || fail "TIME_WAIT: twadvise $got, ss $n"
echo "only TIME_WAIT: dumped, $got socket(s) as ss"

# 4. The slab counts of three caches, not of all.
if [ -d /sys/kernel/slab/tw_sock_TCP ] && [ ! -L /sys/kernel/slab/tw_sock_TCP ] &&
	[ -r /sys/kernel/slab/tw_sock_TCP/objects ]; then
	grep -q '"/proc/slabinfo"' "$TW_TMP/strace" && fail "/proc/slabinfo read though /sys/kernel/slab has the caches"
	jq -e '.cost.items[] | select(.name == "memory") | .measured and
		(.verdict | test("from /sys/kernel/slab$"))' "$TW_TMP/out.json" >/dev/null ||
		fail "memory item: $(jq -c '.cost.items[] | select(.name == "memory")' "$TW_TMP/out.json")"
	echo "slab counts from /sys/kernel/slab, /proc/slabinfo not opened"
else
	echo "no /sys/kernel/slab/tw_sock_TCP (SLAB, or SLUB without its counts): slabinfo stays"
fi
