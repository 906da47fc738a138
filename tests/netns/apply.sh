#!/bin/sh
# SPDX-License-Identifier: MIT
# apply.sh: twadvise --apply / --revert inside a throw-away network
# namespace. A test profile pins two per-namespace settings, so changes
# are recommended without any load; a second one also pins a value the
# kernel rejects (tcp_tw_reuse = 5: EINVAL), so the apply fails half way.
# Checks: the namespace's values change and come back, the host's never
# move, the fragment and state file appear and go, and a failed apply
# leaves values, fragment (old bytes) and state exactly as they were.
. "$(dirname "$0")/lib.sh"

FIX="$TW_SRCDIR/tests/fixtures/apply"
KEYS="net.ipv4.tcp_fin_timeout net.ipv4.tcp_max_tw_buckets net.ipv4.tcp_tw_reuse"
FR="$TW_TMP/60-twadvise.conf"
ST="$FR.previous"

new_ns apply

# vals [NS]: the three values, one line, in the namespace or on the host.
vals() {
	if [ -n "${1:-}" ]; then
		ip netns exec "$1" sysctl -n $KEYS | tr '\n' ' '
	else
		sysctl -n $KEYS | tr '\n' ' '
	fi
}

# run ARGS...: runs twadvise, stdout in $TW_TMP/out, stderr in $TW_TMP/err;
# sets rc.
run() {
	rc=0
	"$TWADVISE" "$@" >"$TW_TMP/out" 2>"$TW_TMP/err" || rc=$?
}

expect_rc() {
	[ "$rc" = "$1" ] || { cat "$TW_TMP/out" "$TW_TMP/err" >&2; fail "$2: exit $rc, expected $1"; }
}

no_files() {
	[ ! -e "$FR" ] || fail "$1: $FR exists"
	[ ! -e "$ST" ] || fail "$1: $ST exists"
	ls "$TW_TMP" | grep -q '\.tmp\.' && fail "$1: temporary file left in $TW_TMP"
	return 0
}

host0=$(vals)
ns0=$(vals "$ns")
set -- $ns0
[ "$1" != 37 ] && [ "$2" != 54321 ] || skip "namespace defaults already equal the test pins"
fin0=$1 buckets0=$2 reuse0=$3

# --- a successful apply ---------------------------------------------------
"$TWADVISE" --netns "$ns" --format sysctl --profile "$FIX/pin.yaml" --site-dir /nonexistent \
	>"$TW_TMP/proposed" || fail "--format sysctl"
run --netns "$ns" --apply --output "$FR" --profile "$FIX/pin.yaml" --site-dir /nonexistent
expect_rc 0 "apply"
grep -qx "net.ipv4.tcp_fin_timeout: $fin0 -> 37" "$TW_TMP/out" || fail "apply did not print the fin_timeout change"
grep -qx "net.ipv4.tcp_max_tw_buckets: $buckets0 -> 54321" "$TW_TMP/out" || fail "apply did not print the buckets change"
[ "$(vals "$ns")" = "37 54321 $reuse0 " ] || fail "namespace values after apply: $(vals "$ns")"
[ "$(vals)" = "$host0" ] || fail "host values changed by --netns apply: $(vals), were $host0"
grep -qx 'net.ipv4.tcp_fin_timeout = 37' "$FR" || fail "fragment lacks fin_timeout"
grep -qx 'net.ipv4.tcp_max_tw_buckets = 54321' "$FR" || fail "fragment lacks buckets"
cmp -s "$FR" "$TW_TMP/proposed" || fail "the fragment is not what --format sysctl proposed"
head -n 1 "$ST" | grep -qx '# twadvise apply state 1' || fail "state file header"
grep -qx "@netns $ns" "$ST" || fail "state file lacks @netns"
grep -qx "net.ipv4.tcp_fin_timeout = $fin0" "$ST" || fail "state file lacks the previous fin_timeout"
grep -qx "net.ipv4.tcp_max_tw_buckets = $buckets0" "$ST" || fail "state file lacks the previous buckets"
cp "$FR" "$TW_TMP/fr.saved"
cp "$ST" "$TW_TMP/st.saved"

# Again: nothing left to change, nothing touched.
run --netns "$ns" --apply --output "$FR" --profile "$FIX/pin.yaml" --site-dir /nonexistent
expect_rc 0 "second apply"
grep -q 'nothing to change' "$TW_TMP/out" || fail "second apply did not say nothing to change"
cmp -s "$FR" "$TW_TMP/fr.saved" || fail "second apply rewrote the fragment"
cmp -s "$ST" "$TW_TMP/st.saved" || fail "second apply rewrote the state file"

# A new change while a state is recorded: refused, nothing touched.
run --netns "$ns" --apply --output "$FR" --profile "$FIX/pin-bad.yaml" --site-dir /nonexistent
expect_rc 1 "apply over a recorded state"
grep -q 'was not reverted' "$TW_TMP/err" || fail "apply over a state: $(cat "$TW_TMP/err")"
[ "$(vals "$ns")" = "37 54321 $reuse0 " ] || fail "refused apply changed values"
cmp -s "$ST" "$TW_TMP/st.saved" || fail "refused apply touched the state file"

# --- revert ----------------------------------------------------------------
run --revert --output "$FR"
expect_rc 1 "revert without the recorded namespace"
grep -q "records values of network namespace '$ns'" "$TW_TMP/err" || fail "revert namespace check: $(cat "$TW_TMP/err")"
[ "$(vals "$ns")" = "37 54321 $reuse0 " ] || fail "refused revert changed namespace values"
[ "$(vals)" = "$host0" ] || fail "refused revert changed host values"
[ -e "$FR" ] && [ -e "$ST" ] || fail "refused revert removed files"

run --netns "$ns" --revert --output "$FR"
expect_rc 0 "revert"
grep -qx "net.ipv4.tcp_fin_timeout: 37 -> $fin0" "$TW_TMP/out" || fail "revert did not print the fin_timeout change"
[ "$(vals "$ns")" = "$ns0" ] || fail "namespace values after revert: $(vals "$ns"), were $ns0"
[ "$(vals)" = "$host0" ] || fail "host values changed by revert"
no_files "revert"

run --netns "$ns" --revert --output "$FR"
expect_rc 1 "revert without a state file"
grep -q "no state recorded" "$TW_TMP/err" || fail "missing state message: $(cat "$TW_TMP/err")"

# --- failure half way ------------------------------------------------------
# tcp_fin_timeout and tcp_max_tw_buckets are written, then the kernel
# rejects tcp_tw_reuse = 5: both must come back, no file may remain.
ip netns exec "$ns" "$TWADVISE" --profile "$FIX/pin-bad.yaml" --site-dir /nonexistent --format sysctl |
	grep -qx 'net.ipv4.tcp_tw_reuse = 5' || fail "pin-bad.yaml does not propose tcp_tw_reuse = 5"
run --netns "$ns" --apply --output "$FR" --profile "$FIX/pin-bad.yaml" --site-dir /nonexistent
expect_rc 1 "failing apply"
grep -q 'net.ipv4.tcp_tw_reuse' "$TW_TMP/err" || fail "failure does not name the key: $(cat "$TW_TMP/err")"
grep -q 'restored' "$TW_TMP/err" || fail "failure does not say the values were restored"
[ "$(vals "$ns")" = "$ns0" ] || fail "values after a failed apply: $(vals "$ns"), were $ns0"
[ "$(vals)" = "$host0" ] || fail "host values changed by a failed apply"
no_files "failed apply"

# The same with a fragment already there: its old bytes come back.
printf '# hand-written\nnet.ipv4.tcp_fin_timeout = 45\n' >"$FR"
chmod 0640 "$FR"
cp -p "$FR" "$TW_TMP/old.conf"
run --netns "$ns" --apply --output "$FR" --profile "$FIX/pin-bad.yaml" --site-dir /nonexistent
expect_rc 1 "failing apply over a fragment"
cmp -s "$FR" "$TW_TMP/old.conf" || fail "failed apply did not restore the old fragment"
[ "$(stat -c %a "$FR")" = 640 ] || fail "failed apply changed the fragment's mode"
[ ! -e "$ST" ] || fail "failed apply left $ST"
[ "$(vals "$ns")" = "$ns0" ] || fail "values after a failed apply over a fragment"
rm -f "$FR"

# --- refusals ---------------------------------------------------------------
run --apply --snapshot "$TW_SRCDIR/tests/fixtures/snapshots/basic" --output "$FR"
expect_rc 1 "--apply --snapshot"
no_files "--apply --snapshot"
if command -v runuser >/dev/null 2>&1 && runuser -u nobody -- test -x "$TWADVISE" 2>/dev/null; then
	rc=0
	runuser -u nobody -- "$TWADVISE" --apply --output /nonexistent/x.conf 2>"$TW_TMP/err" || rc=$?
	expect_rc 1 "--apply as nobody"
	grep -q -- '--apply needs root' "$TW_TMP/err" || fail "non-root message: $(cat "$TW_TMP/err")"
	rc=0
	runuser -u nobody -- "$TWADVISE" --revert --output /nonexistent/x.conf 2>"$TW_TMP/err" || rc=$?
	expect_rc 1 "--revert as nobody"
	grep -q -- '--revert needs root' "$TW_TMP/err" || fail "non-root revert message"
else
	echo "note: cannot run $TWADVISE as nobody; non-root refusal not checked" >&2
fi
[ "$(vals)" = "$host0" ] || fail "host values changed"
echo "ok: apply, revert and a failed apply in $ns; host untouched"
