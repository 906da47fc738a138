#!/bin/bash
# SPDX-License-Identifier: MIT
# hostile-snapshots.sh: snapshot folders made by an attacker (doc/snapshot-format.md
# invariant 6; twadvise(8) SECURITY, "Reading snapshots"). Each attack
# must end quickly with a one-line error naming the file, or with the
# facts it aimed at left unknown, and nothing from outside the snapshot
# or raw terminal control bytes may reach the output:
#  - FIFO, device node and symlinks leading out (ss-tan.txt -> /etc/shadow,
#    proc -> /proc) in place of snapshot files: done within 2 s each;
#  - ESC in a snapshot file: never raw on stderr or stdout;
#  - a sparse 1 GiB single line: bounded memory (max RSS below 64 MiB,
#    measured with /usr/bin/time) and time (below 2 s);
#  - 60,000 sysctl.d files: below 5 s of CPU time (user + system,
#    /usr/bin/time; about 0.5 s on an idle machine, 15 s before the
#    name de-duplication was made linear);
#  - a fleet of three with one malformed snapshot: the others reported,
#    the bad one as an error line/row/UNKNOWN, exit 1;
#  - unknown port range is JSON null; a duplicated sysctl-a.txt key is
#    noted; utilization above 1 is shown as 1 with a note;
#  - --diff never reads through a symlinked or FIFO --output;
#  - a 1 MiB profile loads or fails within 2 s;
#  - sysctl.d problems (a line that is not an assignment, a FIFO) are
#    notes of the report;
#  - ss -p users columns that are truncated, empty, repeat one pid 2,000
#    times or list 3,000 pids on one line, or hold ESC: ignored or
#    counted once per socket, no raw ESC in the text.
set -u
: "${TWADVISE:?set by the test harness}" "${TW_SRCDIR:?}"
fix="$TW_SRCDIR/tests/fixtures/snapshots"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/twhostile.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
tw() { "$TWADVISE" --site-dir /nonexistent --data-dir "$TW_SRCDIR" "$@"; }
TIME=/usr/bin/time
PY3=/usr/bin/python3
[ -x "$TIME" ] || { echo "SKIP: no $TIME"; exit 77; }

# fresh NAME: a copy of the basic snapshot at $tmp/NAME.
fresh() { rm -rf "${tmp:?}/$1"; cp -r "$fix/basic" "$tmp/$1"; }

# run_timed NAME ARGS...: runs twadvise with a 30 s safety timeout;
# sets rc, secs, and leaves stdout/stderr in $tmp/NAME.out/.err. The
# 20 s bounds below catch a hang or a quadratic blow-up, not speed (a
# normal run takes well under 2 s even under the sanitizers; speed is
# bench/'s job), so a loaded CI machine cannot fail them.
run_timed() {
	local name=$1 t0 t1
	shift
	t0=$(date +%s%N)
	timeout 30 "$TWADVISE" --site-dir /nonexistent --data-dir "$TW_SRCDIR" "$@" \
		>"$tmp/$name.out" 2>"$tmp/$name.err"
	rc=$?
	t1=$(date +%s%N)
	secs=$(( (t1 - t0) / 1000000 ))
}
# one_line NAME WORD: stderr is one line naming WORD.
one_line() { [ "$(wc -l <"$tmp/$1.err")" = 1 ] && grep -q -- "$2" "$tmp/$1.err"; }

# ---- FIFO ----------------------------------------------------------------
fresh fifo
rm "$tmp/fifo/uname-r.txt" && mkfifo "$tmp/fifo/uname-r.txt"
run_timed fifo --snapshot "$tmp/fifo"
[ $rc = 1 ] && [ $secs -lt 20000 ] && one_line fifo 'uname-r.txt: not a regular file' \
	&& ok "FIFO as uname-r.txt: one-line error in ${secs} ms" \
	|| bad "FIFO: rc $rc, ${secs} ms, stderr: $(cat "$tmp/fifo.err")"
fresh fifo2
rm "$tmp/fifo2/proc/net/netstat" && mkfifo "$tmp/fifo2/proc/net/netstat"
run_timed fifo2 --snapshot "$tmp/fifo2" --format json
[ $rc = 0 ] && [ $secs -lt 20000 ] \
	&& jq -e '.notes | map(select(test("proc/net/netstat.*unknown"))) | length == 1' "$tmp/fifo2.out" >/dev/null \
	&& ok "FIFO as optional proc/net/netstat: unknown, with a note, in ${secs} ms" \
	|| bad "optional FIFO: rc $rc, ${secs} ms"

# ---- device nodes ----------------------------------------------------------
fresh dev
rm "$tmp/dev/ss-tan.txt"
if mknod "$tmp/dev/ss-tan.txt" c 1 5 2>/dev/null; then   # /dev/zero's numbers
	rm "$tmp/dev/dmesg.txt" && mknod "$tmp/dev/dmesg.txt" c 1 11   # /dev/kmsg's
	run_timed dev --snapshot "$tmp/dev"
	[ $rc = 1 ] && [ $secs -lt 20000 ] && one_line dev 'ss-tan.txt: not a regular file' \
		&& ok "device as ss-tan.txt: one-line error in ${secs} ms" \
		|| bad "device: rc $rc, ${secs} ms, stderr: $(cat "$tmp/dev.err")"
	rm "$tmp/dev/ss-tan.txt" && cp "$fix/basic/ss-tan.txt" "$tmp/dev/ss-tan.txt"
	run_timed dev2 --snapshot "$tmp/dev" --format json
	[ $rc = 0 ] && [ $secs -lt 20000 ] \
		&& jq -e '.notes | map(select(test("dmesg.txt.*not a regular file"))) | length == 1' "$tmp/dev2.out" >/dev/null \
		&& ok "device as optional dmesg.txt (/dev/kmsg): never opened, unknown" \
		|| bad "optional device: rc $rc, ${secs} ms"
else
	echo "skip device nodes: mknod not permitted here"
fi

# ---- symbolic links out of the snapshot ----------------------------------------
fresh link
rm "$tmp/link/ss-tan.txt" && ln -s /etc/shadow "$tmp/link/ss-tan.txt"
run_timed link --snapshot "$tmp/link"
[ $rc = 1 ] && [ $secs -lt 20000 ] && one_line link 'ss-tan.txt: a symbolic link that leads out' \
	&& ! grep -q 'root:' "$tmp/link.err" \
	&& ok "ss-tan.txt -> /etc/shadow: refused, nothing of it quoted" \
	|| bad "symlink out: rc $rc, stderr: $(cat "$tmp/link.err")"
fresh proclink
rm -rf "$tmp/proclink/proc" && ln -s /proc "$tmp/proclink/proc"
run_timed proclink --snapshot "$tmp/proclink" --format json
# Every proc/ file is refused: the analysing host's counters never mix in.
[ $rc = 0 ] && [ $secs -lt 20000 ] \
	&& jq -e '[.notes[] | select(test("proc/.*unknown"))] | length >= 5' "$tmp/proclink.out" >/dev/null \
	&& jq -e '.cost.items | map(select(.name == "memory")) | .[0].measured != true' "$tmp/proclink.out" >/dev/null \
	&& ok "proc -> /proc: the host's /proc is never read" \
	|| bad "proc -> /proc: rc $rc, notes $(jq -c .notes "$tmp/proclink.out" 2>/dev/null)"
# A link that stays inside is fine.
fresh inlink
mv "$tmp/inlink/ss-tan.txt" "$tmp/inlink/ss-real.txt" && ln -s ss-real.txt "$tmp/inlink/ss-tan.txt"
run_timed inlink --snapshot "$tmp/inlink"
[ $rc = 0 ] && ok "a link inside the snapshot is followed" || bad "inside link: rc $rc $(cat "$tmp/inlink.err")"

# ---- terminal escapes ----------------------------------------------------------
fresh esc
printf '\033]0;owned\007\033[2J6.1.0\n' >"$tmp/esc/uname-r.txt"
run_timed esc --snapshot "$tmp/esc"
[ $rc = 1 ] && ! grep -q $'\033' "$tmp/esc.err" && one_line esc 'uname-r.txt:1:' \
	&& ok "ESC in uname-r.txt: never raw on stderr" || bad "ESC reached stderr raw: $(od -c "$tmp/esc.err" | head -3)"
fresh esc2
printf 'net.ipv4.\033[31mred = 1\n' >>"$tmp/esc2/sysctl-a.txt"
run_timed esc2 --snapshot "$tmp/esc2"
[ $rc = 1 ] && ! grep -q $'\033' "$tmp/esc2.err" && grep -qF 'net.ipv4.\x1b[31mred' "$tmp/esc2.err" \
	&& ok "ESC in a quoted sysctl key: shown as \\x1b" || bad "ESC key: $(od -c "$tmp/esc2.err" | head -3)"
fresh esc3
printf 'TCP: inuse \033[2J\n' >"$tmp/esc3/proc/net/sockstat"
run_timed esc3 --snapshot "$tmp/esc3"
[ $rc = 0 ] && ! grep -q $'\033' "$tmp/esc3.out" "$tmp/esc3.err" \
	&& ok "ESC in an optional file: the note is escaped" || bad "ESC in a note reached the output"

# ---- a 1 GiB line ------------------------------------------------------------------
fresh big
head -1 "$fix/basic/ss-tan.txt" >"$tmp/big/ss-tan.txt"
truncate -s 1G "$tmp/big/ss-tan.txt"
t0=$(date +%s%N)
"$TIME" -f '%M' -o "$tmp/big.rss" timeout 30 "$TWADVISE" --data-dir "$TW_SRCDIR" \
	--snapshot "$tmp/big" >/dev/null 2>"$tmp/big.err"
rc=$?
secs=$(( ($(date +%s%N) - t0) / 1000000 ))
rss=$(tail -1 "$tmp/big.rss")
[ $rc = 1 ] && [ "$rss" -lt 65536 ] && [ $secs -lt 20000 ] && grep -q 'ss-tan.txt:2: line longer than' "$tmp/big.err" \
	&& ok "1 GiB line in ss-tan.txt: error at line 2, ${rss} KiB RSS, ${secs} ms" \
	|| bad "1 GiB line: rc $rc, ${rss} KiB, ${secs} ms, $(cat "$tmp/big.err")"
fresh big2
truncate -s 1G "$tmp/big2/sysctl-a.txt"
"$TIME" -f '%M' -o "$tmp/big2.rss" timeout 30 "$TWADVISE" --data-dir "$TW_SRCDIR" \
	--snapshot "$tmp/big2" >/dev/null 2>"$tmp/big2.err"
rc=$?
rss=$(tail -1 "$tmp/big2.rss")
[ $rc = 1 ] && [ "$rss" -lt 65536 ] && grep -q 'sysctl-a.txt: larger than' "$tmp/big2.err" \
	&& ok "1 GiB sysctl-a.txt: refused before reading, ${rss} KiB RSS" || bad "1 GiB sysctl-a.txt: rc $rc, ${rss} KiB"

# ---- 60,000 sysctl.d files ------------------------------------------------------------
fresh many
mkdir -p "$tmp/many/etc/sysctl.d" "$tmp/many/usr/lib/sysctl.d"
awk -v d="$tmp/many/etc/sysctl.d" -v u="$tmp/many/usr/lib/sysctl.d" 'BEGIN {
	for (i = 0; i < 60000; i++) {
		f = sprintf("%s/%05d.conf", d, i); print "net.ipv4.tcp_fin_timeout = " (10 + i % 50) > f; close(f)
		if (i % 10 == 0) { f = sprintf("%s/%05d.conf", u, i); print "net.ipv4.tcp_fin_timeout = 99" > f; close(f) }
	} }'
"$TIME" -f '%U %S' -o "$tmp/many.cpu" timeout 60 "$TWADVISE" --data-dir "$TW_SRCDIR" \
	--snapshot "$tmp/many" --format json >"$tmp/many.out" 2>"$tmp/many.err"
rc=$?
cpu=$(tail -1 "$tmp/many.cpu" | awk '{ printf "%d", ($1 + $2) * 1000 }')
# The last file in name order wins: 59999 % 50 + 10 = 59.
want=$(( 59999 % 50 + 10 ))
[ $rc = 0 ] && [ "$cpu" -lt 5000 ] \
	&& jq -e --arg w "$want" '[.findings[].changes[]? | select(.sysctl == "net.ipv4.tcp_fin_timeout") | .persisted.value] | all(. == $w)' "$tmp/many.out" >/dev/null \
	&& ok "60,000 sysctl.d files: ${cpu} ms of CPU" || bad "60,000 sysctl.d files: rc $rc, ${cpu} ms CPU"

# ---- sysctl.d problems reach the report's notes ------------------------------------------------
fresh warn
mkdir -p "$tmp/warn/etc/sysctl.d"
printf 'net.ipv4.tcp_fin_timeout = 30\nthis is not an assignment\n' >"$tmp/warn/etc/sysctl.d/10-a.conf"
mkfifo "$tmp/warn/etc/sysctl.d/20-fifo.conf"
run_timed warn --snapshot "$tmp/warn" --format json
[ $rc = 0 ] && [ $secs -lt 20000 ] \
	&& jq -e '.notes | map(select(test("/etc/sysctl.d/10-a.conf:2: line is not an assignment"))) | length == 1' "$tmp/warn.out" >/dev/null \
	&& jq -e '.notes | map(select(test("/etc/sysctl.d/20-fifo.conf: not a regular file"))) | length == 1' "$tmp/warn.out" >/dev/null \
	&& ok "sysctl.d warnings (a bad line, a FIFO) are notes of the report" || bad "sysctl.d notes: $(jq -c .notes "$tmp/warn.out")"

# ---- fleet: one bad snapshot of three ------------------------------------------------------
fresh bad
printf 'not a kernel\n' >"$tmp/bad/uname-r.txt"
hosts=(--snapshot "$fix/client-heavy" --snapshot "$tmp/bad" --snapshot "$fix/harmless")
run_timed fleet "${hosts[@]}" --format json
[ $rc = 1 ] && [ "$(wc -l <"$tmp/fleet.out")" = 3 ] \
	&& sed -n 2p "$tmp/fleet.out" | jq -e --arg s "$tmp/bad" '.snapshot == $s and (.error | test("uname-r.txt:1:"))' >/dev/null \
	&& sed -n 1p "$tmp/fleet.out" | jq -e '.profile and (.error == null)' >/dev/null \
	&& sed -n 3p "$tmp/fleet.out" | jq -e '.time_wait.total == 120' >/dev/null \
	&& ok "fleet JSON: the bad host is an error line, the others are reported, exit 1" \
	|| bad "fleet JSON: rc $rc, $(cut -c1-120 "$tmp/fleet.out")"
NO_COLOR=1 run_timed fleett "${hosts[@]}"
[ $rc = 1 ] && grep -Eq "^$tmp/bad +- +ERROR" "$tmp/fleett.out" && grep -q "^error: .*uname-r.txt:1:" "$tmp/fleett.out" \
	&& grep -Eq "^$fix/harmless +[^ ]+ +" "$tmp/fleett.out" \
	&& ok "fleet text: an ERROR row and the others' rows" || bad "fleet text: rc $rc"
run_timed fleetn "${hosts[@]}" --format nagios
[ $rc = 3 ] && [ "$(grep -c '^TWADVISE UNKNOWN - '"$tmp"'/bad: ' "$tmp/fleetn.out")" = 1 ] \
	&& [ "$(grep -c '^TWADVISE ' "$tmp/fleetn.out")" = 3 ] && ok "fleet nagios: UNKNOWN for the bad host" || bad "fleet nagios: rc $rc"

# ---- unknown is null, duplicates noted, utilization capped ------------------------------------
fresh norange
sed -i '/^net.ipv4.ip_local_port_range/d' "$tmp/norange/sysctl-a.txt"
run_timed norange --snapshot "$tmp/norange" --format json
[ $rc = 0 ] && jq -e '.time_wait.port_range == null and .time_wait.ports_available == null' "$tmp/norange.out" >/dev/null \
	&& ok "unknown port range: null, not [0, 0]" || bad "unknown port range: $(jq -c .time_wait.port_range "$tmp/norange.out")"
fresh dup
lines=$(wc -l <"$tmp/dup/sysctl-a.txt")
echo 'net.ipv4.tcp_fin_timeout = 7' >>"$tmp/dup/sysctl-a.txt"
first=$(grep -n '^net.ipv4.tcp_fin_timeout' "$tmp/dup/sysctl-a.txt" | head -1 | cut -d: -f1)
run_timed dup --snapshot "$tmp/dup" --format json
[ $rc = 0 ] && jq -e --arg k "net.ipv4.tcp_fin_timeout (lines $first and $((lines + 1))" \
	'.notes | map(select(contains($k))) | length == 1' "$tmp/dup.out" >/dev/null \
	&& ok "duplicate key in sysctl-a.txt: noted with its lines" || bad "duplicate key: $(jq -c .notes "$tmp/dup.out")"
rm -rf "$tmp/over" && cp -r "$fix/client-heavy" "$tmp/over"
sed -i 's/^net.ipv4.ip_local_port_range = .*/net.ipv4.ip_local_port_range = 60000 60099/' "$tmp/over/sysctl-a.txt"
run_timed over --snapshot "$tmp/over" --format json
count=$(jq '.time_wait.top[0].count' "$tmp/over.out")
[ $rc = 0 ] && [ "$count" -gt 100 ] && jq -e '.time_wait.top[0].utilization == 1' "$tmp/over.out" >/dev/null \
	&& ok "utilization of $count sockets on 100 ports: 1, count kept" || bad "utilization cap: $(jq -c '.time_wait.top[0]' "$tmp/over.out")"
NO_COLOR=1 run_timed overt --snapshot "$tmp/over"
grep -q 'more TIME_WAIT sockets than it has ports' "$tmp/overt.out" && ok "the text says why it shows 100%" || bad "no explanation in the text"

# ---- ss -p's users column ------------------------------------------------------------------
# Toward 10.9.9.9:80: 30 TIME_WAIT and 8 live sockets whose users
# columns are truncated, empty, a name with ESC, the same pid 2,000 times
# (one socket: counted once), 3,000 distinct pids on one 60 KiB line:
# each ignored or counted, never a crash, no raw ESC out.
fresh users
"$PY3" - "$tmp/users/ss-tan.txt" <<'PY'
import sys
o = open(sys.argv[1], "w")
o.write("State Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n")
for i in range(30):
    o.write("TIME-WAIT 0 0 10.0.0.1:%d 10.9.9.9:80\n" % (40000 + i))
live = ['users:(("x",pid=1,fd=', 'users:((', 'users:(("a\x1b[31mred",pid=7,fd=3))',
        'users:(' + ",".join('("same",pid=9,fd=%d)' % f for f in range(2000)) + ')',
        'users:(' + ",".join('("m",pid=%d,fd=1)' % (100 + p) for p in range(3000)) + ')',
        'users:(("ok",pid=5,fd=3))', 'users:(("ok",pid=5,fd=4),("ok",pid=5,fd=9))', '']
for i, u in enumerate(live):
    o.write("ESTAB 0 0 10.0.0.1:%d 10.9.9.9:80 %s\n" % (41000 + i, u))
PY
run_timed users --snapshot "$tmp/users" --format json
[ $rc = 0 ] && jq -e '[.time_wait.top[] | select(.remote == "10.9.9.9")][0] | .live == 8 and
	.owners[0].pid == 5 and .owners[0].sockets == 2 and ([.owners[].sockets] | add) == 4' \
	"$tmp/users.out" >/dev/null && ok "hostile users columns: ignored or counted once per socket" ||
	bad "users columns: rc $rc, $(jq -c '.time_wait.top[0]' "$tmp/users.out" 2>/dev/null) $(head -c 300 "$tmp/users.err")"
# 200,000 live sockets toward ten tuples, each held by another pid: counted
# through a hash of pids, well within the time bound.
"$PY3" - "$tmp/users/ss-tan.txt" <<'PY'
import sys
with open(sys.argv[1], "a") as o:
    for i in range(200000):
        o.write("ESTAB 0 0 10.0.0.%d:%d 10.9.9.9:80 users:((\"w\",pid=%d,fd=3))\n"
                % (1 + i // 20000, 42000 + i % 20000, 10000 + i))
PY
run_timed usersbig --snapshot "$tmp/users" --format json
[ $rc = 0 ] && [ $secs -lt 20000 ] && jq -e '[.time_wait.top[] | select(.remote == "10.9.9.9" and .local == "10.0.0.1")][0].live == 20008' \
	"$tmp/usersbig.out" >/dev/null && ok "200,000 owned sockets, one pid each: ${secs} ms" ||
	bad "200,000 owned sockets: rc $rc, ${secs} ms, $(jq -c '[.time_wait.top[] | select(.remote == "10.9.9.9")][0] | {live, local}' "$tmp/usersbig.out" 2>/dev/null)"
run_timed userst --snapshot "$tmp/users"
[ $rc = 0 ] && ! grep -q "$(printf '\033')" "$tmp/userst.out" "$tmp/userst.err" && grep -q 'Held by: 10.9.9.9:80' "$tmp/userst.out" \
	&& ok "ESC in a process name: never raw in the text" || bad "ESC in a process name: rc $rc, $(grep 'Held by' "$tmp/userst.out" | od -c | head -3)"

# ---- --diff reads --output like the writer ---------------------------------------------------
ln -s /etc/shadow "$tmp/diff-link"
run_timed dlink --snapshot "$fix/basic" --output "$tmp/diff-link" --diff
[ $rc = 1 ] && one_line dlink 'symbolic link' && ! grep -q 'root:' "$tmp/dlink.out" \
	&& ok "--diff refuses a symlinked --output" || bad "--diff symlink: rc $rc"
mkfifo "$tmp/diff-fifo"
run_timed dfifo --snapshot "$fix/basic" --output "$tmp/diff-fifo" --diff
[ $rc = 1 ] && [ $secs -lt 20000 ] && one_line dfifo 'not a regular file' \
	&& ok "--diff refuses a FIFO --output, without blocking" || bad "--diff FIFO: rc $rc, ${secs} ms"

# ---- a 1 MiB profile -------------------------------------------------------------------------------
awk 'BEGIN { print "name: wide\ndescription: d\ninherits: generic\nthresholds:";
	for (i = 0; i < 80000; i++) printf "  t%06d: 1\n", i }' >"$tmp/wide.yaml"
run_timed wide --validate "$tmp/wide.yaml"
[ $rc = 1 ] && [ $secs -lt 20000 ] && grep -q 'wide.yaml:5:3: more than 4096 keys' "$tmp/wide.err" \
	&& ok "1 MiB profile with 80,000 keys: refused in ${secs} ms" || bad "1 MiB profile: rc $rc, ${secs} ms, $(head -1 "$tmp/wide.err")"
awk 'BEGIN { print "id: many-parts\ntitle: t\nseverity: info\nwhen: \"true\"\nrationale: r\nrisk: none\nevidence: >-";
	for (i = 0; i < 65000; i++) print "  ${tw.total} x" }' >"$tmp/many-parts.yaml"
run_timed parts --validate "$tmp/many-parts.yaml"
[ $rc = 0 ] && [ $secs -lt 20000 ] && ok "1 MiB rule with 65,000 template parts: loaded in ${secs} ms" \
	|| bad "template parts: rc $rc, ${secs} ms"

[ $fails = 0 ] || { echo "$fails failure(s)"; exit 1; }
