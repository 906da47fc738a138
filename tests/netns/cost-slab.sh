#!/bin/sh
# SPDX-License-Identifier: MIT
# cost-slab.sh: TIME_WAIT sockets really occupy tw_sock_TCP slab objects,
# and twadvise's cost model reports that memory.
#
# In a throw-away network namespace, makes N loopback connections whose
# client closes first (N client-side TIME_WAIT sockets), then checks that
#   1. tw_sock_TCP active objects in /proc/slabinfo grew by >= 90% of N
#      (slabinfo is host-wide: other sockets may come and go meanwhile);
#   2. `$TWADVISE --netns NS --format json` reports cost item "memory"
#      measured from slabinfo, with value >= 90% of N x the object size.
# Root only: exits 77 (skipped) otherwise, when tw_sock_TCP is not in
# /proc/slabinfo (merged cache), or while twadvise's JSON has no "cost".
set -eu

if [ "$(id -u)" != 0 ]; then
	echo "SKIP: needs root"
	exit 77
fi
py=/usr/bin/python3
TWADVISE=${TWADVISE:-${TW_BUILDDIR:-.}/twadvise}
N=${TW_COST_SLAB_N:-2000}
ns=twcost-slab-$$
tmp=$(mktemp -d)

cleanup() {
	ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
	ip netns del "$ns" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -x "$py" ] || { echo "SKIP: no $py"; exit 77; }
command -v ip >/dev/null || { echo "SKIP: no ip(8)"; exit 77; }

slab_field() {  # slab_field COLUMN: that column of the tw_sock_TCP row
	awk -v c="$1" '$1 == "tw_sock_TCP" { print $c; exit }' /proc/slabinfo
}
objsize=$(slab_field 4)
if [ -z "$objsize" ]; then
	echo "SKIP: no tw_sock_TCP row in /proc/slabinfo (merged slab cache)"
	exit 77
fi

ip netns add "$ns"
ip -n "$ns" link set lo up
before=$(slab_field 2)

timeout 120 ip netns exec "$ns" "$py" - "$N" <<'PY'
import socket, sys

n = int(sys.argv[1])
l = socket.socket()
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("127.0.0.1", 8080))
l.listen(1024)
for _ in range(n):              # bounded: exactly n connections
    a = socket.create_connection(("127.0.0.1", 8080), timeout=5)
    b, _ = l.accept()
    a.close()                   # the client closes first: TIME_WAIT is its
    b.settimeout(5)
    b.recv(1)
    b.close()
PY

after=$(slab_field 2)
tw=$(ip netns exec "$ns" awk '$1 == "TCP:" { for (i = 2; i < NF; i++) if ($i == "tw") print $(i + 1) }' /proc/net/sockstat)
need=$((N * 9 / 10))
grew=$((after - before))
echo "tw_sock_TCP active objects: $before -> $after (+$grew); namespace sockstat tw = $tw; N = $N"
if [ "$tw" -lt "$need" ]; then
	echo "FAIL: only $tw TIME_WAIT sockets in the namespace, expected >= $need"
	exit 1
fi
if [ "$grew" -lt "$need" ]; then
	echo "FAIL: tw_sock_TCP grew by $grew, expected >= $need"
	exit 1
fi

if [ ! -x "$TWADVISE" ]; then
	echo "SKIP: $TWADVISE not built (the slab part passed)"
	exit 77
fi
rc=0
"$TWADVISE" --netns "$ns" --format json >"$tmp/out.json" 2>"$tmp/err.txt" || rc=$?
if [ "$rc" != 0 ]; then
	echo "FAIL: twadvise --netns $ns --format json exited $rc:"
	cat "$tmp/err.txt"
	exit 1
fi
"$py" - "$tmp/out.json" "$need" "$objsize" <<'PY'
import json, sys

doc = json.load(open(sys.argv[1]))
need, objsize = int(sys.argv[2]), int(sys.argv[3])
if "cost" not in doc:
    print("SKIP: twadvise's JSON has no 'cost' yet (the slab part passed)")
    sys.exit(77)
items = {i["name"]: i for i in doc["cost"]["items"]}
mem = items.get("memory")
if mem is None:
    sys.exit("FAIL: no cost item 'memory' in %s" % sorted(items))
print("twadvise cost memory: value=%s measured=%s: %s" % (mem["value"], mem["measured"], mem["verdict"]))
if mem["measured"] is not True:
    sys.exit("FAIL: memory not measured from /proc/slabinfo although run as root")
if mem["value"] < need * objsize:
    sys.exit("FAIL: memory %s bytes < %d x %d" % (mem["value"], need, objsize))
if doc["cost"]["verdict"] not in ("harmless", "watch", "act"):
    sys.exit("FAIL: bad cost verdict %r" % doc["cost"]["verdict"])
PY
