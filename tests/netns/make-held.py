#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""make-held.py: ESTABLISHED and TIME_WAIT sockets toward one destination.

Usage: make-held.py ESTAB TIMEWAIT PORT HOLD_SECONDS
  One listener on 127.0.0.1:PORT. TIMEWAIT connections are made and closed
  by the client first (client-side TIME_WAIT, local port ephemeral), in a
  burst; then ESTAB connections are made and kept open, both ends. Prints
  "ready" and keeps everything open HOLD_SECONDS (at most 50), then ends
  by itself. Every socket operation has a timeout.
"""
import socket
import sys
import time


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    n_est, n_tw, port = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    hold = max(0.0, min(float(sys.argv[4]), 50.0))
    if not (0 <= n_est <= 5000 and 0 <= n_tw <= 20000):
        sys.exit(__doc__)
    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsock.bind(("127.0.0.1", port))
    lsock.listen(1024)
    lsock.settimeout(5)
    for _ in range(n_tw):
        c = socket.create_connection(("127.0.0.1", port), timeout=5)
        s, _ = lsock.accept()
        s.settimeout(5)
        c.close()        # FIN first: the client gets TIME_WAIT
        s.recv(1)
        s.close()
    kept = []
    for _ in range(n_est):
        c = socket.create_connection(("127.0.0.1", port), timeout=5)
        s, _ = lsock.accept()
        kept += [c, s]
    time.sleep(0.2)
    print("ready", flush=True)
    time.sleep(hold)


main()
