#!/bin/sh
# SPDX-License-Identifier: MIT
# live-timewait.sh: twadvise --netns counts real TIME_WAIT sockets as the
# kernel does: total = sockstat "tw", tuples = what ss shows, for client-
# and server-side sockets, IPv4, IPv6 and v4-mapped.
. "$(dirname "$0")/lib.sh"

new_ns live
tw "$ns" 30 4 client 8080
tw "$ns" 12 6 client 8080
tw "$ns" 9 4 server 9090
tw "$ns" 6 6 server 9090
tw "$ns" 4 46 server 7070
wait_ready

out=$("$TWADVISE" --netns "$ns" --format json) || fail "twadvise --netns $ns failed"
total=$(printf '%s\n' "$out" | jq -e '.time_wait.total') || fail "no time_wait.total"
kernel=$(sockstat_tw "$ns")
[ "$total" = 61 ] || fail "time_wait.total = $total, expected 61"
[ "$total" = "$kernel" ] || fail "time_wait.total = $total, sockstat tw = $kernel"

printf '%s\n' "$out" | json_tuples >"$TW_TMP/ours"
ss_tuples "$ns" "8080 9090 7070" >"$TW_TMP/ss"
diff -u "$TW_TMP/ss" "$TW_TMP/ours" || fail "tuples differ from ss"
grep -q '^client 127.0.0.1 127.0.0.1 8080 30$' "$TW_TMP/ours" || fail "client v4 tuple"
grep -q '^server 127.0.0.1 127.0.0.1 7070 4$' "$TW_TMP/ours" || fail "v4-mapped not normalised"

# Same answer when run inside the namespace by ip netns exec.
in=$(ip netns exec "$ns" "$TWADVISE" --format json | jq -S .time_wait) || fail "inside run"
[ "$in" = "$(printf '%s\n' "$out" | jq -S .time_wait)" ] || fail "inside and --netns differ"
echo "ok: $total TIME_WAIT sockets, $(wc -l <"$TW_TMP/ours") tuples"
