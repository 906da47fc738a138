#!/bin/sh
# SPDX-License-Identifier: MIT
# apply-race.sh: two `twadvise --apply` at once, 30 times, in a throw-away
# network namespace. Before the state folder's lock, both could exit with
# success while only one recorded the previous values, and --revert then
# left the other's values live. Each round: exactly one run changes
# things (exit 2), the other finds nothing to change (exit 0); the state
# records the values from before both runs; --revert brings exactly those
# back and leaves no file. Bounded: 30 rounds, each run within the
# lock's own 60 s wait.
. "$(dirname "$0")/lib.sh"

FIX="$TW_SRCDIR/tests/fixtures/apply"
KEYS="net.ipv4.tcp_fin_timeout net.ipv4.tcp_max_tw_buckets"
FR="$TW_TMP/60-twadvise.conf"
SD="$TW_TMP/state"
ROUNDS=30

new_ns race
vals() { ip netns exec "$ns" sysctl -n $KEYS | tr '\n' ' '; }
ns0=$(vals)
set -- $ns0
[ "$1" != 37 ] && [ "$2" != 54321 ] || skip "namespace defaults already equal the test pins"
fin0=$1 buckets0=$2

apply_bg() {
	"$TWADVISE" --netns "$ns" --apply --output "$FR" --profile "$FIX/pin.yaml" \
		--site-dir /nonexistent --state-dir "$SD" >"$TW_TMP/out.$1" 2>"$TW_TMP/err.$1"
	echo $? >"$TW_TMP/rc.$1"
}

i=0
while [ $i -lt $ROUNDS ]; do
	i=$((i + 1))
	rm -f "$TW_TMP"/rc.*
	apply_bg a &
	pa=$!
	apply_bg b &
	pb=$!
	wait $pa $pb
	rcs=$(cat "$TW_TMP/rc.a" "$TW_TMP/rc.b" | sort | tr '\n' ' ')
	[ "$rcs" = "0 2 " ] || { cat "$TW_TMP"/err.* >&2; fail "round $i: exit codes $rcs, expected one 2 and one 0"; }
	st=$(ls "$SD"/fragment-*.state)
	grep -qx "value net.ipv4.tcp_fin_timeout = $fin0" "$st" || fail "round $i: state lost the previous fin_timeout: $(grep '^value' "$st")"
	grep -qx "value net.ipv4.tcp_max_tw_buckets = $buckets0" "$st" || fail "round $i: state lost the previous buckets"
	[ "$(vals)" = "37 54321 " ] || fail "round $i: values after the race: $(vals)"
	rc=0
	"$TWADVISE" --netns "$ns" --revert --output "$FR" --state-dir "$SD" >"$TW_TMP/out" 2>"$TW_TMP/err" || rc=$?
	[ $rc = 2 ] || { cat "$TW_TMP/err" >&2; fail "round $i: revert exit $rc"; }
	[ "$(vals)" = "$ns0" ] || fail "round $i: values after revert: $(vals), were $ns0 (state lost)"
	[ ! -e "$FR" ] || fail "round $i: fragment left after revert"
	ls "$SD" | grep -q '\.state' && fail "round $i: state left after revert"
done
echo "ok: $ROUNDS concurrent --apply races, no state lost"
