#!/bin/sh
# SPDX-License-Identifier: MIT
# owners-snapshot.sh: who makes the churn, read from a snapshot. In a
# namespace (1,000-port range, tcp_tw_reuse 0) one process makes 700
# TIME_WAIT and holds 40 live connections toward 127.0.0.1:7788; a second,
# whose command name holds a space, a comma, a quote and a parenthesis,
# holds 10, one of them also under a dup()ed descriptor. Three analyses
# must name the same owners with the same counts: the live run, the
# snapshot written by --capture (its own users:(...) column) and a
# snapshot whose ss-tan.txt is real `ss -tanop` output; and those counts
# are python's own from ss's users column.
. "$(dirname "$0")/lib.sh"

new_ns ownsnap
ip netns exec "$ns" sysctl -qw net.ipv4.ip_local_port_range="40000 40999" net.ipv4.tcp_tw_reuse=0 ||
	fail "setting the port range"

ip netns exec "$ns" "$PY" "$TW_SRCDIR/tests/netns/make-held.py" 40 700 7788 45 \
	>"$TW_TMP/ready.1" 2>&1 &
tw_pids="$tw_pids $!"
tw_n=1
wait_ready
weird='we,i"rd (x'
ip netns exec "$ns" "$PY" -c '
import os, socket, sys, time
open("/proc/self/comm", "w").write(sys.argv[1])
k = [socket.create_connection(("127.0.0.1", 7788), timeout=5) for _ in range(10)]
d = os.dup(k[0].fileno())
print("ready", flush=True)
time.sleep(40)' "$weird" >"$TW_TMP/ready.2" 2>&1 &
tw_pids="$tw_pids $!"
tw_n=2
wait_ready

# The snapshots: one by --capture, one with ss -tanop's own listing.
cap=$TW_TMP/cap
ssnap=$TW_TMP/ss
"$TWADVISE" --capture "$cap" --netns "$ns" || fail "capture"
cp -r "$cap" "$ssnap" || fail "copy"
ip netns exec "$ns" ss -tanop >"$ssnap/ss-tan.txt" || fail "ss -tanop"
grep -qF "(\"$weird\",pid=" "$ssnap/ss-tan.txt" || fail "setup: ss does not print the name '$weird'"

# Independent: per live client socket toward :7788 (local port in the
# ephemeral range), each pid of its users column counted once.
expect() {	# expect FILE: prints "pid comm sockets" per owner, most first, then "live N"
	"$PY" - "$1" <<'PY'
import re, sys, collections
c, names, live = collections.Counter(), {}, 0
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) < 5 or f[0] not in ("ESTAB", "SYN-SENT", "FIN-WAIT-1", "FIN-WAIT-2", "CLOSING", "LAST-ACK", "CLOSE-WAIT", "SYN-RECV"):
        continue
    if f[4] != "127.0.0.1:7788" or not f[3].startswith("127.0.0.1:4"):
        continue
    live += 1
    seen = set()
    for comm, pid in re.findall(r'\("(.*?)",pid=(\d+),fd=\d+\)', line):
        if pid not in seen:
            seen.add(pid)
            c[int(pid)] += 1
            names[int(pid)] = comm
for pid, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:3]:
    print(pid, names[pid], n)
print("live", live)
PY
}
got() {	# got JSON: the same shape from twadvise's client row toward :7788
	jq -r '[.time_wait.top[] | select(.side == "client" and .remote_port == 7788)][0] |
		(.owners[] | "\(.pid) \(.command) \(.sockets)"), "live \(.live)"'
}
want=$(expect "$ssnap/ss-tan.txt")
[ "$(expect "$cap/ss-tan.txt")" = "$want" ] ||
	fail "setup: --capture's users column counts differ from ss's: $(expect "$cap/ss-tan.txt") vs $want"
printf '%s\n' "$want" | grep -qx "[0-9]* python3 40" && printf '%s\n' "$want" | grep -qxF "live 50" &&
	printf '%s\n' "$want" | grep -q "^[0-9]* $weird 10\$" || fail "setup: ss counts $want"

live=$("$TWADVISE" --netns "$ns" --format json --site-dir /nonexistent) || fail "live run"
for s in "$cap" "$ssnap"; do
	out=$("$TWADVISE" --snapshot "$s" --format json --site-dir /nonexistent) || fail "snapshot $s"
	[ "$(printf '%s' "$out" | got)" = "$want" ] ||
		fail "snapshot $s owners: $(printf '%s' "$out" | got) (want $want)"
	ev=$(printf '%s' "$out" | jq -r '.findings[] | select(.id == "pool-connections") | .evidence')
	lev=$(printf '%s' "$live" | jq -r '.findings[] | select(.id == "pool-connections") | .evidence')
	case $lev in *"holds 40 of the 50 live connections"*) ;; *) fail "live evidence: $lev" ;; esac
	# the counts of TIME_WAIT may move between runs; the owner sentence may not
	[ "$(printf '%s' "$ev" | grep -o '[^.]*holds 40 of the 50[^.]*')" = \
	  "$(printf '%s' "$lev" | grep -o '[^.]*holds 40 of the 50[^.]*')" ] ||
		fail "snapshot $s evidence differs from live: '$ev' vs '$lev'"
	"$TWADVISE" --snapshot "$s" --site-dir /nonexistent | grep -q "Held by: 127.0.0.1:7788: python3 (pid" ||
		fail "snapshot $s: no Held by line"
done
[ "$(printf '%s' "$live" | got)" = "$want" ] || fail "live owners: $(printf '%s' "$live" | got) (want $want)"

# Without -p's column a snapshot names nobody (not "no owner").
sed 's/ users:((.*//' "$ssnap/ss-tan.txt" >"$TW_TMP/plain" && cp "$TW_TMP/plain" "$ssnap/ss-tan.txt"
out=$("$TWADVISE" --snapshot "$ssnap" --format json --site-dir /nonexistent) || fail "plain snapshot"
printf '%s' "$out" | jq -e '[.time_wait.top[] | select(.side == "client" and .remote_port == 7788)][0] |
	has("owners") | not' >/dev/null || fail "a snapshot without users:(...) has owners"
echo "owners-snapshot: $(printf '%s\n' "$want" | tr '\n' ';') in live, --capture and ss -tanop snapshots"
