#!/bin/sh
# SPDX-License-Identifier: MIT
# watch.sh: --watch against a namespace with a known workload (toward
# 127.0.0.1:7777, 200 ESTABLISHED and 300 TIME_WAIT sockets: held 500;
# 40 server-side TIME_WAIT sockets at :9090).
# In tmux (fixed 120x40 pane): the destination row shows the counts ss
# gives, the verdict is the one --format json gives, 's' changes the sort
# label, 'f' shows a finding id, 'q' ends it with exit 0 and the terminal
# as it was (stty settings, normal screen); SIGTERM and ^C do the same. Off a
# terminal: one line per refresh, --iterations bounds it, SIGTERM ends
# it with exit 0.
. "$(dirname "$0")/lib.sh"
command -v tmux >/dev/null 2>&1 || skip "no tmux"

# A tmux server of our own (its socket in the test's temporary folder),
# killed on exit whatever happens, before lib.sh's cleanup.
T="tmux -S $TW_TMP/tmux.sock"
trap '$T kill-server 2>/dev/null; tw_cleanup' EXIT

new_ns watch
# A narrow range (800 ports) and no reuse, so that 500 held ports are
# pressure: the verdict is not "harmless", and the budget is known
# independently.
ip netns exec "$ns" sysctl -qw net.ipv4.ip_local_port_range="40000 40799" \
	net.ipv4.tcp_tw_reuse=0 || fail "sysctl in $ns"
ports=800
ip netns exec "$ns" "$PY" "$TW_SRCDIR/tests/netns/make-held.py" 200 300 7777 40 \
	>"$TW_TMP/ready.0" 2>&1 &
tw_pids="$tw_pids $!"
tw "$ns" 40 4 server 9090
tw_n=$((tw_n + 1))   # make-held.py's "ready" too
wait_ready

# Independent counts, from ss.
ssn() { ip netns exec "$ns" ss -tanH "$@" '( dport = :7777 )' | wc -l; }
held_7777=$(ssn state established state syn-sent state fin-wait-1 state fin-wait-2 \
	state close-wait state last-ack state closing state time-wait)
tw_7777=$(ssn state time-wait)
all_tw=$(ip netns exec "$ns" ss -tanH state time-wait | wc -l)
[ "$held_7777" = 500 ] && [ "$tw_7777" = 300 ] && [ "$all_tw" = 340 ] ||
	fail "setup: ss counts held $held_7777, TIME_WAIT $tw_7777 toward :7777, $all_tw in all"
# The verdict and the findings as a normal run gives them now. They follow
# the clock: the burst's rate (TIME_WAIT younger than 10 s) raises the
# verdict for 10 s, so each check brackets the screen between two runs
# and accepts either answer.
json_now() { "$TWADVISE" --netns "$ns" --format json --site-dir /nonexistent || fail "json run"; }
verdict_now() { json_now | jq -r .verdict; }
ids_now() { json_now | jq -r '.findings[].id'; }

# run_tui NAME: twadvise --watch 1 in a new tmux session NAME; its pid
# goes to $TW_TMP/NAME.pid, its exit status to NAME.rc, and stty's
# settings before and after to NAME.before and NAME.after.
run_tui() {
	# (the wrapper survives ^C, which goes to the whole foreground group)
	cat >"$TW_TMP/$1.sh" <<EOS
trap : INT
stty -g >"$TW_TMP/$1.before"
sh -c 'echo \$\$ >"$TW_TMP/$1.pid"; exec "$TWADVISE" --netns "$ns" --watch 1 --site-dir /nonexistent'
echo \$? >"$TW_TMP/$1.rc"
stty -g >"$TW_TMP/$1.after"
sleep 60
EOS
	$T new-session -d -s "$1" -x 120 -y 40 "sh $TW_TMP/$1.sh" || fail "tmux new-session"
}
pane() { $T capture-pane -p -t "$1"; }
# wait_pane NAME PATTERN: at most 10 s until the pane shows PATTERN (ERE).
wait_pane() {
	i=0
	until pane "$1" | grep -Eq -- "$2"; do
		i=$((i + 1))
		[ $i -le 100 ] || { pane "$1" >&2; fail "$1: the screen never showed /$2/"; }
		sleep 0.1
	done
}
# wait_exit NAME: at most 10 s until the program ended; checks exit 0 and
# the terminal settings restored.
wait_exit() {
	i=0
	until [ -s "$TW_TMP/$1.after" ]; do
		i=$((i + 1))
		[ $i -le 100 ] || { pane "$1" >&2; fail "$1: twadvise did not exit"; }
		sleep 0.1
	done
	[ "$(cat "$TW_TMP/$1.rc")" = 0 ] || fail "$1: exit status $(cat "$TW_TMP/$1.rc"), want 0"
	cmp -s "$TW_TMP/$1.before" "$TW_TMP/$1.after" ||
		fail "$1: terminal settings not restored: $(cat "$TW_TMP/$1.before") -> $(cat "$TW_TMP/$1.after")"
	[ "$($T display -p -t "$1" '#{alternate_on} #{cursor_flag}')" = "0 1" ] ||
		fail "$1: still on the alternate screen or the cursor hidden"
	pane "$1" | grep -q 'sorted by' && fail "$1: the view is still on the screen"
	return 0
}

run_tui main
# The row toward 127.0.0.1:7777: side, destination, held, TIME_WAIT.
wait_pane main '^client +127\.0\.0\.1 -> 127\.0\.0\.1:7777 '
row=$(pane main | grep -E '^client +127\.0\.0\.1 -> 127\.0\.0\.1:7777 ')
set -- $row
[ "$1 $5 $6" = "client $held_7777 $tw_7777" ] ||
	fail "row '$row': want held $held_7777 and TIME_WAIT $tw_7777 (ss)"
# (a refresh collected after v1: more than one period later)
v1=$(verdict_now); sleep 1.3; pane main >"$TW_TMP/screen"; v2=$(verdict_now)
grep -Eq "^Verdict: ($v1|$v2)\." "$TW_TMP/screen" || { cat "$TW_TMP/screen" >&2; fail "no 'Verdict: $v1.' (or $v2) line"; }
verdict=$v2
[ "$v1" != harmless ] && [ "$v2" != harmless ] ||
	fail "setup: 62 % of a destination's ports held, and the verdict is harmless"
# USE: held / ports as a percentage (500 / 800: 62.5 %, printed 62 or 63)
pct=$(awk -v h="$held_7777" -v p="$ports" 'BEGIN { printf "%.0f", h * 100 / p }')
printf '%s\n' "$row" | grep -q " $pct% " || fail "row '$row': want $pct% of the ports used"
pane main | grep -Eq "^TIME_WAIT $all_tw " || { pane main >&2; fail "no 'TIME_WAIT $all_tw' counter"; }
pane main | grep -q "sorted by held" || fail "default sort is not held"
$T send-keys -t main s
wait_pane main 'sorted by rate'
$T send-keys -t main s
wait_pane main 'sorted by TIME_WAIT'
# sorted by TIME_WAIT: the 300 come before the 40
first=$(pane main | grep -E '^(client|server) ' | head -n 1)
case $first in client*127.0.0.1:7777*) ;; *) fail "sorted by TIME_WAIT, first row '$first'" ;; esac
$T send-keys -t main f
ids_now >"$TW_TMP/ids"
sleep 1.3
pane main | sed -n 's/^  *\(info\|warning\|critical\)  *\([a-z0-9-]*\):.*/\2/p' >"$TW_TMP/shown"
ids_now >>"$TW_TMP/ids"
finding=$(grep -Fx -f "$TW_TMP/ids" "$TW_TMP/shown" | head -n 1)
[ -n "$finding" ] || { pane main >&2; fail "'f': no finding id of a normal run on the screen ($(sort -u "$TW_TMP/ids" | tr '\n' ' '))"; }
$T send-keys -t main q
wait_exit main

# SIGTERM on a terminal: the same clean end.
run_tui term
wait_pane term '^client '
kill -TERM "$(cat "$TW_TMP/term.pid")"
wait_exit term

# ^C (SIGINT from the terminal): the same.
run_tui intr
wait_pane intr '^client '
$T send-keys -t intr C-c
wait_exit intr

# Off a terminal: one line per refresh, bounded by --iterations.
v1=$(verdict_now)
"$TWADVISE" --netns "$ns" --watch 0.2 --iterations 3 --site-dir /nonexistent \
	</dev/null >"$TW_TMP/lines" 2>"$TW_TMP/err" || fail "line mode: exit $?: $(cat "$TW_TMP/err")"
[ "$(wc -l <"$TW_TMP/lines")" = 3 ] || fail "line mode: $(wc -l <"$TW_TMP/lines") lines for --iterations 3"
v2=$(verdict_now)
n=$(grep -c -E "^[0-9-]+T[0-9:]+Z verdict=($v1|$v2) time_wait_total=$all_tw top=client:127\.0\.0\.1->127\.0\.0\.1:7777 held=$held_7777/$ports time_wait=$tw_7777 " "$TW_TMP/lines")
[ "$n" = 3 ] || { cat "$TW_TMP/lines" >&2; fail "line mode: $n of 3 lines as expected"; }
# Rates between refreshes: unknown ("-") on the first line only.
sed -n 1p "$TW_TMP/lines" | grep -q 'active_opens/s=- ' || fail "first line has an ActiveOpens rate"
sed -n 2p "$TW_TMP/lines" | grep -Eq 'active_opens/s=[0-9.]+ ' || fail "second line has no ActiveOpens rate"

# Off a terminal, unbounded: SIGTERM ends it with exit 0.
"$TWADVISE" --netns "$ns" --watch 0.2 --site-dir /nonexistent </dev/null >"$TW_TMP/lines2" 2>&1 &
pid=$!
i=0
until [ -s "$TW_TMP/lines2" ]; do
	i=$((i + 1)); [ $i -le 100 ] || { kill -KILL $pid; fail "line mode printed nothing"; }
	sleep 0.1
done
kill -TERM $pid
wait $pid
rc=$?
[ $rc = 0 ] || fail "SIGTERM off a terminal: exit $rc, want 0"
echo "ok: row held $held_7777, TIME_WAIT $tw_7777, verdict $verdict, sort, finding $finding, q, SIGTERM, ^C, lines"
