#!/bin/sh
# SPDX-License-Identifier: MIT
# nagios-unknown.sh: --format nagios on an error (monitoring-plugins
# guidelines): exit 3 AND one status line "TWADVISE UNKNOWN - <why>" on
# stdout, because Nagios shows stdout, not stderr; an empty stdout reads
# as "(No output returned from plugin)". The cause must be in the line:
# each case names the path or name it gave, not what the program printed.
set -u
: "${TWADVISE:?set by the test harness}" "${TW_SRCDIR:?}"
snap="$TW_SRCDIR/tests/fixtures/snapshots"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/twnagios.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
tw() { "$TWADVISE" --site-dir /nonexistent --data-dir "$TW_SRCDIR" "$@"; }

# unknown NAME WORD ARGS...: exit 3, stdout exactly one line, starting
# "TWADVISE UNKNOWN - " and containing WORD.
unknown() {
	name=$1 word=$2
	shift 2
	tw "$@" --format nagios >"$tmp/out" 2>"$tmp/err"
	rc=$?
	lines=$(wc -l <"$tmp/out")
	if [ $rc = 3 ] && [ "$lines" = 1 ] && grep -q '^TWADVISE UNKNOWN - ' "$tmp/out" &&
		grep -qF -- "$word" "$tmp/out"; then
		ok "$name: exit 3, $(cat "$tmp/out")"
	else
		bad "$name: exit $rc, $lines line(s) on stdout: '$(cat "$tmp/out")' (stderr: $(cat "$tmp/err"))"
	fi
}

unknown "missing snapshot" "$tmp/does-not-exist" --snapshot "$tmp/does-not-exist"
unknown "unknown profile" "no-such-profile" --snapshot "$snap/harmless" --profile no-such-profile
mkdir "$tmp/partial"
cp -R "$snap/harmless/." "$tmp/partial/"
rm -f "$tmp/partial/ss-tan.txt"
unknown "snapshot without ss-tan.txt" "ss-tan.txt" --snapshot "$tmp/partial"

# The healthy case prints one status line, OK (the long output after it
# lists the findings; control for the above).
tw --snapshot "$snap/harmless" --profile generic --format nagios >"$tmp/out"; rc=$?
[ $rc = 0 ] && [ "$(grep -c '^TWADVISE ' "$tmp/out")" = 1 ] && head -n 1 "$tmp/out" | grep -q '^TWADVISE OK - ' &&
	ok "harmless: exit 0, one OK status line" || bad "harmless: exit $rc, '$(cat "$tmp/out")'"
[ $fails = 0 ]
