# SPDX-License-Identifier: MIT
# lib.sh: shared by the namespace tests (sourced, not run).
#
# Each test gets its own namespace twtest-$$-NAME, and everything it
# starts is undone on exit, whether it passes or fails: helper processes
# killed, namespace deleted, temporary folder removed. Skips (exit 77)
# when not root, when `ip netns` does not work, or without jq.

: "${TWADVISE:?TWADVISE is set by the test harness (tests/local.mk)}"
: "${TW_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
PY=/usr/bin/python3
MKTW="$TW_SRCDIR/tests/netns/make-timewait.py"

skip() { echo "SKIP: $*" >&2; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || skip "needs root"
command -v ip >/dev/null 2>&1 || skip "no ip(8)"
command -v jq >/dev/null 2>&1 || skip "no jq"
[ -x "$PY" ] || skip "no $PY"

tw_pids=
tw_nss=
TW_TMP=$(mktemp -d "${TMPDIR:-/tmp}/twtest.XXXXXX")

tw_cleanup() {
	for p in $tw_pids; do kill "$p" 2>/dev/null || true; done
	for p in $tw_pids; do wait "$p" 2>/dev/null || true; done
	for n in $tw_nss; do ip netns del "$n" 2>/dev/null || true; done
	rm -rf "$TW_TMP"
}
trap tw_cleanup EXIT
trap 'exit 1' INT TERM HUP

# new_ns SUFFIX: creates twtest-$$-SUFFIX with loopback up; prints its name.
new_ns() {
	ns=twtest-$$-$1
	ip netns add "$ns" 2>/dev/null || skip "ip netns add fails here"
	tw_nss="$tw_nss $ns"
	ip -n "$ns" link set lo up || fail "lo up in $ns"
}

# tw NS COUNT FAMILY SIDE PORT: makes TIME_WAIT sockets in NS in the
# background; the helper keeps its listener 45 s (then ends by itself).
tw_n=0
tw() {
	tw_n=$((tw_n + 1))
	ip netns exec "$1" "$PY" "$MKTW" "$2" "$3" "$4" "$5" 45 >"$TW_TMP/ready.$tw_n" 2>&1 &
	tw_pids="$tw_pids $!"
}

# wait_ready: waits (at most 20 s) until every helper said "ready".
wait_ready() {
	i=0
	while :; do
		n=$(cat "$TW_TMP"/ready.* 2>/dev/null | grep -c '^ready' || true)
		[ "$n" -ge "$tw_n" ] && return 0
		i=$((i + 1))
		[ $i -le 200 ] || { cat "$TW_TMP"/ready.* >&2; fail "helpers not ready"; }
		sleep 0.1
	done
}

# wait_own_netns PID: waits (at most 5 s) until PID (started by
# `unshare -n ...`) has left this shell's network namespace, then sets its
# loopback up.
wait_own_netns() {
	self=$(readlink /proc/self/ns/net)
	i=0
	while [ "$(readlink "/proc/$1/ns/net" 2>/dev/null)" = "$self" ] ||
	      [ -z "$(readlink "/proc/$1/ns/net" 2>/dev/null)" ]; do
		i=$((i + 1)); [ $i -le 100 ] || fail "unshare -n did not start"; sleep 0.05
	done
	nsenter -t "$1" -n ip link set lo up || fail "lo up in pid $1's namespace"
}

# sockstat_tw NS: the "tw" field of /proc/net/sockstat inside NS.
sockstat_tw() {
	ip netns exec "$1" cat /proc/net/sockstat |
		awk '$1 == "TCP:" { for (i = 2; i < NF; i++) if ($i == "tw") print $(i + 1) }'
}

# ss_tuples NS PORTS: TIME_WAIT tuples as ss sees them, "side local
# remote port count" sorted; PORTS lists the listening ports (space
# separated). v4-mapped addresses are shown as IPv4, brackets dropped.
ss_tuples() {
	ip netns exec "$1" ss -tanH state time-wait |
		awk -v ports="$2" '
		function split_ep(ep, r,   i) {
			i = match(ep, /:[0-9*]+$/)
			r["addr"] = substr(ep, 1, i - 1); r["port"] = substr(ep, i + 1)
			gsub(/^\[|\]$/, "", r["addr"]); sub(/^::ffff:/, "", r["addr"])
		}
		BEGIN { n = split(ports, p, " "); for (i = 1; i <= n; i++) listen[p[i]] = 1 }
		{
			# -H with a state filter: Recv-Q Send-Q Local Peer
			split_ep($3, l); split_ep($4, r)
			if (l["port"] in listen) k = "server " l["addr"] " " r["addr"] " " l["port"]
			else k = "client " l["addr"] " " r["addr"] " " r["port"]
			c[k]++
		}
		END { for (k in c) print k, c[k] }' | sort
}

# json_tuples: the same shape from twadvise's JSON on stdin.
json_tuples() {
	jq -r '.time_wait.top[] |
		"\(.side) \(.local) \(.remote) \(if .side == "client" then .remote_port else .local_port end) \(.count)"' |
		sort
}
