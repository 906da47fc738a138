#!/bin/sh
# SPDX-License-Identifier: MIT
# unprivileged.sh: analysis needs no privileges (contract invariant 4).
# Root enters the namespace, then drops to nobody: the netlink dump still
# works (sock_diag lets anyone dump), slabinfo is unreadable so memory is
# estimated rather than measured.
. "$(dirname "$0")/lib.sh"
command -v setpriv >/dev/null 2>&1 || skip "no setpriv"

new_ns unpriv
tw "$ns" 10 4 client 8080
tw "$ns" 5 6 server 9090
wait_ready

asnobody() {
	ip netns exec "$ns" setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}
asnobody test -x "$TWADVISE" || skip "nobody cannot run $TWADVISE (build folder not world-readable)"
out=$(asnobody "$TWADVISE" --format json) || fail "unprivileged analysis failed"
total=$(printf '%s\n' "$out" | jq -e '.time_wait.total') || fail "no total"
[ "$total" = "$(sockstat_tw "$ns")" ] || fail "unprivileged total $total differs from sockstat"
[ "$total" = 15 ] || fail "total $total, expected 15"
mem=$(printf '%s\n' "$out" | jq -c '[.cost.items[]? | select(.name == "memory")][0]')
[ "$mem" != null ] || fail "no memory estimate"
[ "$(printf '%s\n' "$mem" | jq '.measured')" = false ] || fail "memory claims to be measured without slabinfo: $mem"
# --netns itself needs privileges: a clear error, not a crash.
err=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$TWADVISE" --netns "$ns" --format json 2>&1 >/dev/null) &&
	fail "--netns worked without privileges"
printf '%s\n' "$err" | grep -q "needs root" || fail "unclear error: $err"
echo "ok: unprivileged analysis, memory estimated"
