#!/bin/sh
# SPDX-License-Identifier: MIT
# exp-narrow-range.sh: a client whose narrow port range runs out.
# 1,000 ports, no reuse, 250 short connections/s toward one destination
# for 8 s: after 4 s every port is in TIME_WAIT and connect() fails with
# EADDRNOTAVAIL. twadvise must propose a fix, and with it applied the same
# workload must run without a failure. See exp-lib.sh.
. "$(dirname "$0")/exp-lib.sh"

exp_ns narrow net.ipv4.ip_local_port_range="40000 40999" net.ipv4.tcp_tw_reuse=0
wl_start server --port 6379 --duration 55
churn before --port 6379 --rate 250 --count 2000 --duration 12
[ "$(field before EADDRNOTAVAIL)" -gt 0 ] || hard "the narrow range did not run out: $(cat "$TW_TMP/before")"
# Calibration: without reuse each port serves one connection per 60 s, so
# about the range's 1,000 ports succeed in the first run (a few more were
# seen: a TIME_WAIT socket can end early).
ok=$(field before ok)
[ "$ok" -ge 1000 ] && [ "$ok" -le 1050 ] || hard "1,000 ports, yet $ok connections succeeded"

advise
[ -s "$TW_TMP/advice.changes" ] || fail "connect() failed $(field before failed) times, yet no change is proposed"
apply_advice
after_ns
wl_start server --port 6379 --duration 55
churn after --port 6379 --rate 250 --count 2000 --duration 12
report narrow-range
never_worse
[ "$(field after failed)" = 0 ] || fail "the advice did not end the failures: $(field after failed) after applying it"
echo "ok"
