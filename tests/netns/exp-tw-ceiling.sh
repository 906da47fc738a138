#!/bin/sh
# SPDX-License-Identifier: MIT
# exp-tw-ceiling.sh: a low tcp_max_tw_buckets that overflows on a client
# (issue 8, defect 2). 1,000 ports, no reuse, a ceiling of 300, 250
# connections/s for 12 s: past the ceiling the kernel closes sockets
# without TIME_WAIT and frees their ports, so there is no failure, but
# only because the ceiling hides the exhaustion. Raising the ceiling alone
# brings EADDRNOTAVAIL back. Right advice names the hidden port pressure
# (reuse or a wider range), raises the ceiling only together with those,
# and applying it never makes a failure appear. twadvise runs during the
# load with --interval, as an operator would on a busy host: the overflow
# rate is what shows the hidden pressure (without --interval twadvise may
# only say that the count understates it). See exp-lib.sh.
. "$(dirname "$0")/exp-lib.sh"

exp_ns ceiling net.ipv4.ip_local_port_range="40000 40999" net.ipv4.tcp_tw_reuse=0 \
	net.ipv4.tcp_max_tw_buckets=300
ovf0=$(tcpext TCPTimeWaitOverflow)
wl_start server --port 6379 --duration 55
# 12 s at 250/s; twadvise samples 2 s of it, twice (JSON, text), from 3 s on.
churn before --port 6379 --rate 250 --count 3000 --duration 14 &
load=$!
tw_pids="$tw_pids $load"
sleep 3
advise --interval 2
wait $load || hard "the workload failed"
ovf=$(( $(tcpext TCPTimeWaitOverflow) - ovf0 ))
echo "TCPTimeWaitOverflow rose by $ovf"
[ "$ovf" -gt 0 ] || hard "the ceiling did not overflow"
[ "$(field before failed)" = 0 ] || skip "connect() failed before the advice: the overflow did not hide the pressure here"

widens=no
if proposes net.ipv4.ip_local_port_range; then
	set -- $(proposed net.ipv4.ip_local_port_range)
	[ $(($2 - $1 + 1)) -gt 1000 ] && widens=yes
fi
reuse=no
[ "$(proposed net.ipv4.tcp_tw_reuse)" = 1 ] && reuse=yes
apply_advice --fragment
after_ns
wl_start server --port 6379 --duration 55
churn after --port 6379 --rate 250 --count 3000 --duration 14
report tw-ceiling
if proposes net.ipv4.tcp_max_tw_buckets && [ $widens = no ] && [ $reuse = no ]; then
	fail "tcp_max_tw_buckets is raised alone, without tcp_tw_reuse = 1 or a wider range"
fi
never_worse
[ $widens = yes ] || [ $reuse = yes ] ||
	fail "$ovf sockets overflowed the ceiling, yet neither reuse nor a wider range is proposed for the hidden port pressure"
echo "ok"
