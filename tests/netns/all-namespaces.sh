#!/bin/sh
# SPDX-License-Identifier: MIT
# all-namespaces.sh: --all-namespaces finds and names every network
# namespace and counts each one's TIME_WAIT sockets as ss does inside it.
#
# Three child namespaces with known TIME_WAIT sockets on their loopback:
# two named under /run/netns (one also runs a sleep), and one that is not
# named (unshare -n sleep), which must be found through /proc/PID/ns/net
# and called "pid N (sleep)". Then:
#   1. --all-namespaces --format json: each is listed once, with its inode
#      and name, and time_wait.total equal to an independent ss count in
#      that namespace; the host comes first; namespace reports only name
#      the namespace in their fragment;
#   2. prometheus: twadvise_time_wait_sockets{netns="NAME"} for each;
#   3. --capture DIR --all-namespaces: one snapshot folder per namespace,
#      which analyses to the same count;
#   4. a host-level run (no --all-namespaces) notes that tw_sock slab
#      objects exceed its own TIME_WAIT and suggests --all-namespaces;
#   5. usage errors with --snapshot, --netns and --apply.
. "$(dirname "$0")/lib.sh"
command -v unshare >/dev/null 2>&1 || skip "no unshare(1)"
command -v nsenter >/dev/null 2>&1 || skip "no nsenter(1)"
command -v ss >/dev/null 2>&1 || skip "no ss(8)"

NA=1300
NB=600
NU=1100

new_ns a; nsa=$ns
new_ns b; nsb=$ns

# A process living in nsa, besides the helpers.
ip netns exec "$nsa" sleep 60 &
tw_pids="$tw_pids $!"

# The unnamed namespace: only its process holds it.
unshare -n sleep 60 &
upid=$!
tw_pids="$tw_pids $upid"
wait_own_netns "$upid"

tw "$nsa" "$NA" 4 client 8080
tw "$nsb" "$NB" 4 server 9090
tw_n=$((tw_n + 1))
nsenter -t "$upid" -n "$PY" "$MKTW" "$NU" 4 client 7070 45 >"$TW_TMP/ready.$tw_n" 2>&1 &
tw_pids="$tw_pids $!"
wait_ready

ss_count() {  # ss_count nsenter|ip-netns-exec ARGS...: TIME_WAIT sockets there
	"$@" ss -tanH state time-wait | wc -l | tr -d ' '
}
ssa=$(ss_count ip netns exec "$nsa")
ssb=$(ss_count ip netns exec "$nsb")
ssu=$(ss_count nsenter -t "$upid" -n)
echo "ss: $nsa $ssa, $nsb $ssb, pid $upid $ssu"
[ "$ssa" -ge "$NA" ] && [ "$ssb" -ge "$NB" ] && [ "$ssu" -ge "$NU" ] || fail "helpers made too few sockets"

ino() { stat -L -c %i "$1"; }
inoa=$(ino "/run/netns/$nsa")
inob=$(ino "/run/netns/$nsb")
inou=$(ino "/proc/$upid/ns/net")

# 1. JSON
"$TWADVISE" --all-namespaces --format json >"$TW_TMP/all.json" 2>"$TW_TMP/all.err" ||
	{ cat "$TW_TMP/all.err" >&2; fail "--all-namespaces --format json failed"; }
J="$TW_TMP/all.json"
jq -e '.namespaces[0].netns.host == true and .namespaces[0].netns.name == "host"' "$J" >/dev/null ||
	fail "the host is not the first namespace"
jq -e 'has("twadvise") and has("time_wait") and has("findings") and has("sysctl_d")' "$J" >/dev/null ||
	fail "the top level is not a report"
dups=$(jq -r '.namespaces[].netns | "\(.dev) \(.inode)"' "$J" | sort | uniq -d)
[ -z "$dups" ] || fail "namespaces listed twice: $dups"

check_ns() {  # check_ns INODE NAME COUNT
	got=$(jq -r --argjson i "$1" '[.namespaces[] | select(.netns.inode == $i)] |
		if length == 1 then "\(.[0].netns.name)|\(.[0].time_wait.total)|\(.[0].netns.host)" else "found \(length) times" end' "$J")
	[ "$got" = "$2|$3|false" ] || fail "netns $1: got '$got', expected '$2|$3|false'"
	# A namespace's fragment says whose it is, never the host's.
	jq -e --argjson i "$1" --arg n "$2" '.namespaces[] | select(.netns.inode == $i) |
		(.sysctl_d | contains("# source: netns " + $n)) and .netns == (.netns | objects)' "$J" >/dev/null ||
		fail "netns $2: its fragment does not name it"
}
check_ns "$inoa" "$nsa" "$ssa"
check_ns "$inob" "$nsb" "$ssb"
check_ns "$inou" "pid $upid (sleep)" "$ssu"
jq -e --argjson i "$inoa" '.namespaces[] | select(.netns.inode == $i) | .netns.pid > 0 and .netns.run_name != null' "$J" >/dev/null ||
	fail "$nsa: no process or run name recorded"
# The advice says how to reach each namespace.
jq -e --argjson i "$inou" --arg c "nsenter -t $upid -n sysctl -w" '.namespaces[] | select(.netns.inode == $i) |
	[.findings[] | select(.id == "namespace-scope") | .actions[0] | contains($c)] == [true]' "$J" >/dev/null ||
	fail "pid $upid: namespace-scope does not say nsenter -t $upid -n"
jq -e --argjson i "$inoa" --arg c "ip netns exec $nsa sysctl -w" '.namespaces[] | select(.netns.inode == $i) |
	[.findings[] | select(.id == "namespace-scope") | .actions[0] | contains($c)] == [true]' "$J" >/dev/null ||
	fail "$nsa: namespace-scope does not say ip netns exec $nsa"

# 2. Prometheus
"$TWADVISE" --all-namespaces --format prometheus >"$TW_TMP/all.prom" || fail "prometheus failed"
for pair in "$nsa $ssa" "$nsb $ssb"; do
	set -- $pair
	grep -qx "twadvise_time_wait_sockets{netns=\"$1\"} $2" "$TW_TMP/all.prom" ||
		fail "prometheus: no twadvise_time_wait_sockets{netns=\"$1\"} $2"
done
grep -qx "twadvise_time_wait_sockets{netns=\"pid $upid (sleep)\"} $ssu" "$TW_TMP/all.prom" ||
	fail "prometheus: unnamed namespace"
[ "$(grep -c '^# TYPE twadvise_time_wait_sockets ' "$TW_TMP/all.prom")" = 1 ] ||
	fail "prometheus: family twadvise_time_wait_sockets declared more than once"

# 3. Capture, one folder per namespace
"$TWADVISE" --capture "$TW_TMP/cap" --all-namespaces || fail "--capture --all-namespaces failed"
[ -f "$TW_TMP/cap/host/ss-tan.txt" ] || fail "no host folder"
[ -f "$TW_TMP/cap/pid_${upid}__sleep_/ss-tan.txt" ] || fail "no folder for pid $upid (sleep)"
capa=$("$TWADVISE" --snapshot "$TW_TMP/cap/$nsa" --format json | jq .time_wait.total) ||
	fail "the capture of $nsa does not analyse"
[ "$capa" = "$ssa" ] || fail "capture of $nsa: $capa TIME_WAIT, ss said $ssa"

# 4. The host-level run points at the other namespaces
if awk '$1 == "tw_sock_TCP" { f = 1 } END { exit !f }' /proc/slabinfo 2>/dev/null; then
	"$TWADVISE" --format json >"$TW_TMP/host.json" || fail "host run failed"
	own=$(jq .time_wait.total "$TW_TMP/host.json")
	slab=$(awk '$1 == "tw_sock_TCP" || $1 == "tw_sock_TCPv6" { n += $2 } END { print n + 0 }' /proc/slabinfo)
	echo "host: $own TIME_WAIT, ~$slab tw_sock objects"
	jq -e '.findings[] | select(.id == "timewait-other-namespaces") | .actions[0] | contains("--all-namespaces")' \
		"$TW_TMP/host.json" >/dev/null || fail "host run: no timewait-other-namespaces finding"
	jq -e '[.findings[].id] | index("timewait-other-namespaces") | not' "$J" >/dev/null ||
		fail "--all-namespaces still suggests --all-namespaces"
	"$TWADVISE" --netns "$nsa" --format json |
		jq -e '[.findings[].id] | index("timewait-other-namespaces") | not' >/dev/null ||
		fail "--netns run suggests --all-namespaces"
else
	echo "no tw_sock_TCP row in /proc/slabinfo: slab check skipped"
fi

# 5. Usage errors
for bad in "--snapshot $TW_TMP/cap/host" "--netns $nsa" "--apply" "--format sysctl" "--diff --output $TW_TMP/x"; do
	rc=0
	# shellcheck disable=SC2086
	"$TWADVISE" --all-namespaces $bad >/dev/null 2>&1 || rc=$?
	[ "$rc" = 1 ] || fail "--all-namespaces $bad: exit $rc, expected 1"
done
echo "ok: $nsa $ssa, $nsb $ssb, pid $upid (sleep) $ssu TIME_WAIT sockets found and named"
