#!/bin/sh
# SPDX-License-Identifier: MIT
# load-errors.sh: bad profile and rule files are refused at load time.
#
# For each file of tests/fixtures/bad/ (one defect each), `twadvise
# --validate FILE` must exit 1 and print exactly the expected
# "FILE:LINE:COL: message" prefix (line and column compared exactly), and
# an analysis whose --data-dir holds the shipped rules and profiles plus
# that file must exit 1 too, naming the file and position.
# Env: TWADVISE, TW_SRCDIR (tests/local.mk sets them).
set -u
LC_ALL=C
export LC_ALL
here=$(cd "$(dirname "$0")" && pwd)
TW_SRCDIR=${TW_SRCDIR:-$(cd "$here/../.." && pwd)}
TWADVISE=${TWADVISE:-${TW_BUILDDIR:-$TW_SRCDIR}/twadvise}
[ -x "$TWADVISE" ] || { echo "load-errors: no binary at $TWADVISE" >&2; exit 99; }
cd "$TW_SRCDIR" || exit 99
B=tests/fixtures/bad
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
nok=0
bad() { echo "FAIL $*"; fail=1; }

# file (under tests/fixtures/bad/)   expected "LINE:COL: message" prefix
CASES='
rules/recycle-on.yaml          8:12: net.ipv4.tcp_tw_recycle may only be set to 0
profiles/pin-recycle.yaml      7:12: net.ipv4.tcp_tw_recycle may only be set to 0
profiles/pin-recycle-slash.yaml 8:12: net.ipv4.tcp_tw_recycle may only be set to 0
rules/recycle-slash.yaml       8:12: net.ipv4.tcp_tw_recycle may only be set to 0
profiles/pin-core-pattern.yaml 7:3: kernel.core_pattern: not on twadvise'"'"'s allow-list
profiles/pin-twice-slash.yaml  10:3: net.ipv4.tcp_tw_reuse is pinned twice
rules/change-core-pattern.yaml 9:13: kernel.core_pattern: not on twadvise'"'"'s allow-list
rules/when-syntax.yaml         5:20: expected a value
rules/unknown-fact.yaml        5:24: unknown name '"'"'tw.totl'"'"'
rules/type-mismatch.yaml       7:16: type mismatch: '"'"'=='"'"' compares num with str
rules/unknown-key.yaml         8:1: unknown key '"'"'recommend'"'"' in a rule
rules/duplicate-key.yaml       7:1: duplicate key '"'"'when'"'"'
rules/when-not-bool.yaml       5:7: '"'"'when'"'"' must be a condition (bool), not num
rules/malformed.yaml           6:5: did not find expected '"'"','"'"' or '"'"']'"'"'
rules/unknown-threshold.yaml   5:76: unknown name '"'"'threshold.utilisation_warning'"'"'
profiles/auto-when-typo.yaml   10:8: unknown name '"'"'tw.top_server.peer'"'"'
rules/template-typo.yaml       7:15: unknown name '"'"'tw.clent'"'"'
rules/requires-no-why.yaml     10:7: requires needs '"'"'any_of'"'"' (a list of sysctl keys) and '"'"'why'"'"'
rules/change-when-num.yaml     9:11: '"'"'when'"'"' must be a condition (bool), not num
rules/requires-bad-key.yaml    10:15: tcp_tw_reuse: not on twadvise'"'"'s allow-list
rules/critical-when-not-bool.yaml 6:16: '"'"'critical_when'"'"' must be a condition (bool), not str
'

echo "$CASES" | grep . >"$tmp/cases"
while read -r f want; do
	[ -f "$B/$f" ] || { bad "$B/$f is missing"; continue; }
	# 1. --validate FILE: exit 1, first line is exactly FILE:LINE:COL: message...
	"$TWADVISE" --site-dir /nonexistent --data-dir . --validate "$B/$f" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	first=$(head -n 1 "$tmp/err")
	if [ $rc -ne 1 ]; then
		bad "--validate $B/$f: exit $rc, expected 1 ($(head -c 200 "$tmp/err"))"
	else
		case $first in
		"$B/$f:$want"*) nok=$((nok + 1));;
		*) bad "--validate $B/$f: printed '$first', expected the prefix '$B/$f:$want'";;
		esac
	fi
	# 2. the same file inside a data dir: analysis exits 1 and names it.
	rm -rf "$tmp/data"
	mkdir -p "$tmp/data"
	cp -R rules profiles "$tmp/data/"
	cp "$B/$f" "$tmp/data/$f"
	"$TWADVISE" --site-dir /nonexistent --data-dir "$tmp/data" --snapshot tests/fixtures/snapshots/basic \
		--profile generic --format json >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	if [ $rc -ne 1 ]; then
		bad "--data-dir with $f: exit $rc, expected 1"
	elif [ -s "$tmp/out" ]; then
		bad "--data-dir with $f: exit 1 but printed a report"
	elif ! grep -qF "$tmp/data/$f:$want" "$tmp/err"; then
		bad "--data-dir with $f: stderr lacks '$tmp/data/$f:$want': $(head -c 300 "$tmp/err")"
	else
		nok=$((nok + 1))
	fi
done <"$tmp/cases"

# An inheritance cycle needs both files; the error names the profile.
"$TWADVISE" --site-dir /nonexistent --data-dir . --validate "$B/profiles/cycle-a.yaml" \
	"$B/profiles/cycle-b.yaml" >"$tmp/out" 2>"$tmp/err" </dev/null
rc=$?
if [ $rc -eq 1 ] && grep -q "cycle-[ab].yaml.*inheritance cycle through profile 'cycle-[ab]'" "$tmp/err"; then
	nok=$((nok + 1))
else
	bad "--validate cycle-a.yaml cycle-b.yaml: exit $rc: $(head -c 300 "$tmp/err")"
fi
rm -rf "$tmp/data"
mkdir -p "$tmp/data"
cp -R rules profiles "$tmp/data/"
cp "$B/profiles/cycle-a.yaml" "$B/profiles/cycle-b.yaml" "$tmp/data/profiles/"
"$TWADVISE" --site-dir /nonexistent --data-dir "$tmp/data" --snapshot tests/fixtures/snapshots/basic \
	--format json >"$tmp/out" 2>"$tmp/err" </dev/null
rc=$?
if [ $rc -eq 1 ] && grep -q "inheritance cycle" "$tmp/err"; then
	nok=$((nok + 1))
else
	bad "--data-dir with an inheritance cycle: exit $rc: $(head -c 300 "$tmp/err")"
fi

# A profile that pins tcp_tw_recycle, given with --profile FILE.
"$TWADVISE" --site-dir /nonexistent --data-dir . --snapshot tests/fixtures/snapshots/basic \
	--profile "$B/profiles/pin-recycle.yaml" >"$tmp/out" 2>"$tmp/err" </dev/null
rc=$?
if [ $rc -eq 1 ] && grep -qF "$B/profiles/pin-recycle.yaml:7:12:" "$tmp/err"; then
	nok=$((nok + 1))
else
	bad "--profile pin-recycle.yaml: exit $rc: $(head -c 300 "$tmp/err")"
fi

# A missing file is one error, reported once.
"$TWADVISE" --site-dir /nonexistent --data-dir . --validate "$tmp/missing.yaml" >"$tmp/out" 2>"$tmp/err" </dev/null
rc=$?
if [ $rc -eq 1 ] && [ "$(grep -c "missing.yaml" "$tmp/err")" = 1 ] && grep -q "1 error(s)" "$tmp/err"; then
	nok=$((nok + 1))
else
	bad "--validate of a missing file: exit $rc: $(head -c 300 "$tmp/err")"
fi

# The shipped data itself is valid.
if "$TWADVISE" --site-dir /nonexistent --data-dir . --validate >"$tmp/out" 2>"$tmp/err" </dev/null; then
	nok=$((nok + 1))
else
	bad "--validate of the shipped rules and profiles: $(cat "$tmp/err")"
fi

if [ $fail != 0 ]; then
	echo "load-errors: FAILED ($nok checks passed)"
	exit 1
fi
echo "load-errors: $nok checks passed"
exit 0
