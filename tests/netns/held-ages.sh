#!/bin/sh
# SPDX-License-Identifier: MIT
# held-ages.sh: every socket that holds a port counts against its
# destination (held), TIME_WAIT alone in count, and TIME_WAIT sockets
# carry their age. 200 ESTABLISHED + 300 TIME_WAIT connections toward
# 127.0.0.1:7777: held and count are checked against ss's own counts,
# ages against the burst (made within seconds: the newest buckets), for
# netlink, the /proc/net/tcp fallback, and --capture read back as a
# snapshot (equal held and count, ages within one 10 s bucket).
. "$(dirname "$0")/lib.sh"

new_ns held
ip netns exec "$ns" "$PY" "$TW_SRCDIR/tests/netns/make-held.py" 200 300 7777 40 \
	>"$TW_TMP/ready.1" 2>&1 &
tw_pids="$tw_pids $!"
tw_n=1
wait_ready

# Independent counts from ss: client-side sockets toward :7777 in each
# port-holding state, and TIME_WAIT alone.
ssn() { ip netns exec "$ns" ss -tanH "$@" '( dport = :7777 )' | wc -l; }
held_ss=$(ssn state established state syn-sent state fin-wait-1 state fin-wait-2 \
	state close-wait state last-ack state closing state time-wait)
tw_ss=$(ssn state time-wait)
srv_ss=$(ip netns exec "$ns" ss -tanH state established '( sport = :7777 )' | wc -l)
[ "$held_ss" = 500 ] && [ "$tw_ss" = 300 ] && [ "$srv_ss" = 200 ] ||
	fail "setup: ss counts held $held_ss, TIME_WAIT $tw_ss, server $srv_ss (want 500, 300, 200)"

# row JSON SIDE: the top row of that side toward/at port 7777.
row() {
	printf '%s\n' "$1" | jq -c --arg side "$2" '[.time_wait.top[] | select(.side == $side and
		(if $side == "client" then .remote_port else .local_port end) == 7777)][0]'
}
check() {	# check WHAT JSON
	c=$(row "$2" client)
	[ "$(printf '%s' "$c" | jq .held)" = "$held_ss" ] || fail "$1: client held $(printf '%s' "$c" | jq .held), ss says $held_ss"
	[ "$(printf '%s' "$c" | jq .count)" = "$tw_ss" ] || fail "$1: client count $(printf '%s' "$c" | jq .count), ss says $tw_ss"
	# The accepted ends (ESTABLISHED, no TIME_WAIT) hold no row: rows
	# list tuples with TIME_WAIT sockets.
	[ "$(row "$2" server)" = null ] || fail "$1: a server row without TIME_WAIT"
	# Ages: known, summing to count, all in the two newest buckets.
	printf '%s' "$c" | jq -e --argjson n "$tw_ss" '.ages | length == 6 and add == $n and
		(.[0] + .[1]) == $n' >/dev/null || fail "$1: ages $(printf '%s' "$c" | jq -c .ages) for a burst of $tw_ss"
}

nl=$("$TWADVISE" --netns "$ns" --format json --site-dir /nonexistent) || fail "netlink run"
check netlink "$nl"
pr=$("$TWADVISE" --netns "$ns" --format json --site-dir /nonexistent --no-netlink) || fail "/proc run"
check /proc/net/tcp "$pr"

snap=$TW_TMP/snap
"$TWADVISE" --capture "$snap" --netns "$ns" || fail "capture failed"
grep -q '^TIME-WAIT .*127.0.0.1:7777 timer:(timewait,[0-9.a-z]*,0)$' "$snap/ss-tan.txt" ||
	fail "ss-tan.txt has no ss -tano timer"
grep -Eq '^ESTAB .*127.0.0.1:7777( users:\(\("python3",pid=[0-9]+,fd=[0-9]+\)\))?$' "$snap/ss-tan.txt" || fail "ss-tan.txt lacks ESTABLISHED sockets"
off=$("$TWADVISE" --snapshot "$snap" --format json --site-dir /nonexistent) || fail "snapshot run"
check snapshot "$off"
# Live and snapshot agree on ages within one bucket (seconds passed).
a=$(row "$nl" client | jq -c .ages)
b=$(row "$off" client | jq -c .ages)
"$PY" - "$a" "$b" <<'PY' || fail "ages live $a, snapshot $b: more than one bucket apart"
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
mean = lambda v: sum(i * n for i, n in enumerate(v)) / max(1, sum(v))
sys.exit(0 if sum(a) == sum(b) and abs(mean(a) - mean(b)) <= 1 else 1)
PY
echo "ok: held $held_ss, TIME_WAIT $tw_ss, ages $a"
