# SPDX-License-Identifier: MIT
# exp-lib.sh: shared by the experiments tests/netns/exp-*.sh (sourced).
#
# Advice is proven by its effect (issue 8, "Proof by experiment"): in a
# throw-away namespace with a scenario's sysctls, a real client workload
# (tw-workload churn: short connections at a fixed rate, the client
# closing first) counts its connect() failures; twadvise analyses the
# namespace and its advice is applied there (--apply --netns, or the
# fragment's lines by sysctl -w when --apply is missing; either way every
# line is checked live); the same workload runs again. It runs again in a
# second fresh namespace with the scenario's sysctls plus the values just
# applied, so that before and after start from the same state: the first
# run's TIME_WAIT sockets (60 s) would otherwise count against the advice.
# Each case asserts what right advice achieves.
#
# Exit codes: 1 = the advice failed the experiment (a case listed in
# XFAIL_TESTS fails this way until its defect is fixed); 99 = the
# experiment itself broke (workload did not start, scenario did not
# produce its starting state): a hard error that XFAIL never hides;
# 77 = skipped (not root, no ip netns, machine too loaded for the
# scenario's timing).
. "$(dirname "$0")/lib.sh"

WL="${TW_BUILDDIR:-$TW_SRCDIR}/tests/netns/tw-workload"
[ -x "$WL" ] || { echo "ERROR: no workload tool at $WL (make check builds it)" >&2; exit 99; }

hard() { echo "ERROR: $*" >&2; exit 99; }

# exp_ns NAME KEY=VALUE...: a fresh namespace $ns with the scenario's
# sysctls set (each checked to have taken effect).
exp_ns() {
	scen=$1
	shift
	: >"$TW_TMP/scenario"
	for kv in "$@"; do echo "$kv" >>"$TW_TMP/scenario"; done
	new_ns "$scen"
	set_all "$TW_TMP/scenario"
	echo "scenario in $ns: $*"
}

# set_all FILE: sysctl -w each KEY=VALUE line of FILE in $ns (a loop over
# a file, not a pipe: hard and fail must end the test, not a subshell).
set_all() {
	while IFS= read -r kv; do
		ip netns exec "$ns" sysctl -qw "$kv" >/dev/null || hard "sysctl -w $kv in $ns"
	done <"$1"
}

# after_ns: a second fresh namespace (the new $ns) with the scenario's
# sysctls and then the advice's values, as apply_advice checked them live.
# Start the server (and holders) again in it before the "after" run.
after_ns() {
	new_ns "$scen-after"
	set_all "$TW_TMP/scenario"
	set_all "$TW_TMP/applied"
	echo "after-namespace $ns: the scenario plus $(tr '\n' ' ' <"$TW_TMP/applied")"
}

# wl_start ARGS...: runs tw-workload ARGS in $ns in the background (its
# pid is killed on exit) and waits up to 10 s for its "ready" line.
wl_n=0
wl_start() {
	wl_n=$((wl_n + 1))
	ip netns exec "$ns" "$WL" "$@" >"$TW_TMP/wl.$wl_n" 2>&1 &
	tw_pids="$tw_pids $!"
	i=0
	until grep -q '^ready' "$TW_TMP/wl.$wl_n" 2>/dev/null; do
		i=$((i + 1))
		[ $i -le 100 ] || { cat "$TW_TMP/wl.$wl_n" >&2; hard "tw-workload $1 not ready"; }
		sleep 0.1
	done
	sed -n 's/^ready //p' "$TW_TMP/wl.$wl_n"
}

# churn LABEL ARGS...: one bounded tw-workload churn run in $ns (waits for
# it); its summary line goes to $TW_TMP/LABEL and stdout.
churn() {
	label=$1
	shift
	ip netns exec "$ns" "$WL" churn "$@" >"$TW_TMP/$label" || hard "tw-workload churn $*"
	grep -q '^result mode=churn ' "$TW_TMP/$label" || hard "tw-workload printed no result"
	echo "$label: $(cat "$TW_TMP/$label")"
}

# field LABEL NAME: a number from LABEL's summary line.
field() {
	sed -n "s/^result .* $2=\([0-9][0-9]*\).*/\1/p" "$TW_TMP/$1"
}

# tcpext NAME: a TcpExt counter of /proc/net/netstat in $ns.
tcpext() {
	ip netns exec "$ns" cat /proc/net/netstat | awk -v k="$1" '
		$1 == "TcpExt:" && !h { for (i = 2; i <= NF; i++) col[$i] = i; h = 1; next }
		$1 == "TcpExt:" && h { print $(col[k]); exit }'
}

tw_run() { "$TWADVISE" --site-dir /nonexistent --data-dir "$TW_SRCDIR" "$@"; }

# advise [ARGS...]: twadvise's JSON and text for $ns (with ARGS, e.g.
# --interval 2) into $TW_TMP/advice.*; the fragment is the JSON's sysctl_d
# (byte-identical to --format sysctl: tests/cli/contract.sh checks that).
# Prints the proposed changes.
advise() {
	tw_run --netns "$ns" --format json "$@" >"$TW_TMP/advice.json" || hard "twadvise --format json $*"
	tw_run --netns "$ns" --format text "$@" >"$TW_TMP/advice.txt" || hard "twadvise --format text $*"
	jq -j .sysctl_d "$TW_TMP/advice.json" >"$TW_TMP/advice.conf" || hard "no sysctl_d in the JSON"
	changes "$TW_TMP/advice.conf" >"$TW_TMP/advice.changes"
	echo "advice${1:+ ($*)} (profile $(jq -r .profile "$TW_TMP/advice.json"), verdict $(jq -r .verdict "$TW_TMP/advice.json")," \
		"findings $(jq -r '[.findings[] | "\(.id)/\(.severity)"] | join(" ")' "$TW_TMP/advice.json")):"
	sed 's/^/    /' "$TW_TMP/advice.changes"
}

# changes FRAGMENT: its "key = value" lines as "key=value", blanks folded.
changes() {
	sed -n 's/^[[:space:]]*\([a-z0-9_.]*\)[[:space:]]*=[[:space:]]*\(.*[^[:space:]]\)[[:space:]]*$/\1=\2/p' "$1" |
		tr -s ' \t' '  '
}

# proposes KEY: true when the fragment proposed in advise() sets KEY.
proposes() { grep -q "^$1=" "$TW_TMP/advice.changes"; }
proposed() { sed -n "s/^$1=//p" "$TW_TMP/advice.changes"; }

# apply_advice [--fragment]: applies twadvise's advice inside $ns, through
# --apply when this build has it, else (or with --fragment: the advice
# advise() got under load, which --apply, measuring after the load, would
# not see) by sysctl -w of each line of advise()'s fragment; then checks
# that every line of the fragment written is the live value in $ns.
apply_advice() {
	fr="$TW_TMP/60-twadvise.conf"
	if [ "${1:-}" != --fragment ] && "$TWADVISE" --help 2>&1 | grep -q -- '--apply'; then
		sd=
		"$TWADVISE" --help 2>&1 | grep -q -- '--state-dir' && sd="--state-dir $TW_TMP/state"
		rc=0
		# shellcheck disable=SC2086
		tw_run --netns "$ns" --apply --output "$fr" $sd >"$TW_TMP/apply.out" 2>&1 || rc=$?
		sed 's/^/    apply: /' "$TW_TMP/apply.out"
		case $rc in 0 | 2) ;; *) hard "twadvise --apply exit $rc" ;; esac
		[ -e "$fr" ] || cp "$TW_TMP/advice.conf" "$fr"
	else
		cp "$TW_TMP/advice.conf" "$fr"
		changes "$fr" >"$TW_TMP/applied"
		set_all "$TW_TMP/applied"
	fi
	changes "$fr" >"$TW_TMP/applied"
	while IFS= read -r kv; do
		k=${kv%%=*} v=${kv#*=}
		live=$(ip netns exec "$ns" sysctl -n "$k" | tr -s ' \t' '  ')
		[ "$live" = "$v" ] || fail "after applying, $k is '$live', the fragment says '$v'"
	done <"$TW_TMP/applied"
}

# report NAME: the measured line that the test log keeps.
report() {
	echo "EXPERIMENT $1: before failed=$(field before failed)/$(field before attempted)" \
		"after failed=$(field after failed)/$(field after attempted)" \
		"changes: $(tr '\n' ' ' <"$TW_TMP/advice.changes")"
}

# never_worse: the failures must never increase. Two runs with the very
# same settings differ by a connection or two (a TIME_WAIT socket can end
# early), so up to 1% of the attempts (at least 2) counts as noise.
never_worse() {
	b=$(field before failed) a=$(field after failed)
	tol=$(( $(field after attempted) / 100 ))
	[ "$tol" -ge 2 ] || tol=2
	[ "$a" -le $((b + tol)) ] || fail "the advice made failures appear or grow: $b before, $a after applying it"
}
