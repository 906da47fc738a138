#!/bin/sh
# SPDX-License-Identifier: MIT
# sysctl-subset.sh: a live run reads only the sysctls its rules, profiles
# and report use, and reports exactly what a run that read all of them
# reports. Under TW_TEST_SYSCTL_STRICT a lookup of a key that was not
# read aborts, so a key missing from a module's list fails here.
#   1. live JSON (the subset) = the JSON of a --capture of the same
#      namespace (sysctl-a.txt: every sysctl), but for what says where
#      the facts came from; with findings that propose changes;
#   2. a site rule's literal key (tcp_syncookies, used nowhere else) is
#      read: the rule fires exactly when the value the test reads says so;
#   3. under strace: a handful of /proc/sys files opened, not the whole
#      tree; a site rule whose key is computed at run time reads it all.
. "$(dirname "$0")/lib.sh"
export TW_TEST_SYSCTL_STRICT=1

new_ns sub
ip netns exec "$ns" sysctl -qw net.ipv4.ip_local_port_range="40000 40200" net.ipv4.tcp_tw_reuse=0 ||
	fail "sysctl -w in $ns"
tw "$ns" 150 4 client 8080
tw "$ns" 20 6 server 9090
wait_ready

# 1. The subset against every sysctl (a capture is analysed from sysctl-a.txt).
"$TWADVISE" --netns "$ns" --format json >"$TW_TMP/live.json" || fail "live run"
"$TWADVISE" --capture "$TW_TMP/snap" --netns "$ns" || fail "capture"
"$TWADVISE" --snapshot "$TW_TMP/snap" --format json >"$TW_TMP/snap.json" || fail "snapshot run"
[ "$(grep -c . "$TW_TMP/snap/sysctl-a.txt")" -gt 200 ] || fail "the capture lacks sysctls"
[ "$(jq '.plan | length' "$TW_TMP/live.json")" -ge 1 ] || fail "no change proposed: the comparison would prove little"
# Where the facts came from differs (a snapshot has no hostname, netns or
# inodes; live, the slab counts come from /sys/kernel/slab, in a capture
# from its proc/slabinfo); ages move between the runs, and so do the
# host-wide slab counts (other namespaces' sockets): the memory item is
# compared by what does not move, the bytes per tw_sock object and slab
# pages that hold at least the objects.
norm='del(.generated_at, .source, .snapshot, .hostname, .netns, .time_wait.top[].ages)
	| .cost.items |= map(select(.name != "file_descriptors")
		| .verdict |= sub("from /sys/kernel/slab"; "from /proc/slabinfo")
		| if .name == "memory" then
			((.verdict | capture("in (?<n>[0-9,]+) tw_sock objects").n | gsub(","; "")
			  | tonumber) as $n
			| .value /= $n | .extra.value = (.extra.value >= .value * $n)
			| del(.share) | .verdict |= gsub("[0-9][0-9,.]*"; "#"))
		  else . end)
	| .sysctl_d |= sub("# source: [^\n]*\n"; "")'
jq -S "$norm" "$TW_TMP/live.json" >"$TW_TMP/a" || fail "jq"
jq -S "$norm" "$TW_TMP/snap.json" >"$TW_TMP/b" || fail "jq"
diff "$TW_TMP/a" "$TW_TMP/b" >&2 || fail "the live run (a subset of the sysctls) differs from the capture (all of them)"
"$TWADVISE" --netns "$ns" >/dev/null || fail "text run"
"$TWADVISE" --netns "$ns" --format prometheus >/dev/null || fail "prometheus run"

# 2. A site rule's own key is read.
site=$TW_TMP/site
mkdir -p "$site/rules.d"
cookies=$(ip netns exec "$ns" cat /proc/sys/net/ipv4/tcp_syncookies) || fail "read tcp_syncookies"
site_rule() {	# site_rule WHEN
	cat >"$site/rules.d/zz-subset.yaml" <<RULE
id: zz-subset
title: test rule
severity: info
when: $1
evidence: test
rationale: test
risk: none
RULE
}
fires() { "$TWADVISE" --netns "$ns" --site-dir "$site" --format json | jq -e '[.findings[].id] | index("zz-subset") != null' >/dev/null; }
site_rule "sysctl(\"net.ipv4.tcp_syncookies\") == $cookies"
fires || fail "the site rule's key (tcp_syncookies = $cookies) was not read"
site_rule "sysctl(\"net.ipv4.tcp_syncookies\") == $((cookies + 1))"
fires && fail "the site rule fired against the value"

# 3. What is opened.
if command -v strace >/dev/null 2>&1; then
	count() {	# count ARGS...: /proc/sys files opened by twadvise ARGS
		# LeakSanitizer cannot run under ptrace: off for this run of an ASan build.
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
			strace -f -qq -e trace=openat -o "$TW_TMP/trace" "$TWADVISE" "$@" >/dev/null ||
			fail "twadvise $* under strace"
		grep -c 'O_RDONLY|O_NONBLOCK|O_NOFOLLOW|O_CLOEXEC' "$TW_TMP/trace"
	}
	all=$(grep -c . "$TW_TMP/snap/sysctl-a.txt")
	rm -f "$site/rules.d/zz-subset.yaml"
	n=$(count --netns "$ns" --format json)
	[ "$n" -ge 10 ] && [ "$n" -le 60 ] || fail "$n sysctl files opened (tree: $all)"
	site_rule 'has(sysctl_str("kernel.ostype"))'
	m=$(count --netns "$ns" --site-dir "$site" --format json)
	[ "$m" -ge $((all * 9 / 10)) ] || fail "a computed key read $m sysctl files, not the tree ($all)"
	echo "sysctl files opened: $n (the tree: $m)"
fi
echo "ok: live runs read only the sysctls they use, with the same report"
