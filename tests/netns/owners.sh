#!/bin/sh
# SPDX-License-Identifier: MIT
# owners.sh: who makes the churn. In a namespace with a 1,000-port range,
# tcp_tw_reuse 0 (loopback reuse would hide the pressure),
# one process makes 700 TIME_WAIT and holds 40 live connections toward
# 127.0.0.1:7788 while a second holds 10: pool-connections names the
# first, with its pid and its 40 of the 50 live connections, as ss -tanp
# counts them independently. When a cgroup v2 hierarchy is writable the
# first process runs in a cgroup named like a systemd unit and is named
# by it. Owners are per run (one /proc pass), also with --no-netlink.
. "$(dirname "$0")/lib.sh"

new_ns owners
ip netns exec "$ns" sysctl -qw net.ipv4.ip_local_port_range="40000 40999" net.ipv4.tcp_tw_reuse=0 ||
	fail "setting the port range"

# A cgroup that looks like a systemd unit, when cgroup v2 is writable.
unit=twtest-$$.service
cg=
cg2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [ -n "$cg2" ] && mkdir "$cg2/$unit" 2>/dev/null; then
	cg=$cg2/$unit
	trap 'tw_cleanup; rmdir "$cg" 2>/dev/null' EXIT
fi

# The churning process: 700 TIME_WAIT, then 40 held open.
sh -c 'cg=$1; shift; [ -z "$cg" ] || echo $$ >"$cg/cgroup.procs"; exec "$@"' sh "$cg" \
	ip netns exec "$ns" "$PY" "$TW_SRCDIR/tests/netns/make-held.py" 40 700 7788 40 \
	>"$TW_TMP/ready.1" 2>&1 &
tw_pids="$tw_pids $!"
tw_n=1
wait_ready
# A second process holding 10 connections to the same destination.
ip netns exec "$ns" "$PY" -c '
import socket, sys, time
k = [socket.create_connection(("127.0.0.1", 7788), timeout=5) for _ in range(10)]
print("ready", flush=True)
time.sleep(30)' >"$TW_TMP/ready.2" 2>&1 &
tw_pids="$tw_pids $!"
tw_n=2
wait_ready

# Independent: ss -tanp's users:(("comm",pid=N,fd=M)) per live client
# socket toward :7788, counted per pid.
ip netns exec "$ns" ss -tanpH state established '( dport = :7788 )' >"$TW_TMP/ss-p" ||
	fail "ss -tanp"
eval "$("$PY" - "$TW_TMP/ss-p" <<'PY'
import re, sys, collections
c = collections.Counter()
total = 0
for line in open(sys.argv[1]):
    total += 1
    for pid in set(re.findall(r"pid=(\d+)", line)):
        c[int(pid)] += 1
(pid, n), = sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:1]
comm = open("/proc/%d/comm" % pid).read().strip()
print("top_pid=%d top_n=%d live=%d top_comm=%s" % (pid, n, total, comm))
PY
)"
[ "$top_n" = 40 ] && [ "$live" = 50 ] || fail "setup: ss -tanp counts $top_n of $live (want 40 of 50)"
if [ -n "$cg" ]; then want_name="$unit (pid $top_pid)"; else want_name="$top_comm (pid $top_pid)"; fi

check() {	# check WHAT JSON
	ev=$(printf '%s' "$2" | jq -r '.findings[] | select(.id == "pool-connections") | .evidence')
	[ -n "$ev" ] || fail "$1: pool-connections did not fire"
	case $ev in
	*"$want_name holds 40 of the 50 live connections"*) ;;
	*) fail "$1: evidence does not name '$want_name holds 40 of the 50': $ev" ;;
	esac
	printf '%s' "$2" | jq -r '.findings[] | select(.id == "pool-connections") | .actions[0]' |
		grep -qF "Start with $want_name:" || fail "$1: the first action does not start with the owner"
	printf '%s' "$2" | jq -e --argjson pid "$top_pid" '[.time_wait.top[] | select(.side == "client"
		and .remote_port == 7788)][0] | .live == 50 and (.owners | length) == 2
		and .owners[0].pid == $pid and .owners[0].sockets == 40 and .owners[1].sockets == 10' \
		>/dev/null || fail "$1: JSON owners: $(printf '%s' "$2" | jq -c '.time_wait.top[0]')"
}
out=$("$TWADVISE" --netns "$ns" --format json --site-dir /nonexistent) || fail "netlink run"
check netlink "$out"
out=$("$TWADVISE" --netns "$ns" --format json --site-dir /nonexistent --no-netlink) || fail "/proc run"
check /proc/net/tcp "$out"
echo "owners: $want_name holds $top_n of $live live connections, named in the finding"
