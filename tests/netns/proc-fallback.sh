#!/bin/sh
# SPDX-License-Identifier: MIT
# proc-fallback.sh: with netlink bypassed (--no-netlink), twadvise reads
# /proc/net/tcp{,6} and must find the same TIME_WAIT sockets and tuples,
# and say which source it used; namespace-scope names the namespace;
# --interval samples real connection rates.
. "$(dirname "$0")/lib.sh"

new_ns fallback
tw "$ns" 25 4 client 8080
tw "$ns" 7 6 server 9090
wait_ready

nl=$("$TWADVISE" --netns "$ns" --format json --site-dir /nonexistent) || fail "netlink run failed"
pr=$("$TWADVISE" --netns "$ns" --format json --site-dir /nonexistent --no-netlink) || fail "--no-netlink run failed"
a=$(printf '%s\n' "$nl" | jq -S '.time_wait | del(.known) | del(.top[].ages)')
b=$(printf '%s\n' "$pr" | jq -S '.time_wait | del(.known) | del(.top[].ages)')
[ "$a" = "$b" ] || { printf '%s\n%s\n' "$a" "$b" >&2; fail "netlink and /proc/net/tcp disagree"; }
[ "$(printf '%s\n' "$pr" | jq '.time_wait.total')" = 32 ] || fail "expected 32 TIME_WAIT sockets"
printf '%s\n' "$pr" | jq -r '.notes[]' | grep -q 'proc/net/tcp' || fail "the fallback is not noted"

# In a namespace the host's sysctl.d does not apply: namespace-scope says
# so (a profile with a low tw_min_relevant makes these few sockets count).
cat >"$TW_TMP/low.yaml" <<'YAML'
name: low-threshold
inherits: generic
thresholds:
  tw_min_relevant: 10
YAML
"$TWADVISE" --netns "$ns" --format json --site-dir /nonexistent --profile "$TW_TMP/low.yaml" |
	jq -e --arg ns "$ns" '.findings[] | select(.id == "namespace-scope") | .actions[0] | contains("ip netns exec " + $ns)' >/dev/null ||
	fail "namespace-scope does not name the namespace"

# --interval: connections opened during the sample show up as a rate
# (ActiveOpens sampled twice; the cost model reports it host-wide).
"$TWADVISE" --netns "$ns" --interval 3 --format json --site-dir /nonexistent >"$TW_TMP/rate.json" &
sampler=$!
sleep 0.5
tw "$ns" 200 4 client 6060
wait "$sampler" || fail "--interval run failed"
rate=$(jq '[.cost.items[] | select(.name == "connect_rate") | .extra.value][0]' "$TW_TMP/rate.json")
awk -v r="$rate" 'BEGIN { exit !(r > 10) }' || fail "--interval measured $rate connections/s, expected > 10"
echo "ok: netlink and /proc/net/tcp agree on 32 sockets; --interval measured $rate connections/s"
