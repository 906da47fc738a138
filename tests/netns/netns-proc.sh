#!/bin/sh
# SPDX-License-Identifier: MIT
# netns-proc.sh: after twadvise enters --netns (in the command layer),
# /proc/sys/net and /proc/net show that namespace, not the host's: the
# check netns.c relies on. The namespace gets a port range the host does
# not have; both the analysis and --capture must report it.
. "$(dirname "$0")/lib.sh"

new_ns proc
ip netns exec "$ns" sysctl -qw net.ipv4.ip_local_port_range="40000 40999" || fail "set range"
host=$(sysctl -n net.ipv4.ip_local_port_range | tr -s '\t ' ' ')
[ "$host" != "40000 40999" ] || skip "the host already uses 40000..40999"

out=$("$TWADVISE" --netns "$ns" --format json) || fail "twadvise --netns $ns failed"
range=$(printf '%s\n' "$out" | jq -c '.time_wait.port_range')
[ "$range" = "[40000,40999]" ] || fail "port_range $range, expected the namespace's [40000,40999]"

"$TWADVISE" --netns "$ns" --capture "$TW_TMP/snap" || fail "--capture --netns failed"
grep -qx 'net.ipv4.ip_local_port_range = 40000 40999' "$TW_TMP/snap/sysctl-a.txt" ||
	fail "the capture holds the host's range, not the namespace's"
# /proc/net follows too: the namespace's loopback-only interface list.
grep -q '^Tcp:' "$TW_TMP/snap/proc/net/snmp" || fail "no proc/net/snmp in the capture"
echo "ok: --netns sees the namespace's /proc/sys/net ($range)"
