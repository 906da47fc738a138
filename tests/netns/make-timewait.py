#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""make-timewait.py: make real TIME_WAIT sockets on loopback, then wait.

Usage: make-timewait.py COUNT FAMILY SIDE PORT [HOLD_SECONDS]
  COUNT         connections to make (1..100000)
  FAMILY        4 (127.0.0.1), 6 (::1), or 46 (a dual-stack listener on
                [::] reached over 127.0.0.1: the accepted socket is IPv6 with
                the v4-mapped address ::ffff:127.0.0.1)
  SIDE          client: the client closes first (TIME_WAIT on the client
                side, local port ephemeral); server: the server closes first
                (TIME_WAIT on the listening port)
  PORT          listening port
  HOLD_SECONDS  keep the listener open this long after printing "ready"
                (default 0, at most 55: TIME_WAIT lasts 60 s), so that the
                listening port is seen while the sockets are analysed.

Every socket operation has a timeout and the hold is bounded: the script
always ends by itself. Prints "ready COUNT" on stdout when done.
"""
import socket
import sys
import time


def main():
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__)
    count = int(sys.argv[1])
    fam = sys.argv[2]
    if fam not in ("4", "6", "46"):
        sys.exit(__doc__)
    side = sys.argv[3]
    port = int(sys.argv[4])
    hold = float(sys.argv[5]) if len(sys.argv) == 6 else 0.0
    if not 1 <= count <= 100000 or side not in ("client", "server"):
        sys.exit(__doc__)
    hold = max(0.0, min(hold, 55.0))
    lfamily = socket.AF_INET if fam == "4" else socket.AF_INET6
    cfamily = socket.AF_INET6 if fam == "6" else socket.AF_INET
    lhost = {"4": "127.0.0.1", "6": "::1", "46": "::"}[fam]
    host = "::1" if fam == "6" else "127.0.0.1"

    lsock = socket.socket(lfamily, socket.SOCK_STREAM)
    lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if fam == "46":
        lsock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    lsock.bind((lhost, port))
    lsock.listen(128)
    lsock.settimeout(5)
    for _ in range(count):
        c = socket.socket(cfamily, socket.SOCK_STREAM)
        c.settimeout(5)
        c.connect((host, port))
        s, _ = lsock.accept()
        s.settimeout(5)
        first, second = (c, s) if side == "client" else (s, c)
        first.close()            # FIN from the side that gets TIME_WAIT
        second.recv(1)           # reads the EOF
        second.close()           # FIN back: the first side enters TIME_WAIT
    # Let the last ACKs land (loopback: immediate, but be safe).
    time.sleep(0.2)
    print("ready", count, flush=True)
    end = time.monotonic() + hold
    while time.monotonic() < end:
        time.sleep(min(0.5, max(0.0, end - time.monotonic())))
    lsock.close()


if __name__ == "__main__":
    main()
