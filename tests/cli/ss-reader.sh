#!/bin/sh
# SPDX-License-Identifier: MIT
# ss-reader.sh: a snapshot's ss-tan.txt parsed on a second thread
# (TWADVISE_SS_PARSE=pipelined, the default for a large file on two CPUs)
# gives what parsing on the calling thread (inline) gives: the same JSON,
# the same message and exit code, on listings made to cross every batch
# boundary of src/collect/ss_reader.c (lines full, bytes full, a 64 KiB
# line carried over, no final newline, CRLF, ss -p's users column read by
# the owners pass, a listener after its sockets, ss and netstat lines,
# headers), with bad lines found by either thread (the earlier line's
# message wins), and from a folder and from an archive (in memory).
# Independently of twadvise, the TIME_WAIT total is counted here and each
# error must name the line the generator broke.
set -u
srcdir=${TW_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
tw_bin=${TWADVISE:-$srcdir/twadvise}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/twadvise-ssreader.XXXXXX") || exit 99
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT INT TERM
fail=0 n=0
bad() { echo "FAIL $*"; fail=1; }
SOURCE_DATE_EPOCH=1764633600; export SOURCE_DATE_EPOCH

# gen CASE: a snapshot folder $tmp/CASE whose ss-tan.txt the generator
# writes; prints "TOTAL BADLINE" (BADLINE 0: the listing is good).
gen() {
	mkdir -p "$tmp/$1"
	cp "$srcdir/tests/fixtures/snapshots/basic/uname-r.txt" \
		"$srcdir/tests/fixtures/snapshots/basic/sysctl-a.txt" "$tmp/$1/"
	python3 - "$1" "$tmp/$1/ss-tan.txt" <<'PY'
import random, sys
case, path = sys.argv[1], sys.argv[2]
rnd = random.Random(7)
N = 120000
out, tw, badline, owners = [], 0, 0, {}
def add(s):
    out.append(s)
out.append("State  Recv-Q Send-Q  Local Address:Port  Peer Address:Port Process")
out.append("LISTEN 0 128 0.0.0.0:443 0.0.0.0:* users:((\"nginx\",pid=10,fd=6))")
for i in range(N):
    r = rnd.random()
    lp = rnd.randint(32768, 60999)
    if r < 0.05:
        pid = 100 + rnd.randint(0, 5)
        owners[pid] = owners.get(pid, 0) + 1
        owners[3] = owners.get(3, 0) + 1
        add("ESTAB 0 0 10.0.0.3:%d 10.9.1.1:6379 users:((\"api, (v2)\",pid=%d,fd=%d),(\"x\",pid=3,fd=4))"
            % (lp, pid, rnd.randint(3, 900)))
    elif r < 0.06:
        add("tcp6       0      0 2001:db8::5:%d        2001:db8::9:443         TIME_WAIT   timewait (%d.%02d/0/0)"
            % (lp, rnd.randint(0, 59), rnd.randint(0, 99)))
        tw += 1
    elif r < 0.20:
        add("TIME-WAIT 0 0 [::ffff:10.0.0.2]:443 [2001:db8::%x]:%d timer:(timewait,%dsec,0)"
            % (rnd.randint(1, 4000), lp, rnd.randint(1, 59)))
        tw += 1
    elif r < 0.21:
        add("Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port")
    elif r < 0.22:
        add("TIME-WAIT\t0\t0\t10.0.0.3:%d\t10.9.1.1:6379\r" % lp)
        tw += 1
    elif r < 0.2202:
        # valid and long: one line pushes a batch's bytes past 64 KiB
        add("TIME-WAIT 0 0 10.0.0.4:%d 10.9.2.2:80%s" % (lp, " " * rnd.randint(20000, 65000)))
        tw += 1
    else:
        add("%-10s %-6d %-6d %20s %22s timer:(timewait,%dmin%dsec,0)"
            % ("TIME-WAIT", 0, 0, "10.0.0.%d:%d" % (rnd.randint(1, 4), lp),
               "10.1.%d.%d:8080" % (rnd.randint(0, 3), rnd.randint(1, 16)), 0, rnd.randint(1, 59)))
        tw += 1
# a listener after sockets on its port: a second pass
out.append("LISTEN 0 128 0.0.0.0:8080 0.0.0.0:*")

def breaks(kind, at):
    global badline
    if kind == "peer":
        out[at - 1] = "TIME-WAIT 0 0 10.0.0.1:40000 10.9.0.300:80"
    elif kind == "state":
        out[at - 1] = "TIME-WAITING 0 0 10.0.0.1:40000 10.9.0.3:80"
    elif kind == "timer":
        out[at - 1] = "TIME-WAIT 0 0 10.0.0.1:40000 10.9.0.3:80 timer:(timewait,soon,0)"
    elif kind == "long":
        out[at - 1] = "TIME-WAIT 0 0 10.0.0.1:40000 10.9.0.3:80" + " " * 70000
    elif kind == "limit":   # 65,536 bytes with its newline: one too many
        out[at - 1] = out[at - 1].ljust(65536)
    badline = at if badline == 0 or at < badline else badline

tail = "\n"
if case == "noeol":
    tail = ""
elif case == "peer":
    breaks("peer", 90001)
elif case == "state":
    breaks("state", 70001)
elif case == "peer-first":
    breaks("state", 80001); breaks("peer", 60001)
elif case == "state-first":
    breaks("peer", 80001); breaks("state", 60001)
elif case == "timer":
    breaks("timer", 100001)
elif case == "long":
    breaks("long", 50001)
elif case == "limit":
    breaks("limit", 40001)
elif case == "at-limit":   # 65,535 bytes and its newline: allowed
    out[40000] = out[40000].ljust(65535)
if badline:
    tw = 0
with open(path, "w", newline="") as f:
    f.write("\n".join(out) + tail)
with open(path + ".owners", "w") as f:   # pid: live sockets toward 10.9.1.1:6379
    f.write(" ".join("%d:%d" % kv for kv in sorted(owners.items())))
print(tw, badline)
PY
}

# run CASE SNAPSHOT MODE: stdout, stderr and exit code under MODE.
run() {
	TWADVISE_SS_PARSE=$3 "$tw_bin" --site-dir /nonexistent --data-dir "$srcdir" \
		--snapshot "$2" --format json >"$tmp/$1.$3.out" 2>"$tmp/$1.$3.err" </dev/null
	echo $? >"$tmp/$1.$3.rc"
}

check() {	# CASE SNAPSHOT TOTAL BADLINE
	for m in inline pipelined auto; do
		run "$1" "$2" $m
	done
	for m in pipelined auto; do
		for x in out err rc; do
			cmp -s "$tmp/$1.inline.$x" "$tmp/$1.$m.$x" ||
				bad "$1: $m $x differs from inline: $(diff "$tmp/$1.inline.$x" "$tmp/$1.$m.$x" | head -c 400)"
		done
	done
	if [ "$4" = 0 ]; then
		[ "$(cat "$tmp/$1.inline.rc")" != 1 ] || bad "$1: exit 1: $(cat "$tmp/$1.inline.err")"
		got=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["time_wait"]["total"])' \
			"$tmp/$1.inline.out" 2>/dev/null)
		[ "$got" = "$3" ] || bad "$1: time_wait.total $got, counted $3"
	else
		[ "$(cat "$tmp/$1.inline.rc")" = 1 ] || bad "$1: exit $(cat "$tmp/$1.inline.rc"), want 1"
		grep -q "ss-tan.txt:$4: " "$tmp/$1.inline.err" ||
			bad "$1: the message does not name line $4: $(head -c 300 "$tmp/$1.inline.err")"
	fi
	n=$((n + 1))
}

for c in good noeol at-limit peer state peer-first state-first timer long limit; do
	set -- $(gen "$c")
	check "$c" "$tmp/$c" "$1" "$2"
	eval "total_$(echo "$c" | tr - _)=$1 badline_$(echo "$c" | tr - _)=$2"
done

# The owners pass (the users column; TIME-WAIT lines skipped) counted
# the generator's processes toward 10.9.1.1:6379, socket by socket.
python3 - "$tmp/good.inline.out" "$tmp/good/ss-tan.txt.owners" <<'PY' || bad "good: owners"
import json, sys
top = json.load(open(sys.argv[1]))["time_wait"]["top"]
want = dict(tuple(map(int, kv.split(":"))) for kv in open(sys.argv[2]).read().split())
row = [t for t in top if t["remote"] == "10.9.1.1" and t["remote_port"] == 6379]
got = {o["pid"]: o["sockets"] for o in (row[0].get("owners") or [])} if row else {}
names = {o["command"] for o in (row[0].get("owners") or [])} if row else set()
# the busiest few are listed (twadvise keeps a handful), most first
best = sorted(want.items(), key=lambda kv: -kv[1])[:len(got)]
if not got or got != dict(best) or "api, (v2)" not in names:
    print("owners %r %r, want %r" % (got, names, want))
    sys.exit(1)
PY

# From an archive: the copy in memory is split in place.
for c in good peer; do
	tar -C "$tmp/$c" -czf "$tmp/$c.tar.gz" .
	eval "t=\$total_$c b=\$badline_$c"
	check "$c-archive" "$tmp/$c.tar.gz" "$t" "$b"
done

# Empty, and a header alone.
mkdir -p "$tmp/empty"
cp "$srcdir/tests/fixtures/snapshots/basic/uname-r.txt" "$srcdir/tests/fixtures/snapshots/basic/sysctl-a.txt" "$tmp/empty/"
: >"$tmp/empty/ss-tan.txt"
check empty "$tmp/empty" 0 0
echo "State Recv-Q Send-Q Local Address:Port Peer Address:Port" >"$tmp/empty/ss-tan.txt"
check header "$tmp/empty" 0 0

# Which way was taken (strace counts the threads started): pipelined
# starts one a pass (two here: the owners pass too), inline none, and so does the default on one CPU (taskset)
# or on a small listing.
# (CLONE_THREAD: LeakSanitizer's own clone at exit is not a thread.)
threads() {	# ENV-MODE SNAPSHOT [taskset CPU]: threads the run started
	env TWADVISE_SS_PARSE="$1" ${3:+taskset -c "$3"} strace -f -qq -e trace=clone,clone3 \
		-o "$tmp/strace" "$tw_bin" --site-dir /nonexistent --data-dir "$srcdir" \
		--snapshot "$2" --format json >/dev/null 2>&1 </dev/null
	grep -c 'CLONE_THREAD' "$tmp/strace"
}
if command -v strace >/dev/null 2>&1 && command -v taskset >/dev/null 2>&1; then
	[ "$(threads pipelined "$tmp/good")" = 2 ] || bad "pipelined did not start a thread a pass"
	[ "$(threads inline "$tmp/good")" = 0 ] || bad "inline started a thread"
	[ "$(threads "" "$tmp/good" 0)" = 0 ] || bad "the default started a thread on one CPU"
	[ "$(threads "" "$srcdir/tests/fixtures/snapshots/basic")" = 0 ] ||
		bad "the default started a thread for a small listing"
	[ "$(threads pipelined "$tmp/good" 0)" = 2 ] || bad "pipelined on one CPU did not start its threads"
else
	echo "strace or taskset missing: which way was taken is not checked"
fi

echo "ss-reader: $n listings, three ways each"
exit $fail
