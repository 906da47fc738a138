#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""mkss.py: a synthetic `ss -tan` listing for bench/bench-snapshot.sh.

Usage: mkss.py LINES [TIMERS]
Prints LINES socket lines in ss's own column layout (about 70 bytes a
line, as on a real busy host): a header, 16 listeners, 4% ESTABLISHED,
the rest TIME-WAIT: 90% IPv4 client side from 10.0.0.1-4 toward 64
backends on ports 5432/6379/8080/443, 10% IPv6 server side on [2001:db8::1]:443.
With TIMERS=1 each TIME-WAIT line carries ss -o's timer:(timewait,Nsec,0).
Deterministic (a fixed seed).
"""
import random
import sys

n = int(sys.argv[1])
timers = len(sys.argv) > 2 and sys.argv[2] == "1"
rnd = random.Random(42)
out = sys.stdout
w = out.write
w("State      Recv-Q Send-Q        Local Address:Port          Peer Address:Port Process\n")
ports = [5432, 6379, 8080, 443]


def line(state, local, peer, extra=""):
    w("%-10s %-6d %-6d %20s %22s%s\n" % (state, 0, 0, local, peer, extra))


for p in (22, 80, 443, 8443, 9100, 9090, 5000, 7000):
    line("LISTEN", "0.0.0.0:%d" % p, "0.0.0.0:*")
    line("LISTEN", "[::]:%d" % p, "[::]:*")
made = 16
while made < n:
    r = rnd.random()
    lp = rnd.randint(32768, 60999)
    tail = " timer:(timewait,%dsec,0)" % rnd.randint(1, 59) if timers else ""
    if r < 0.04:
        line("ESTAB", "10.0.0.%d:%d" % (rnd.randint(1, 4), lp),
             "10.1.%d.%d:%d" % (rnd.randint(0, 3), rnd.randint(1, 16), rnd.choice(ports)))
    elif r < 0.9:
        line("TIME-WAIT", "10.0.0.%d:%d" % (rnd.randint(1, 4), lp),
             "10.1.%d.%d:%d" % (rnd.randint(0, 3), rnd.randint(1, 16), rnd.choice(ports)), tail)
    else:
        line("TIME-WAIT", "[2001:db8::1]:443",
             "[2001:db8:%x::%x]:%d" % (rnd.randint(1, 255), rnd.randint(1, 65535), lp), tail)
    made += 1
