#!/bin/sh
# SPDX-License-Identifier: MIT
# exp-established.sh: ESTABLISHED-heavy pressure (issue 8, defect 3).
# 1,000 ports, 900 of them held by ESTABLISHED connections toward the same
# destination, and 50 short connections/s for 8 s: the remaining 100
# ports fill with TIME_WAIT in 2 s and connect() fails. A socket in any
# state holds its 4-tuple, so right advice sees the pressure and applying
# it ends the failures. See exp-lib.sh.
. "$(dirname "$0")/exp-lib.sh"

exp_ns estab net.ipv4.ip_local_port_range="40000 40999" net.ipv4.tcp_tw_reuse=0
wl_start server --port 6379 --duration 55
wl_start hold --port 6379 --count 900 --duration 50
churn before --port 6379 --rate 50 --count 400 --duration 12
[ "$(field before EADDRNOTAVAIL)" -gt 0 ] || hard "the held ports did not exhaust the range: $(cat "$TW_TMP/before")"

advise
apply_advice
after_ns
wl_start server --port 6379 --duration 55
wl_start hold --port 6379 --count 900 --duration 50
churn after --port 6379 --rate 50 --count 400 --duration 12
report established
never_worse
[ -s "$TW_TMP/advice.changes" ] || fail "connect() failed $(field before failed) times with 900 ESTABLISHED, yet no change is proposed"
[ "$(field after failed)" = 0 ] || fail "the advice did not end the failures: $(field after failed) after applying it"
echo "ok"
