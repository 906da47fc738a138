#!/bin/sh
# SPDX-License-Identifier: MIT
# watch-namespaces.sh: --watch --all-namespaces against namespaces with
# known TIME_WAIT workloads: A (client TIME_WAIT toward :8080), B
# (server-side TIME_WAIT at :9090), C and D (toward :7070, deleted while
# the watch runs).
# In tmux (200x90, room for every row): the view names each namespace in
# its rows (NETNS column) with the TIME_WAIT count ss gives inside it, in
# the merged table and with 'n' focused on it; the verdict line counts the
# namespaces; 'f' lists findings under each namespace's name; C, deleted
# while focused, disappears (the view goes back to all) and the watch goes
# on; 'q' ends it with exit 0. Off a terminal: a refresh line, then one
# line per namespace with its own counts; D, deleted meanwhile, leaves
# the lines and SIGTERM still ends the watch with exit 0.
. "$(dirname "$0")/lib.sh"
command -v tmux >/dev/null 2>&1 || skip "no tmux"
command -v ss >/dev/null 2>&1 || skip "no ss(8)"

T="tmux -S $TW_TMP/tmux.sock"
trap '$T kill-server 2>/dev/null; tw_cleanup' EXIT

new_ns wa; nsa=$ns
new_ns wb; nsb=$ns
new_ns wc; nsc=$ns
new_ns wd; nsd=$ns
tw "$nsa" 700 4 client 8080
tw "$nsb" 400 4 server 9090
tw "$nsc" 300 4 client 7070
pidc=$!
wait_ready

# Independent counts: ss inside each namespace.
ssn() {  # ssn NS FILTER: TIME_WAIT sockets matching FILTER in NS
	ss -N "$1" -tanH state time-wait "$2" | wc -l | tr -d ' '
}
twa=$(ssn "$nsa" '( dport = :8080 )')
twb=$(ssn "$nsb" '( sport = :9090 )')
twc=$(ssn "$nsc" '( dport = :7070 )')
[ "$twa" -ge 700 ] && [ "$twb" -ge 400 ] && [ "$twc" -ge 300 ] ||
	fail "setup: ss counts $twa, $twb, $twc"
echo "ss: $nsa $twa, $nsb $twb, $nsc $twc"

# run_tui NAME: the watch in a new tmux session; its exit status goes to
# $TW_TMP/NAME.rc.
run_tui() {
	cat >"$TW_TMP/$1.sh" <<EOS
"$TWADVISE" --all-namespaces --watch 1 --site-dir /nonexistent 2>"$TW_TMP/$1.err"
echo \$? >"$TW_TMP/$1.rc"
sleep 60
EOS
	$T new-session -d -s "$1" -x 200 -y 90 "sh $TW_TMP/$1.sh" || fail "tmux new-session"
}
pane() { $T capture-pane -p -t "$1"; }
# (a refresh reads every namespace of the machine: slow when others run
# big workloads, hence 30 s bounds)
wait_pane() {  # wait_pane NAME PATTERN: at most 30 s until the pane shows PATTERN (ERE)
	i=0
	until pane "$1" | grep -Eq -- "$2"; do
		i=$((i + 1))
		[ $i -le 300 ] || { pane "$1" >&2; fail "$1: the screen never showed /$2/"; }
		sleep 0.1
	done
}
# row NAME NS DEST: the row of namespace NS toward DEST (ERE).
row() { pane "$1" | grep -E "^$2 +(client|server) +[0-9.]+ -> $3 " | head -n 1; }
# check_row NAME NS SIDE DEST TW: the row's side and TIME_WAIT count.
check_row() {
	wait_pane "$1" "^$2 +$3 "
	r=$(row "$1" "$2" "$4")
	[ -n "$r" ] || { pane "$1" >&2; fail "no row of $2 toward $4"; }
	# then: NETNS SIDE FROM -> TO HELD TIME_WAIT ...
	set -- "$2" "$3" "$5" $r
	[ "$4 $5 ${10}" = "$1 $2 $3" ] && [ "$9" -ge "${10}" ] ||
		fail "row '$r': want $2 side, TIME_WAIT $3 (ss), held >= TIME_WAIT"
}
title() { pane "$1" | sed -n '1s/.*  showing \(.*\)   q quit.*/\1/p'; }
# ns_order: the namespaces in the order 'n' visits them (that of
# --all-namespaces), one name a line.
ns_order() {
	"$TWADVISE" --all-namespaces --format json --site-dir /nonexistent 2>/dev/null |
		jq -r '.namespaces[].netns.name'
}
# focus_on NAME NS: 'n' until the view shows NS alone. Keys are read
# between refreshes, which take seconds on a machine with many namespaces:
# the presses needed are counted from the order and sent at once (again
# if namespaces came or went meanwhile).
focus_on() {
	for attempt in 1 2 3 4 5; do
		cur=$(title "$1")
		[ "$cur" = "$2" ] && return 0
		ns_order >"$TW_TMP/order"
		total=$(wc -l <"$TW_TMP/order")
		want=$(grep -nFx -- "$2" "$TW_TMP/order" | cut -d: -f1)
		[ -n "$want" ] || fail "$2 is not in the --all-namespaces list"
		have=0   # all (or a namespace gone meanwhile: 'n' goes on from all)
		[ "$cur" = all ] || have=$(grep -nFx -- "$cur" "$TW_TMP/order" | cut -d: -f1)
		[ -n "$have" ] || have=0
		# from the i-th, 'n' shows the (i+1)-th; after the last, all
		if [ "$want" -gt "$have" ]; then k=$((want - have)); else k=$((total - have + 1 + want)); fi
		$T send-keys -t "$1" $(yes n | head -n "$k")
		i=0
		while [ "$(title "$1")" != "$2" ] && [ $i -le 300 ]; do
			i=$((i + 1)); sleep 0.1
		done
	done
	[ "$(title "$1")" = "$2" ] || { pane "$1" >&2; fail "'n' never showed $2 alone"; }
}

run_tui main
wait_pane main 'showing all'
wait_pane main '^NETNS +SIDE +DESTINATION'
# The merged table: each namespace's row, named and counted.
check_row main "$nsa" client '127\.0\.0\.1:8080' "$twa"
check_row main "$nsb" server '127\.0\.0\.1:9090' "$twb"
check_row main "$nsc" client '127\.0\.0\.1:7070' "$twc"
n=$(pane main | sed -n 's/^Verdict: [a-z]* (worst of \([0-9]*\) namespaces.*/\1/p')
[ -n "$n" ] && [ "$n" -ge 5 ] || { pane main >&2; fail "verdict line: '$n' namespaces, want >= 5"; }
# Focused on B: only B's rows.
focus_on main "$nsb"
check_row main "$nsb" server '127\.0\.0\.1:9090' "$twb"
others=$(pane main | grep -E '^[^ ]+ +(client|server) ' | grep -vc "^$nsb ")
[ "$others" = 0 ] || { pane main >&2; fail "focused on $nsb, $others rows of others"; }
pane main | grep -Eq "^TIME_WAIT $(ss -N "$nsb" -tanH state time-wait | wc -l) " ||
	{ pane main >&2; fail "focused on $nsb: TIME_WAIT is not its own"; }
# 'f': B's findings, under its name, are those of a normal run in B.
$T send-keys -t main f
wait_pane main "^netns $nsb: [0-9]+ findings?"
"$TWADVISE" --netns "$nsb" --format json --site-dir /nonexistent | jq -r '.findings[].id' >"$TW_TMP/ids"
sleep 1.2
"$TWADVISE" --netns "$nsb" --format json --site-dir /nonexistent | jq -r '.findings[].id' >>"$TW_TMP/ids"
pane main | sed -n 's/^  *\(info\|warning\|critical\)  *\([a-z0-9-]*\):.*/\2/p' >"$TW_TMP/shown"
[ -s "$TW_TMP/shown" ] && ! grep -vFx -f "$TW_TMP/ids" "$TW_TMP/shown" >/dev/null ||
	{ pane main >&2; fail "'f': findings shown ($(tr '\n' ' ' <"$TW_TMP/shown")) not all B's ($(sort -u "$TW_TMP/ids" | tr '\n' ' '))"; }
$T send-keys -t main f

# C, focused, then deleted: its process ended, its name removed.
focus_on main "$nsc"
check_row main "$nsc" client '127\.0\.0\.1:7070' "$twc"
kill "$pidc"; wait "$pidc" 2>/dev/null
ip netns del "$nsc" || fail "ip netns del $nsc"
i=0
while pane main | grep -q -- "$nsc"; do
	i=$((i + 1)); [ $i -le 300 ] || { pane main >&2; fail "$nsc still shown 30 s after its deletion"; }
	sleep 0.1
done
wait_pane main 'showing all'
[ ! -e "$TW_TMP/main.rc" ] || fail "the watch ended when $nsc went away: $(cat "$TW_TMP/main.err")"
check_row main "$nsa" client '127\.0\.0\.1:8080' "$twa"
$T send-keys -t main q
i=0
until [ -s "$TW_TMP/main.rc" ]; do
	i=$((i + 1)); [ $i -le 300 ] || fail "'q': twadvise did not exit"; sleep 0.1
done
[ "$(cat "$TW_TMP/main.rc")" = 0 ] || fail "exit $(cat "$TW_TMP/main.rc"): $(cat "$TW_TMP/main.err")"

# Off a terminal: a refresh line, then one per namespace. Fresh, bigger
# workloads (the first ones may expire during the run: TIME_WAIT lasts
# 60 s), so that each namespace's busiest destination is the new one.
tw "$nsa" 900 4 client 8081
tw "$nsb" 600 4 server 9091
wait_ready
twa=$(ssn "$nsa" '( dport = :8081 )')
twb=$(ssn "$nsb" '( sport = :9091 )')
tot0=$(ss -N "$nsa" -tanH state time-wait | wc -l)
"$TWADVISE" --all-namespaces --watch 0.2 --iterations 2 --site-dir /nonexistent \
	</dev/null >"$TW_TMP/lines" 2>"$TW_TMP/err" || fail "line mode: exit $?: $(cat "$TW_TMP/err")"
tot1=$(ss -N "$nsa" -tanH state time-wait | wc -l)
n=$(grep -cE '^[0-9-]+T[0-9:]+Z namespaces=[0-9]+ failed=[0-9]+ verdict=(harmless|watch|act) time_wait_total=[0-9]+ refresh_ms=[0-9]+ behind=[01]$' "$TW_TMP/lines")
[ "$n" = 2 ] || { cat "$TW_TMP/lines" >&2; fail "line mode: $n refresh lines for --iterations 2"; }
grep -E "^[0-9-]+T[0-9:]+Z netns=$nsa " "$TW_TMP/lines" >"$TW_TMP/a"
n=$(grep -cE " verdict=[a-z]+ time_wait_total=[0-9]+ top=client:127\.0\.0\.1->127\.0\.0\.1:8081 held=[0-9]+/[0-9]+ time_wait=$twa .* findings=[a-z0-9,-]+$" "$TW_TMP/a")
[ "$n" = 2 ] || { cat "$TW_TMP/lines" >&2; fail "line mode: $n of 2 lines of $nsa with $twa TIME_WAIT toward :8081"; }
# its total: between ss's counts before and after the run
for v in $(sed 's/.* time_wait_total=\([0-9]*\) .*/\1/' "$TW_TMP/a"); do
	[ "$v" -le "$tot0" ] && [ "$v" -ge "$tot1" ] || [ "$v" -ge "$tot0" ] && [ "$v" -le "$tot1" ] ||
		fail "line mode: $nsa time_wait_total=$v, ss $tot0 before, $tot1 after"
done
n=$(grep -cE "^[0-9-]+T[0-9:]+Z netns=$nsb .* top=server:127\.0\.0\.1->127\.0\.0\.1:9091 held=[0-9]+/[0-9]+ time_wait=$twb " "$TW_TMP/lines")
[ "$n" = 2 ] || { cat "$TW_TMP/lines" >&2; fail "line mode: $n of 2 lines of $nsb with $twb TIME_WAIT at :9091"; }
grep -q "netns=$nsc " "$TW_TMP/lines" && fail "line mode: $nsc, deleted, is listed"

# Off a terminal, D deleted meanwhile: gone from the lines, no crash.
tw "$nsd" 200 4 client 7070
pidd=$!
wait_ready
: >"$TW_TMP/lines2"
"$TWADVISE" --all-namespaces --watch 0.2 --site-dir /nonexistent </dev/null >"$TW_TMP/lines2" 2>&1 &
pid=$!
i=0
until grep -q "netns=$nsd " "$TW_TMP/lines2"; do
	i=$((i + 1)); [ $i -le 300 ] || { kill -KILL $pid; fail "line mode never listed $nsd"; }
	sleep 0.1
done
kill "$pidd"; wait "$pidd" 2>/dev/null
ip netns del "$nsd" || fail "ip netns del $nsd"
mark=$(wc -l <"$TW_TMP/lines2")
# two refreshes begun after the deletion (at most 60 s: slow on a machine
# with many namespaces)
i=0
until [ "$(tail -n +"$((mark + 1))" "$TW_TMP/lines2" | grep -c ' namespaces=')" -ge 3 ]; do
	i=$((i + 1)); [ $i -le 600 ] || { kill -KILL $pid; fail "line mode: no refresh after $nsd's deletion"; }
	sleep 0.1
done
kill -TERM $pid
wait $pid
rc=$?
[ $rc = 0 ] || { cat "$TW_TMP/lines2" >&2; fail "SIGTERM after $nsd went away: exit $rc"; }
# Lines after the deletion (skipping the refresh that may have begun
# before it): refreshes without D, and A still there.
tail -n +"$((mark + 1))" "$TW_TMP/lines2" | awk '/ namespaces=/ { n++ } n >= 2' >"$TW_TMP/after"
grep -q ' namespaces=' "$TW_TMP/after" || { cat "$TW_TMP/lines2" >&2; fail "no refresh after $nsd's deletion"; }
grep -q "netns=$nsd " "$TW_TMP/after" && { cat "$TW_TMP/lines2" >&2; fail "$nsd listed after its deletion"; }
grep -q "netns=$nsa " "$TW_TMP/after" || fail "$nsa missing after $nsd's deletion"
echo "ok: rows of $nsa ($twa), $nsb ($twb), $nsc ($twc); n, f; deletions; lines"
