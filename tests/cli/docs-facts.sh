#!/bin/sh
# SPDX-License-Identifier: MIT
# docs-facts.sh: twadvise-rules(5) documents exactly the names and
# functions that `twadvise --list-facts` prints: every one of them appears
# in the page, and the generated list in the page is what
# man/update-facts.sh makes from this binary (regenerate it with
# `man/update-facts.sh ./twadvise` from the build folder).
set -eu

srcdir=${TW_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
tw=${TWADVISE:-$srcdir/twadvise}
page=$srcdir/man/twadvise-rules.5

tmp=$(mktemp -d "${TMPDIR:-/tmp}/twadvise-facts.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
missing=0

"$tw" --list-facts > "$tmp/facts"
awk '/^Names:/ { m = "n"; next } /^Functions:/ { m = "f"; next }
     m == "n" { print "Va", $1 }
     m == "f" { s = $1; sub(/\(.*/, "", s); print "Fn", s }' "$tmp/facts" > "$tmp/names"
[ "$(wc -l < "$tmp/names")" -ge 20 ] || { echo "FAIL: --list-facts printed too few names" >&2; exit 1; }

while read -r macro name; do
	if ! grep -qF ".It $macro $name " "$page"; then
		echo "FAIL: $name ($macro) from --list-facts is not documented in twadvise-rules.5" >&2
		missing=$((missing + 1))
	fi
done < "$tmp/names"

cp "$page" "$tmp/page.5"
sh "$srcdir/man/update-facts.sh" "$tw" "$tmp/page.5"
if ! cmp -s "$page" "$tmp/page.5"; then
	echo "FAIL: the fact list in twadvise-rules.5 is stale; run man/update-facts.sh:" >&2
	diff -u "$page" "$tmp/page.5" >&2 || true
	missing=$((missing + 1))
fi

[ "$missing" = 0 ] || exit 1
echo "all $(wc -l < "$tmp/names") facts and functions documented"
