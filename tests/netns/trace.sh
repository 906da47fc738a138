#!/bin/sh
# SPDX-License-Identifier: MIT
# trace.sh: --trace counts a known workload's connect() attempts and its
# EADDRNOTAVAIL failures exactly.
#
# A namespace with 50 ephemeral ports (40000..40049) and tcp_tw_reuse 0.
# Once twadvise says it is tracing, trace-workload.py makes 90 connect()
# attempts toward 127.0.0.1:5432 at 45/s, closing each connection first:
# the first ones leave their ports in TIME_WAIT, and once the 50 ports
# are held every further connect() fails with EADDRNOTAVAIL. The
# workload counts its own successes and failures; the JSON "trace" object
# must report, for the workload's pid, its attempts (successes + failures:
# a failing connect() passes SYN_SENT before the port search fails) and
# its failures exactly, and the finding names it. Skips (77) when built
# without --trace or when eBPF cannot load here.
. "$(dirname "$0")/lib.sh"

PORT=5432
COUNT=90
RATE=45
SECS=4

new_ns trace
ip netns exec "$ns" sysctl -qw net.ipv4.ip_local_port_range="40000 40049" || fail "port range"
ip netns exec "$ns" sysctl -qw net.ipv4.tcp_tw_reuse=0 || fail "tcp_tw_reuse"

"$TWADVISE" --netns "$ns" --trace "$SECS" --format json --site-dir /nonexistent \
	>"$TW_TMP/out.json" 2>"$TW_TMP/err" &
twpid=$!
tw_pids="$tw_pids $twpid"
i=0
until grep -q 'tracing' "$TW_TMP/err" 2>/dev/null; do
	if ! kill -0 "$twpid" 2>/dev/null; then
		wait "$twpid" && rc=0 || rc=$?
		if grep -q -e 'built without eBPF' -e 'needs root' -e 'no BTF' -e 'refused the eBPF' \
			-e 'cannot attach' "$TW_TMP/err"; then
			skip "$(cat "$TW_TMP/err")"
		fi
		fail "twadvise --trace ended (exit $rc) before tracing: $(cat "$TW_TMP/err")"
	fi
	i=$((i + 1))
	[ $i -le 300 ] || fail "twadvise did not start tracing within 30 s"
	sleep 0.1
done

# Runs whole inside the window: 2 s of a 4 s trace.
set -- $(ip netns exec "$ns" "$PY" "$TW_SRCDIR/tests/netns/trace-workload.py" "$PORT" "$COUNT" "$RATE") ||
	fail "workload"
wpid=$1 ok=$2 failed=$3 other=$4
[ "$other" = 0 ] || fail "setup: $other connect() failures other than EADDRNOTAVAIL"
[ "$failed" -gt 0 ] && [ "$ok" -gt 0 ] || fail "setup: the workload saw $ok successes and $failed EADDRNOTAVAIL"
[ $((ok + failed)) = "$COUNT" ] || fail "setup: $ok + $failed != $COUNT"

wait "$twpid" || fail "twadvise --trace failed: $(cat "$TW_TMP/err")"
tw_pids=
out=$TW_TMP/out.json

jq -e --argjson pid "$wpid" --argjson n "$COUNT" --argjson port "$PORT" '
	.trace.destinations | map(select(.remote == "127.0.0.1" and .remote_port == $port)) |
	length == 1 and .[0].connects == $n and .[0].top_process.pid == $pid
	and .[0].top_process.connects == $n' "$out" >/dev/null ||
	fail "trace.destinations: want $COUNT attempts by pid $wpid: $(jq -c .trace "$out")"
jq -e --argjson pid "$wpid" --argjson f "$failed" --argjson n "$COUNT" '
	.trace.eaddrnotavail_processes | map(select(.pid == $pid)) |
	length == 1 and .[0].eaddrnotavail == $f and .[0].connects == $n' "$out" >/dev/null ||
	fail "trace.eaddrnotavail_processes: want $failed for pid $wpid: $(jq -c .trace "$out")"
jq -e --argjson f "$failed" --argjson n "$COUNT" --argjson s "$SECS" '
	.trace.eaddrnotavail == $f and .trace.connects == $n and .trace.dropped == 0
	and .trace.seconds >= $s and .trace.seconds < $s + 1' "$out" >/dev/null ||
	fail "trace totals: $(jq -c '.trace | del(.destinations, .eaddrnotavail_processes)' "$out")"

# The finding says it with the same numbers.
ev=$(jq -r '[.findings[] | select(.evidence | test("EADDRNOTAVAIL"))][0].evidence // empty' "$out")
case $ev in
*"pid $wpid"*"127.0.0.1:$PORT"*"$failed failed with EADDRNOTAVAIL"*) ;;
*) fail "no finding names pid $wpid, 127.0.0.1:$PORT and $failed failures: '$ev'" ;;
esac

# Usage errors.
"$TWADVISE" --snapshot "$TW_TMP" --trace 2 >/dev/null 2>&1 && fail "--trace with --snapshot accepted"
"$TWADVISE" --trace 0 >/dev/null 2>&1 && fail "--trace 0 accepted"
"$TWADVISE" --trace 601 >/dev/null 2>&1 && fail "--trace 601 accepted"
echo "evidence: $ev"
echo "trace: pid $wpid made $COUNT attempts, $failed failed with EADDRNOTAVAIL; --trace counted the same"
