#!/bin/bash
# SPDX-License-Identifier: MIT
# output.sh: what --output, --check, --diff, --format prometheus/nagios do
# to files and exit codes (twadvise(8) EXIT STATUS, --output, --diff):
# atomic, idempotent, mode 0644, never through a symlink, nothing written
# on error or in a dry run, no temporary file left behind.
set -u
: "${TWADVISE:?set by the test harness}" "${TW_SRCDIR:?}"
snap="$TW_SRCDIR/tests/fixtures/snapshots"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/twoutput.XXXXXX")
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
tw() { "$TWADVISE" --site-dir /nonexistent --data-dir "$TW_SRCDIR" "$@"; }
leftovers() { find "$tmp" -name '*.tmp.*' | grep -q .; }

# --output writes exactly the fragment, mode 0644, and is idempotent.
out="$tmp/60-twadvise.conf"
tw --snapshot "$snap/client-heavy" --profile client-heavy --output "$out" >/dev/null; rc=$?
[ $rc = 0 ] && cmp -s "$out" <(tw --snapshot "$snap/client-heavy" --profile client-heavy --format sysctl) \
	&& ok "--output writes the fragment" || bad "--output (rc $rc)"
[ "$(stat -c %a "$out")" = 644 ] && ok "mode 0644" || bad "mode $(stat -c %a "$out")"
sum1=$(sha256sum <"$out"); ino1=$(stat -c %i "$out")
tw --snapshot "$snap/client-heavy" --profile client-heavy --output "$out" >/dev/null
[ "$(sha256sum <"$out")" = "$sum1" ] && ok "second run: same bytes" || bad "not idempotent"
[ "$(stat -c %i "$out")" != "$ino1" ] && ok "replaced by rename (new inode)" || bad "written in place"
# A replaced file keeps its mode and owner (an administrator's 0600 stays).
chmod 600 "$out"
[ "$(id -u)" = 0 ] && chown 65534:4 "$out"
want=$(stat -c '%a %u %g' "$out")
tw --snapshot "$snap/harmless" --profile generic --output "$out" >/dev/null
[ "$(stat -c '%a %u %g' "$out")" = "$want" ] && ok "replaced file keeps mode and owner" ||
	bad "mode/owner $(stat -c '%a %u %g' "$out"), expected $want"

# --check: exit 2 when changes are recommended, 0 when not; writes nothing.
rm -f "$out"
tw --snapshot "$snap/client-heavy" --profile client-heavy --check --output "$out" >/dev/null; rc=$?
[ $rc = 2 ] && [ ! -e "$out" ] && ok "--check: 2, nothing written" || bad "--check rc $rc or file written"
tw --snapshot "$snap/harmless" --profile generic --check >/dev/null; rc=$?
[ $rc = 0 ] && ok "--check on a harmless host: 0" || bad "--check harmless rc $rc"
tw --snapshot "$snap/client-heavy" --profile client-heavy --check --fail-on critical >/dev/null; rc=$?
[ $rc = 0 ] && ok "--fail-on critical: critical findings without changes do not count" \
	|| bad "--fail-on critical rc $rc"
tw --snapshot "$snap/nat-facing" --profile nat-facing --check --fail-on critical >/dev/null; rc=$?
[ $rc = 2 ] && ok "--fail-on critical: tcp_tw_recycle counts" || bad "--fail-on critical nat rc $rc"
tw --snapshot "$snap/client-heavy" --profile client-heavy --check \
	--ignore port-range-widen --ignore tw-reuse-client --ignore listeners-in-range >/dev/null; rc=$?
[ $rc = 0 ] && ok "--ignore: acknowledged findings are not counted" || bad "--ignore rc $rc"

# An acknowledgement file: reported as acknowledged, not counted; expired entries count again.
cat >"$tmp/acks.yaml" <<'YAML'
acknowledged:
  - id: port-range-widen
    reason: firewall review pending
  - id: tw-reuse-client
    reason: pool fix in progress
    expires: 2099-12-31
  - id: listeners-in-range
    reason: expired long ago
    expires: 2001-01-01
YAML
j=$(tw --snapshot "$snap/client-heavy" --profile client-heavy --acknowledged "$tmp/acks.yaml" --format json)
acked=$(printf '%s' "$j" | jq -r '[.findings[] | select(.acknowledged) | .id] | sort | join(",")')
[ "$acked" = "port-range-widen,tw-reuse-client" ] && ok "acknowledgement file" || bad "acknowledged: $acked"
printf '%s' "$j" | jq -r '.notes[]' | grep -q 'listeners-in-range has expired' \
	&& ok "expired acknowledgement noted" || bad "expired acknowledgement not noted"

# --diff prints a unified diff against the file and writes nothing.
printf 'net.ipv4.tcp_tw_reuse = 0\n' >"$out"; before=$(sha256sum <"$out")
d=$(tw --snapshot "$snap/client-heavy" --profile client-heavy --diff --output "$out"); rc=$?
[ $rc = 0 ] && printf '%s\n' "$d" | grep -q '^-net.ipv4.tcp_tw_reuse = 0$' \
	&& printf '%s\n' "$d" | grep -q '^+net.ipv4.tcp_tw_reuse = 1$' \
	&& [ "$(sha256sum <"$out")" = "$before" ] && ok "--diff" || bad "--diff (rc $rc)"

# Never through a symlink; the link and its target stay as they were.
echo keep >"$tmp/target"; ln -s "$tmp/target" "$tmp/link.conf"
tw --snapshot "$snap/client-heavy" --profile client-heavy --output "$tmp/link.conf" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc = 1 ] && [ -L "$tmp/link.conf" ] && [ "$(cat "$tmp/target")" = keep ] && grep -q 'symbolic link' "$tmp/err" \
	&& ok "symlink refused" || bad "symlink: rc $rc"

# A failed write (folder not writable, as non-root; a missing folder as root)
# leaves nothing behind and exits 1 with nothing on stdout.
o=$(tw --snapshot "$snap/client-heavy" --profile client-heavy --output "$tmp/no/such/dir/x.conf" 2>"$tmp/err"); rc=$?
[ $rc = 1 ] && [ -z "$o" ] && grep -q 'x.conf' "$tmp/err" && ! leftovers \
	&& ok "unwritable target: exit 1, no output, no temporary file" || bad "unwritable target rc $rc"

# Bad input: exit 1, clear message, nothing written.
mkdir "$tmp/broken"; cp -r "$snap/basic/." "$tmp/broken/"; printf 'garbage line\n' >>"$tmp/broken/sysctl-a.txt"
tw --snapshot "$tmp/broken" --output "$tmp/never.conf" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc = 1 ] && [ ! -e "$tmp/never.conf" ] && grep -q 'sysctl-a.txt:[0-9]' "$tmp/err" \
	&& ok "malformed snapshot: exit 1 naming file:line, nothing written" || bad "malformed snapshot rc $rc: $(cat "$tmp/err")"
tw --bogus >/dev/null 2>&1; [ $? = 1 ] && ok "unknown option: exit 1" || bad "unknown option"
tw --snapshot "$snap/basic" --netns x >/dev/null 2>&1; [ $? = 1 ] && ok "--snapshot with --netns: exit 1" || bad "conflict"
tw --diff >/dev/null 2>&1; [ $? = 1 ] && ok "--diff without --output: exit 1" || bad "--diff alone"
tw --snapshot "$snap/basic" --profile no-such-profile >/dev/null 2>"$tmp/err"; rc=$?
[ $rc = 1 ] && grep -q "unknown profile 'no-such-profile'" "$tmp/err" && ok "unknown profile" || bad "unknown profile rc $rc"

# Prometheus: written atomically with --output (nothing on stdout); no timestamps.
prom="$tmp/twadvise.prom"
p=$(tw --snapshot "$snap/client-heavy" --profile client-heavy --format prometheus --output "$prom"); rc=$?
[ $rc = 0 ] && [ -z "$p" ] && grep -q '^twadvise_time_wait_sockets ' "$prom" \
	&& ok "prometheus textfile, nothing on stdout" || bad "prometheus (rc $rc)"
# Every sample is NAME{LABELS} VALUE: a third field would be a timestamp.
grep -v '^#' "$prom" | grep -Ev '^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? [-+]?([0-9.]+([eE][-+]?[0-9]+)?|NaN|[-+]?Inf)$' | grep -q . \
	&& bad "prometheus: a sample line with a timestamp or garbage" || ok "prometheus: no timestamps"

# Nagios: monitoring-plugins codes.
tw --snapshot "$snap/nat-facing" --profile nat-facing --format nagios >"$tmp/n"; rc=$?
[ $rc = 2 ] && grep -q '^TWADVISE CRITICAL - .*|' "$tmp/n" && ok "nagios CRITICAL (2)" || bad "nagios critical rc $rc"
tw --snapshot "$snap/harmless" --profile generic --format nagios >"$tmp/n"; rc=$?
[ $rc = 0 ] && grep -q '^TWADVISE OK' "$tmp/n" && ok "nagios OK (0)" || bad "nagios ok rc $rc"
tw --snapshot "$tmp/does-not-exist" --format nagios >"$tmp/n" 2>/dev/null; rc=$?
[ $rc = 3 ] && ok "nagios UNKNOWN (3) on error" || bad "nagios error rc $rc"
# The UNKNOWN status line on stdout: nagios-unknown.sh (kept apart while
# it is an expected failure, so that this exit code stays checked).

[ $fails = 0 ]
