#!/bin/sh
# SPDX-License-Identifier: MIT
# exp-server-side.sh: a server-side host (issue 8: "no change proposed";
# defect 4: tcp_rfc1337 must not be written). Clients connect in at 300/s
# for 6 s and the server closes first: 1,800 TIME_WAIT sockets, all on the
# listening port. Server-side TIME_WAIT is harmless (a newer SYN reuses
# it), so no sysctl change may be proposed, and the workload keeps running
# without a failure. See exp-lib.sh.
. "$(dirname "$0")/exp-lib.sh"

exp_ns server
wl_start server --port 8080 --duration 55 --server-closes
churn before --port 8080 --rate 300 --count 1800 --duration 10 --wait-close
tw=$(sockstat_tw "$ns")
echo "sockstat tw = $tw"
[ "$tw" -ge 1000 ] || hard "the server closed first, yet only $tw TIME_WAIT sockets"
[ "$(field before failed)" = 0 ] || hard "connect() failed toward a server-side host: $(cat "$TW_TMP/before")"
n=$(ip netns exec "$ns" ss -tanH state time-wait '( sport = :8080 )' | wc -l)
[ "$n" -ge 1000 ] || hard "only $n TIME_WAIT sockets on the listening port"

advise
apply_advice
after_ns
wl_start server --port 8080 --duration 55 --server-closes
churn after --port 8080 --rate 300 --count 1800 --duration 10 --wait-close
report server-side
never_worse
[ "$(field after failed)" = 0 ] || fail "connect() failed after applying the advice: $(cat "$TW_TMP/after")"
[ -s "$TW_TMP/advice.changes" ] && fail "server-side TIME_WAIT only, yet changes are proposed: $(tr '\n' ' ' <"$TW_TMP/advice.changes")"
echo "ok"
