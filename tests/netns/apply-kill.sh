#!/bin/sh
# SPDX-License-Identifier: MIT
# apply-kill.sh: --apply and --revert killed (SIGKILL) between their
# steps, in a throw-away network namespace, over an administrator's file
# at --output. Uses tests/twadvise-hooks, a build of twadvise whose
# TW_TEST_KILL_AT=STEP makes it die at that step (the installed binary
# has no such hook). After every kill: whatever is left to undo has a
# state recording it (no state is lost), and a plain --revert then brings
# back the namespace's values and the file's bytes, mode and owner, and
# removes the state (exit 2); a further --revert exits 0.
. "$(dirname "$0")/lib.sh"

HOOKS=${TW_BUILDDIR:-$(dirname "$TWADVISE")}/tests/twadvise-hooks
[ -x "$HOOKS" ] || fail "no $HOOKS (make check builds it)"
FIX="$TW_SRCDIR/tests/fixtures/apply"
KEYS="net.ipv4.tcp_fin_timeout net.ipv4.tcp_max_tw_buckets"
FR="$TW_TMP/60-twadvise.conf"
SD="$TW_TMP/state"

new_ns kill
vals() { ip netns exec "$ns" sysctl -n $KEYS | tr '\n' ' '; }
ns0=$(vals)
set -- $ns0
[ "$1" != 37 ] && [ "$2" != 54321 ] || skip "namespace defaults already equal the test pins"

printf '# the administrator wrote this\nnet.ipv4.tcp_fin_timeout = 45\n' >"$TW_TMP/admin.conf"
chmod 0604 "$TW_TMP/admin.conf"
chown 65534:4 "$TW_TMP/admin.conf"

state() { ls "$SD"/fragment-*.state 2>/dev/null | head -n 1; }
admin_intact() { cmp -s "$FR" "$TW_TMP/admin.conf" && [ "$(stat -c '%a %u %g' "$FR")" = "604 65534 4" ]; }

# tw BIN [KILL_AT] ARGS...: runs BIN with TW_TEST_KILL_AT set; sets rc.
tw() {
	bin=$1 kill_at=$2
	shift 2
	rc=0
	TW_TEST_KILL_AT=$kill_at "$bin" "$@" >"$TW_TMP/out" 2>"$TW_TMP/err" || rc=$?
}
apply() { tw "$1" "$2" --netns "$ns" --apply --output "$FR" --profile "$FIX/pin.yaml" --site-dir /nonexistent --state-dir "$SD"; }
revert() { tw "$1" "$2" --netns "$ns" --revert --output "$FR" --state-dir "$SD"; }

# after_kill WHERE: the run died by SIGKILL; anything not yet undone is
# recorded in a state.
after_kill() {
	[ "$rc" = 137 ] || { cat "$TW_TMP/err" >&2; fail "$1: exit $rc, expected death by SIGKILL (137)"; }
	if [ "$(vals)" != "$ns0" ] || ! admin_intact; then
		[ -n "$(state)" ] || fail "$1: values $(vals) / file changed, and no state records them"
	fi
}

# finish WHERE: a plain --revert completes the undo; a second is a no-op.
finish() {
	revert "$TWADVISE" ""
	[ "$rc" = 2 ] || { cat "$TW_TMP/err" >&2; fail "$1: revert exit $rc, expected 2"; }
	[ "$(vals)" = "$ns0" ] || fail "$1: values after revert $(vals), were $ns0"
	admin_intact || fail "$1: the administrator's file is not back ($(stat -c '%a %u %g' "$FR" 2>&1))"
	[ -z "$(state)" ] || fail "$1: state left after revert"
	ls "$TW_TMP" "$SD" | grep -q '\.tmp\.' && fail "$1: temporary file left"
	revert "$TWADVISE" ""
	[ "$rc" = 0 ] || fail "$1: second revert exit $rc, expected 0"
}

for at in apply-after-state apply-after-fragment; do
	cp -p "$TW_TMP/admin.conf" "$FR"
	apply "$HOOKS" "$at"
	after_kill "$at"
	[ -n "$(state)" ] || fail "$at: no state"
	finish "$at"
done

for at in revert-after-values revert-after-fragment; do
	cp -p "$TW_TMP/admin.conf" "$FR"
	apply "$TWADVISE" ""
	[ "$rc" = 2 ] || { cat "$TW_TMP/err" >&2; fail "$at: apply exit $rc"; }
	[ "$(vals)" = "37 54321 " ] || fail "$at: values after apply $(vals)"
	revert "$HOOKS" "$at"
	after_kill "$at"
	[ -n "$(state)" ] || fail "$at: the state went before the revert was complete"
	[ "$(vals)" = "$ns0" ] || fail "$at: values not restored before the kill"
	finish "$at"
done

# The hooks binary without TW_TEST_KILL_AT is twadvise; the installed one
# ignores the variable.
cp -p "$TW_TMP/admin.conf" "$FR"
apply "$TWADVISE" apply-after-state
[ "$rc" = 2 ] || fail "twadvise honoured TW_TEST_KILL_AT (exit $rc)"
finish "production binary"
echo "ok: --apply and --revert killed at 4 points, nothing lost"
