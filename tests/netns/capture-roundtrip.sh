#!/bin/sh
# SPDX-License-Identifier: MIT
# capture-roundtrip.sh: --capture DIR --netns NS writes a complete
# snapshot that --snapshot DIR analyses exactly as the live namespace;
# a failed capture leaves nothing behind.
. "$(dirname "$0")/lib.sh"

new_ns cap
tw "$ns" 15 4 client 8080
tw "$ns" 7 6 server 9090
tw "$ns" 3 46 server 7070
wait_ready

snap=$TW_TMP/snap
"$TWADVISE" --capture "$snap" --netns "$ns" || fail "capture failed"
for f in uname-r.txt sysctl-a.txt ss-tan.txt proc/net/sockstat proc/net/sockstat6 \
	 proc/net/netstat proc/net/snmp proc/meminfo proc/slabinfo; do
	[ -s "$snap/$f" ] || fail "capture lacks $f"
done
grep -q '^net.ipv4.ip_local_port_range = 32768 60999$' "$snap/sysctl-a.txt" ||
	fail "sysctl-a.txt lacks ip_local_port_range"
head -1 "$snap/ss-tan.txt" | grep -q '^State' || fail "ss-tan.txt has no header"
grep -q '^TIME-WAIT .*\[::1\]:9090 \[::1\]:' "$snap/ss-tan.txt" || fail "IPv6 not bracketed"
ls -d "$TW_TMP"/snap.tmp-* 2>/dev/null && fail "temporary folder left"

# Ages are compared within a bucket in held-ages.sh (seconds pass between runs).
live=$("$TWADVISE" --netns "$ns" --format json | jq -S '.time_wait | del(.top[].ages)') || fail "live run"
off=$("$TWADVISE" --snapshot "$snap" --format json | jq -S '.time_wait | del(.top[].ages)') || fail "snapshot run"
[ "$(printf '%s\n' "$live" | jq .total)" = 25 ] || fail "live total is not 25"
[ "$live" = "$off" ] || { printf 'live: %s\nsnapshot: %s\n' "$live" "$off" >&2; fail "snapshot differs from live"; }

# meta.txt: who, when, which namespace; the analysis of the snapshot is
# the namespace's own (hostname, netns, per-namespace allow-list).
[ -s "$snap/meta.txt" ] || fail "capture lacks meta.txt"
grep -qx "hostname $(hostname)" "$snap/meta.txt" || fail "meta.txt hostname is not $(hostname)"
grep -qx "netns $ns" "$snap/meta.txt" || fail "meta.txt does not name $ns"
grep -qx "kernel $(uname -r)" "$snap/meta.txt" || fail "meta.txt kernel is not $(uname -r)"
grep -qx "twadvise_version $("$TWADVISE" --format json --snapshot "$snap" | jq -r .version)" \
	"$snap/meta.txt" || fail "meta.txt lacks twadvise's version"
at=$(sed -n 's/^captured_at //p' "$snap/meta.txt")
"$PY" -c 'import sys, datetime, time
t = datetime.datetime.strptime(sys.argv[1], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
sys.exit(0 if abs(t.timestamp() - time.time()) < 300 else 1)' "$at" || fail "captured_at '$at' is not RFC 3339 UTC of now"
# A namespace whose own settings make rules fire: a 20-port range,
# 15 client TIME_WAIT sockets in it, tcp_tw_reuse off.
ns1=$ns
new_ns cap2
ns2=$ns
ip netns exec "$ns2" sysctl -qw net.ipv4.ip_local_port_range="40000 40019" net.ipv4.tcp_tw_reuse=0 ||
	fail "sysctl in $ns2"
tw "$ns2" 15 4 client 8080
wait_ready
snap2=$TW_TMP/snap2
"$TWADVISE" --capture "$snap2" --netns "$ns2" || fail "capture of $ns2 failed"
grep -qx "netns $ns2" "$snap2/meta.txt" || fail "meta.txt does not name $ns2"
# Findings without their evidence (TIME_WAIT ages pass between runs);
# the fragment without its "# source:" line.
pick='{hostname, netns, findings: [.findings[] | {id, severity, changes}],
       sysctl_d: (.sysctl_d | sub("# source: [^\n]*\n"; ""))}'
live=$("$TWADVISE" --netns "$ns2" --format json | jq -S "$pick") || fail "live run"
off=$("$TWADVISE" --snapshot "$snap2" --format json | jq -S "$pick") || fail "snapshot run"
[ "$(printf '%s\n' "$off" | jq -r .hostname)" = "$(hostname)" ] || fail "snapshot hostname is not $(hostname)"
[ "$(printf '%s\n' "$off" | jq -r .netns)" = "$ns2" ] || fail "snapshot netns is not $ns2"
printf '%s\n' "$live" | jq -e '[.findings[].changes[]] | length > 0' >/dev/null ||
	fail "no change recommended in $ns2: the comparison would prove little"
[ "$live" = "$off" ] || { printf 'live: %s\nsnapshot: %s\n' "$live" "$off" >&2; fail "snapshot findings differ from live"; }
# Without meta.txt (a snapshot made by hand) the host is unknown.
cp -r "$snap2" "$TW_TMP/bare" && rm "$TW_TMP/bare/meta.txt"
[ "$("$TWADVISE" --snapshot "$TW_TMP/bare" --format json | jq -r '.hostname, .netns' | tr '\n' ' ')" = "null null " ] ||
	fail "a snapshot without meta.txt has a hostname or netns"

ns=$ns1
# A non-empty target is refused and untouched; an empty folder is fine.
mkdir "$TW_TMP/full" && echo keep >"$TW_TMP/full/x"
"$TWADVISE" --capture "$TW_TMP/full" --netns "$ns" 2>/dev/null && fail "captured into a non-empty folder"
[ "$(ls "$TW_TMP/full")" = x ] || fail "non-empty target was changed"
mkdir "$TW_TMP/empty"
"$TWADVISE" --capture "$TW_TMP/empty" --netns "$ns" || fail "capture into an empty folder"
[ -s "$TW_TMP/empty/ss-tan.txt" ] || fail "empty folder not filled"
# Unknown namespace: error, no folder, no temporary left.
"$TWADVISE" --capture "$TW_TMP/none" --netns "twtest-$$-absent" 2>/dev/null && fail "unknown netns accepted"
[ -e "$TW_TMP/none" ] && fail "folder made despite the error"
ls -d "$TW_TMP"/*.tmp-* 2>/dev/null && fail "temporary folder left"
echo "ok: snapshot analyses as live"
