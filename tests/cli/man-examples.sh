#!/bin/sh
# SPDX-License-Identifier: MIT
# man-examples.sh: runs the EXAMPLES of twadvise(8) and loads the example
# files of twadvise-rules(5) and twadvise-profiles(5), so that the manual
# never shows a command or a file that does not work.
#
# In twadvise.8 every example command is a line "$ twadvise ..." inside a
# literal display. It runs as "$TWADVISE --site-dir /nonexistent ...",
# with /var/tmp/snap replaced by the fixture snapshot, and must exit 0
# (2 is also fine with --check, 0-2 with --format nagios) and print
# something. Lines ending in "# (root)" are shown but not run; an example
# that would write outside a temporary folder must carry that mark.
# "--capture /var/tmp/snap" runs as root only, into a temporary folder.
set -eu

srcdir=${TW_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
tw=${TWADVISE:-$srcdir/twadvise}
snap=$srcdir/tests/fixtures/snapshots/basic
page8=$srcdir/man/twadvise.8
page_rules=$srcdir/man/twadvise-rules.5
page_profiles=$srcdir/man/twadvise-profiles.5

tmp=$(mktemp -d "${TMPDIR:-/tmp}/twadvise-man.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0
ran=0

fail() {
	echo "FAIL: $*" >&2
	fails=$((fails + 1))
}

# roff -> text for the few escapes a literal display may hold.
unroff() {
	sed -e 's/\\e/\\/g' -e 's/\\&//g' -e 's/\\(dq/"/g'
}

# block FILE NAME: the literal display between '.\" BEGIN NAME' and
# '.\" END NAME', without its .Bd/.Ed lines.
block() {
	awk -v name="$2" '
	$0 == ".\\\" BEGIN " name { inside = 1; next }
	$0 == ".\\\" END " name { inside = 0 }
	inside && !/^\.(Bd|Ed)/ { print }' "$1" | unroff
}

# ---- twadvise(8) EXAMPLES ----
grep '^\$ twadvise' "$page8" | unroff > "$tmp/examples"
[ -s "$tmp/examples" ] || { echo "FAIL: no examples found in $page8" >&2; exit 1; }

while IFS= read -r line; do
	cmd=${line#\$ twadvise}
	case $cmd in
	*'# (root)'*)
		echo "not run (root): $line"
		continue ;;
	esac
	case $cmd in
	*'#'*) fail "unknown mark in example: $line"; continue ;;
	*--apply*|*--revert*)
		fail "example writes system files but is not marked '# (root)': $line"
		continue ;;
	*--output*--diff*|*--output*--check*|*--diff*--output*|*--check*--output*) ;;
	*--output*)
		fail "example writes a file but is not marked '# (root)': $line"
		continue ;;
	esac
	set -f
	case $cmd in
	*--capture*)
		if [ "$(id -u)" != 0 ]; then
			echo "not run (needs root): $line"
			set +f
			continue
		fi
		# shellcheck disable=SC2086
		set -- $(echo "$cmd" | sed "s|/var/tmp/snap|$tmp/capture|g")
		set +f
		ran=$((ran + 1))
		rc=0
		"$tw" --site-dir /nonexistent "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
		if [ "$rc" != 0 ] || [ ! -s "$tmp/capture/uname-r.txt" ] || [ ! -s "$tmp/capture/ss-tan.txt" ]; then
			fail "$line: exit $rc, snapshot incomplete: $(cat "$tmp/err")"
		else
			echo "ok: $line"
		fi
		continue ;;
	esac
	# shellcheck disable=SC2086
	set -- $(echo "$cmd" | sed "s|/var/tmp/snap|$snap|g")
	set +f
	ran=$((ran + 1))
	rc=0
	"$tw" --site-dir /nonexistent "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
	ok=0
	case "$rc:$cmd" in
	0:*) ok=1 ;;
	2:*--check*) ok=1 ;;
	[12]:*nagios*) ok=1 ;;
	esac
	if [ "$ok" != 1 ]; then
		fail "$line: exit $rc: $(cat "$tmp/err")"
	elif [ ! -s "$tmp/out" ]; then
		fail "$line: printed nothing"
	else
		echo "ok: $line"
	fi
done < "$tmp/examples"

[ "$ran" -ge 10 ] || fail "only $ran examples ran; is the extraction broken?"

# ---- twadvise-rules(5): the example site rule ----
mkdir -p "$tmp/site/rules.d" "$tmp/site/profiles.d"
block "$page_rules" "EXAMPLE RULE" > "$tmp/site/rules.d/example.yaml"
id=$(sed -n 's/^id: *//p' "$tmp/site/rules.d/example.yaml")
if [ -z "$id" ]; then
	fail "no example rule found in $page_rules"
else
	"$tw" --site-dir "$tmp/site" --validate "$tmp/site/rules.d/example.yaml" >/dev/null ||
		fail "example rule '$id' does not validate"
	"$tw" --site-dir "$tmp/site" --explain "$id" >/dev/null ||
		fail "example rule '$id' is not loaded from the site folder"
	"$tw" --site-dir "$tmp/site" --snapshot "$snap" --format json >/dev/null ||
		fail "analysis with the example rule failed"
	echo "ok: example rule $id"
fi

# ---- twadvise-profiles(5): the example profile and acknowledgements ----
block "$page_profiles" "EXAMPLE PROFILE" > "$tmp/site/profiles.d/example.yaml"
block "$page_profiles" "EXAMPLE ACKS" > "$tmp/site/acknowledged.yaml"
name=$(sed -n 's/^name: *//p' "$tmp/site/profiles.d/example.yaml")
if [ -z "$name" ]; then
	fail "no example profile found in $page_profiles"
else
	"$tw" --site-dir "$tmp/site" --validate "$tmp/site/profiles.d/example.yaml" >/dev/null ||
		fail "example profile '$name' does not validate"
	"$tw" --site-dir "$tmp/site" --list-profiles | grep -q "^$name " ||
		fail "example profile '$name' is not listed"
	"$tw" --site-dir "$tmp/site" --snapshot "$snap" --profile "$name" >/dev/null ||
		fail "analysis with the example profile and acknowledgements failed"
	"$tw" --site-dir /nonexistent --acknowledged "$tmp/site/acknowledged.yaml" \
		--snapshot "$snap" >/dev/null ||
		fail "the example acknowledgement file is refused"
	echo "ok: example profile $name and acknowledgements"
fi

if [ "$fails" != 0 ]; then
	echo "$fails failure(s)" >&2
	exit 1
fi
echo "all $ran examples ran"
