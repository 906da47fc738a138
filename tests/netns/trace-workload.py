#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# trace-workload.py PORT COUNT RATE: listens on 127.0.0.1:PORT, then makes
# COUNT connect() attempts toward it at RATE per second, closing each
# connection first (its port stays in TIME_WAIT), and counts for itself
# the attempts that succeeded and those that failed with EADDRNOTAVAIL.
# Prints "pid OK FAILED OTHER" at the end: the independent truth that
# tests/netns/trace.sh compares --trace with.
import errno, os, socket, sys, threading, time

port, count, rate = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
lst.bind(("127.0.0.1", port))
lst.listen(1024)


def serve():
    while True:
        try:
            c, _ = lst.accept()
        except OSError:
            return
        c.close()


threading.Thread(target=serve, daemon=True).start()
ok = failed = other = 0
t0 = time.monotonic()
for i in range(count):
    delay = t0 + i / rate - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.connect(("127.0.0.1", port))
        ok += 1
    except OSError as e:
        if e.errno == errno.EADDRNOTAVAIL:
            failed += 1
        else:
            other += 1
    finally:
        s.close()
print(os.getpid(), ok, failed, other, flush=True)
