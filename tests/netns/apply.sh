#!/bin/sh
# SPDX-License-Identifier: MIT
# apply.sh: twadvise --apply / --revert inside a throw-away network
# namespace. A test profile pins two per-namespace settings, so changes
# are recommended without any load; a second one also pins a value the
# kernel rejects (tcp_tw_reuse = 5: EINVAL), so the apply fails half way;
# a third pins a host-wide key, which the plan leaves out with --netns.
# Checks: the namespace's values change and come back, the host's never
# move; exit 2 when something changed and 0 when not (twice each); the
# fragment and the state (in --state-dir) appear and go; a replaced file
# gets its bytes, mode and owner back; new files honour the umask; stale
# temporary files go; a tampered, symlinked, group-writable or
# foreign-owned state, or a fragment changed since, is refused with
# nothing changed; a failed apply leaves values, fragment and state as
# they were; --apply --netns without --output is a usage error.
. "$(dirname "$0")/lib.sh"

FIX="$TW_SRCDIR/tests/fixtures/apply"
KEYS="net.ipv4.tcp_fin_timeout net.ipv4.tcp_max_tw_buckets net.ipv4.tcp_tw_reuse"
FR="$TW_TMP/etc/60-twadvise.conf"
SD="$TW_TMP/state"
mkdir -p "$TW_TMP/etc"

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
# apply PROFILE / revert: in the namespace, with the test state folder.
apply() { run --netns "$ns" --apply --output "$FR" --profile "$FIX/$1" --site-dir /nonexistent --state-dir "$SD"; }
revert() { run --netns "$ns" --revert --output "$FR" --state-dir "$SD"; }

expect_rc() {
	[ "$rc" = "$1" ] || { cat "$TW_TMP/out" "$TW_TMP/err" >&2; fail "$2: exit $rc, expected $1"; }
}

# The state file of $FR (there is at most one in $SD).
state() { ls "$SD"/fragment-*.state 2>/dev/null | head -n 1; }

no_files() {
	[ ! -e "$FR" ] || fail "$1: $FR exists"
	[ -z "$(state)" ] || fail "$1: $(state) exists"
	ls "$TW_TMP/etc" "$SD" 2>/dev/null | grep -q '\.tmp\.' && fail "$1: temporary file left"
	[ ! -e "$FR.previous" ] || fail "$1: $FR.previous exists (state beside the fragment)"
	return 0
}

host0=$(vals)
ns0=$(vals "$ns")
set -- $ns0
[ "$1" != 37 ] && [ "$2" != 54321 ] || skip "namespace defaults already equal the test pins"
fin0=$1 buckets0=$2 reuse0=$3

# --- usage: a namespace never defaults to the host's boot folder ----------
run --netns "$ns" --apply --profile "$FIX/pin.yaml" --site-dir /nonexistent --state-dir "$SD"
expect_rc 1 "--apply --netns without --output"
grep -q -- '--netns needs --output' "$TW_TMP/err" || fail "usage message: $(cat "$TW_TMP/err")"
run --netns "$ns" --revert --state-dir "$SD"
expect_rc 1 "--revert --netns without --output"
run --netns "$ns" --apply --output /etc/sysctl.d/61-twadvise-test-$$.conf --profile "$FIX/pin.yaml" \
	--site-dir /nonexistent --state-dir "$SD"
expect_rc 1 "--apply --netns into the host's /etc/sysctl.d"
grep -q 'read by the host at boot' "$TW_TMP/err" || fail "host boot path refusal: $(cat "$TW_TMP/err")"
[ ! -e /etc/sysctl.d/61-twadvise-test-$$.conf ] || { rm -f /etc/sysctl.d/61-twadvise-test-$$.conf; fail "wrote into /etc/sysctl.d"; }
[ "$(vals "$ns")" = "$ns0" ] || fail "a usage error changed values"
[ ! -e "$SD" ] || fail "a usage error created the state folder"

# --- nothing recorded yet: --revert is a no-op -----------------------------
revert
expect_rc 0 "revert with no state folder"
grep -q 'nothing to revert' "$TW_TMP/out" || fail "revert without state: $(cat "$TW_TMP/out" "$TW_TMP/err")"

# --- a successful apply (umask 027: a new fragment is 0640) ----------------
touch -d '-10 minutes' "$FR.tmp.AbC123" "$FR.previous.tmp.Xy9Zz8"   # stale, of our naming
touch -d '-10 minutes' "$FR.tmp.AbC12"                              # not of our naming
"$TWADVISE" --netns "$ns" --format sysctl --profile "$FIX/pin.yaml" --site-dir /nonexistent \
	>"$TW_TMP/proposed" || fail "--format sysctl"
rc=0
(umask 027 && exec "$TWADVISE" --netns "$ns" --apply --output "$FR" --profile "$FIX/pin.yaml" \
	--site-dir /nonexistent --state-dir "$SD") >"$TW_TMP/out" 2>"$TW_TMP/err" || rc=$?
expect_rc 2 "apply"
grep -qx "net.ipv4.tcp_fin_timeout: $fin0 -> 37" "$TW_TMP/out" || fail "apply did not print the fin_timeout change"
grep -qx "net.ipv4.tcp_max_tw_buckets: $buckets0 -> 54321" "$TW_TMP/out" || fail "apply did not print the buckets change"
[ "$(vals "$ns")" = "37 54321 $reuse0 " ] || fail "namespace values after apply: $(vals "$ns")"
[ "$(vals)" = "$host0" ] || fail "host values changed by --netns apply: $(vals), were $host0"
cmp -s "$FR" "$TW_TMP/proposed" || fail "the fragment is not what --format sysctl proposed"
[ "$(stat -c %a "$FR")" = 640 ] || fail "new fragment mode $(stat -c %a "$FR") under umask 027, expected 640"
[ ! -e "$FR.tmp.AbC123" ] && [ ! -e "$FR.previous.tmp.Xy9Zz8" ] || fail "stale temporary files were not removed"
[ -e "$FR.tmp.AbC12" ] || fail "a file not of our naming was removed"
rm -f "$FR.tmp.AbC12"
ST=$(state)
[ -n "$ST" ] || fail "no state file in $SD"
[ "$(stat -c %a "$SD")" = 700 ] || fail "state folder mode $(stat -c %a "$SD"), expected 700"
[ "$(stat -c '%a %u' "$ST")" = "600 0" ] || fail "state file mode/owner $(stat -c '%a %u' "$ST")"
[ ! -e "$FR.previous" ] || fail "a state file beside the fragment"
head -n 1 "$ST" | grep -qx '# twadvise apply state 2' || fail "state file header"
grep -qx "fragment $FR" "$ST" || fail "state file lacks the fragment path"
grep -qx "netns $ns" "$ST" || fail "state file lacks the namespace"
grep -qx "applied-sha256 $(sha256sum <"$FR" | cut -d' ' -f1)" "$ST" || fail "state not bound to the fragment's SHA-256"
grep -qx "prior none" "$ST" || fail "state file: prior"
grep -qx "value net.ipv4.tcp_fin_timeout = $fin0" "$ST" || fail "state file lacks the previous fin_timeout"
grep -qx "value net.ipv4.tcp_max_tw_buckets = $buckets0" "$ST" || fail "state file lacks the previous buckets"
cp "$FR" "$TW_TMP/fr.saved"
cp "$ST" "$TW_TMP/st.saved"

# Again: nothing left to change, nothing touched, exit 0.
apply pin.yaml
expect_rc 0 "second apply"
grep -q 'nothing to change' "$TW_TMP/out" || fail "second apply did not say nothing to change"
cmp -s "$FR" "$TW_TMP/fr.saved" || fail "second apply rewrote the fragment"
cmp -s "$ST" "$TW_TMP/st.saved" || fail "second apply rewrote the state file"

# A new change while a state is recorded: refused, nothing touched.
apply pin-bad.yaml
expect_rc 1 "apply over a recorded state"
grep -q 'was not reverted' "$TW_TMP/err" || fail "apply over a state: $(cat "$TW_TMP/err")"
[ "$(vals "$ns")" = "37 54321 $reuse0 " ] || fail "refused apply changed values"
cmp -s "$ST" "$TW_TMP/st.saved" || fail "refused apply touched the state file"

# --- untrusted states: refused, nothing changed ------------------------------
# refused_revert WHAT PATTERN: --revert exits 1 with PATTERN, and the
# values, the fragment and the state are as the apply left them.
refused_revert() {
	revert
	expect_rc 1 "revert with $1"
	grep -q "$2" "$TW_TMP/err" || fail "revert with $1: $(cat "$TW_TMP/err")"
	[ "$(vals "$ns")" = "37 54321 $reuse0 " ] || fail "revert with $1 changed values"
	cmp -s "$FR" "$TW_TMP/fr.saved" || fail "revert with $1 touched the fragment"
}
# Tampered: a value line aimed at kernel.core_pattern.
sed 's/^value net.ipv4.tcp_fin_timeout = .*/value kernel.core_pattern = |\/tmp\/pwn %p/' \
	"$TW_TMP/st.saved" >"$ST"
core0=$(cat /proc/sys/kernel/core_pattern)
refused_revert "a tampered state" "kernel.core_pattern: not on twadvise's allow-list"
[ "$(cat /proc/sys/kernel/core_pattern)" = "$core0" ] || fail "kernel.core_pattern changed"
# Tampered: the slash form of an allowed key.
sed 's/^value net.ipv4.tcp_fin_timeout/value net\/ipv4\/tcp_fin_timeout/' "$TW_TMP/st.saved" >"$ST"
refused_revert "a slash-form key in the state" "not in the dotted form"
# Tampered: a truncated state.
head -n 8 "$TW_TMP/st.saved" >"$ST"
refused_revert "a truncated state" "no 'end' line"
# A symbolic link to a valid state elsewhere.
cp "$TW_TMP/st.saved" "$TW_TMP/elsewhere.state"
rm -f "$ST" && ln -s "$TW_TMP/elsewhere.state" "$ST"
refused_revert "a symlinked state" "is a symbolic link"
rm -f "$ST" && cp "$TW_TMP/st.saved" "$ST"
chmod 0620 "$ST"
refused_revert "a group-writable state" "writable by group or others"
chmod 0600 "$ST"
chown 65534 "$ST"
refused_revert "a foreign-owned state" "not owned by root"
chown 0 "$ST"
chmod 0777 "$SD"
refused_revert "a world-writable state folder" "writable by group or others"
chmod 0700 "$SD"
# The fragment changed since --apply wrote it.
printf '# edited\n' >>"$FR"
cp "$FR" "$TW_TMP/fr.edited"
revert
expect_rc 1 "revert with a changed fragment"
grep -q "changed since --apply wrote it" "$TW_TMP/err" || fail "changed fragment: $(cat "$TW_TMP/err")"
cmp -s "$FR" "$TW_TMP/fr.edited" || fail "revert touched a changed fragment"
[ "$(vals "$ns")" = "37 54321 $reuse0 " ] || fail "revert with a changed fragment changed values"
cp "$TW_TMP/fr.saved" "$FR"
cmp -s "$ST" "$TW_TMP/st.saved" || fail "the refusals changed the state file"

# --- revert ----------------------------------------------------------------
run --revert --output "$FR" --state-dir "$SD"
expect_rc 1 "revert without the recorded namespace"
grep -q "records values of network namespace '$ns'" "$TW_TMP/err" || fail "revert namespace check: $(cat "$TW_TMP/err")"
[ "$(vals "$ns")" = "37 54321 $reuse0 " ] || fail "refused revert changed namespace values"
[ "$(vals)" = "$host0" ] || fail "refused revert changed host values"
[ -e "$FR" ] && [ -e "$ST" ] || fail "refused revert removed files"

revert
expect_rc 2 "revert"
grep -qx "net.ipv4.tcp_fin_timeout: 37 -> $fin0" "$TW_TMP/out" || fail "revert did not print the fin_timeout change"
[ "$(vals "$ns")" = "$ns0" ] || fail "namespace values after revert: $(vals "$ns"), were $ns0"
[ "$(vals)" = "$host0" ] || fail "host values changed by revert"
no_files "revert"

revert
expect_rc 0 "second revert"
grep -q "nothing to revert" "$TW_TMP/out" || fail "second revert: $(cat "$TW_TMP/out" "$TW_TMP/err")"

# --- an administrator's file at --output: bytes, mode and owner come back ---
printf '# hand-written\nnet.ipv4.tcp_fin_timeout = 45\n' >"$FR"
chmod 0604 "$FR"
chown 65534:4 "$FR"
cp -p "$FR" "$TW_TMP/admin.conf"
apply pin.yaml
expect_rc 2 "apply over an existing file"
cmp -s "$FR" "$TW_TMP/proposed" || fail "apply over a file did not write the fragment"
[ "$(stat -c '%a %u %g' "$FR")" = "604 65534 4" ] || fail "the replaced file's mode/owner were not kept: $(stat -c '%a %u %g' "$FR")"
grep -q "^prior mode 0604 uid 65534 gid 4 size $(stat -c %s "$TW_TMP/admin.conf") sha256 $(sha256sum <"$TW_TMP/admin.conf" | cut -d' ' -f1)\$" "$(state)" ||
	fail "state lacks the prior file: $(grep '^prior ' "$(state)")"
revert
expect_rc 2 "revert over an existing file"
cmp -s "$FR" "$TW_TMP/admin.conf" || fail "revert did not restore the administrator's bytes"
[ "$(stat -c '%a %u %g' "$FR")" = "604 65534 4" ] || fail "revert did not restore mode/owner: $(stat -c '%a %u %g' "$FR")"
[ -z "$(state)" ] || fail "revert left the state"
[ "$(vals "$ns")" = "$ns0" ] || fail "values after the second revert"
rm -f "$FR"

# umask 0: a new fragment is 0644 at most, never 0666.
rc=0
(umask 0 && exec "$TWADVISE" --netns "$ns" --apply --output "$FR" --profile "$FIX/pin.yaml" \
	--site-dir /nonexistent --state-dir "$SD") >"$TW_TMP/out" 2>"$TW_TMP/err" || rc=$?
expect_rc 2 "apply under umask 0"
[ "$(stat -c %a "$FR")" = 644 ] || fail "fragment mode $(stat -c %a "$FR") under umask 0, expected 644"
revert
expect_rc 2 "revert after umask 0"
no_files "revert after umask 0"

# --- --netns with a host-wide key: the plan leaves it out, saying so ---------
# (the change plan refuses host-wide keys for a namespace, so neither the
# fragment nor the live values of the host can get it; the per-namespace
# pin is applied).
host_ct0=$(sysctl -n net.netfilter.nf_conntrack_max 2>/dev/null || echo none)
ip netns exec "$ns" "$TWADVISE" --netns "$ns" --profile "$FIX/pin-hostwide.yaml" --site-dir /nonexistent \
	--format sysctl >"$TW_TMP/frag" 2>"$TW_TMP/err" || true
grep -q 'nf_conntrack_max' "$TW_TMP/frag" && fail "a --netns fragment holds a host-wide key: $(cat "$TW_TMP/frag")"
apply pin-hostwide.yaml
expect_rc 2 "--netns apply of a profile with a host-wide key"
grep -q 'nf_conntrack_max' "$FR" && fail "the host-wide key reached the fragment"
grep -q 'net.netfilter.nf_conntrack_max not offered: host-wide' "$TW_TMP/out" "$TW_TMP/err" ||
	"$TWADVISE" --netns "$ns" --profile "$FIX/pin-hostwide.yaml" --site-dir /nonexistent --format json |
	grep -q 'net.netfilter.nf_conntrack_max not offered: host-wide' || fail "no note names the host-wide key"
[ "$(sysctl -n net.netfilter.nf_conntrack_max 2>/dev/null || echo none)" = "$host_ct0" ] ||
	fail "the host's nf_conntrack_max changed"
revert
expect_rc 2 "revert after the host-wide profile"
[ "$(vals "$ns")" = "$ns0" ] || fail "values after reverting the host-wide profile"
no_files "revert after the host-wide profile"

# --- failure half way ------------------------------------------------------
# tcp_fin_timeout and tcp_max_tw_buckets are written, then the kernel
# rejects tcp_tw_reuse = 5: both must come back, no file may remain.
ip netns exec "$ns" "$TWADVISE" --profile "$FIX/pin-bad.yaml" --site-dir /nonexistent --format sysctl |
	grep -qx 'net.ipv4.tcp_tw_reuse = 5' || fail "pin-bad.yaml does not propose tcp_tw_reuse = 5"
apply pin-bad.yaml
expect_rc 1 "failing apply"
grep -q 'net.ipv4.tcp_tw_reuse' "$TW_TMP/err" || fail "failure does not name the key: $(cat "$TW_TMP/err")"
grep -q 'restored' "$TW_TMP/err" || fail "failure does not say the values were restored"
[ "$(vals "$ns")" = "$ns0" ] || fail "values after a failed apply: $(vals "$ns"), were $ns0"
[ "$(vals)" = "$host0" ] || fail "host values changed by a failed apply"
no_files "failed apply"

# The same with a fragment already there: its old bytes and mode come back.
printf '# hand-written\nnet.ipv4.tcp_fin_timeout = 45\n' >"$FR"
chmod 0640 "$FR"
cp -p "$FR" "$TW_TMP/old.conf"
apply pin-bad.yaml
expect_rc 1 "failing apply over a fragment"
cmp -s "$FR" "$TW_TMP/old.conf" || fail "failed apply did not restore the old fragment"
[ "$(stat -c %a "$FR")" = 640 ] || fail "failed apply changed the fragment's mode"
[ -z "$(state)" ] || fail "failed apply left a state"
[ "$(vals "$ns")" = "$ns0" ] || fail "values after a failed apply over a fragment"
rm -f "$FR"

# --- refusals ---------------------------------------------------------------
run --apply --snapshot "$TW_SRCDIR/tests/fixtures/snapshots/basic" --output "$FR" --state-dir "$SD"
expect_rc 1 "--apply --snapshot"
no_files "--apply --snapshot"
mkdir -m 0700 "$TW_TMP/realstate"
ln -s "$TW_TMP/realstate" "$TW_TMP/linked-state"
run --netns "$ns" --apply --output "$FR" --profile "$FIX/pin.yaml" --site-dir /nonexistent \
	--state-dir "$TW_TMP/linked-state"
expect_rc 1 "a symlinked state folder"
grep -q 'refusing to use it' "$TW_TMP/err" || fail "symlinked state folder: $(cat "$TW_TMP/err")"
no_files "a symlinked state folder"
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
[ "$(vals "$ns")" = "$ns0" ] || fail "namespace values at the end: $(vals "$ns")"
[ "$(vals)" = "$host0" ] || fail "host values changed"
echo "ok: apply, revert, refusals and a failed apply in $ns; host untouched"
