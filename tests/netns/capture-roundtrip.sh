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
