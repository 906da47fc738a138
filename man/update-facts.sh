#!/bin/sh
# SPDX-License-Identifier: MIT
# update-facts.sh: regenerates the list of fact names and functions in
# twadvise-rules.5 (between the ".\" BEGIN FACTS" and ".\" END FACTS"
# lines) from `twadvise --list-facts`, so the page matches the binary.
# tests/cli/docs-facts.sh fails when they drift apart.
#
# Usage: man/update-facts.sh [TWADVISE] [PAGE]
set -eu
tw=${1:-${TWADVISE:-./twadvise}}
page=${2:-$(dirname "$0")/twadvise-rules.5}
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.list"' EXIT

"$tw" --list-facts | awk '
/^Names:/ { mode = "n"; print ".Ss Names"; print ".Bl -tag -width Ds"; next }
/^Functions:/ { print ".El"; mode = "f"; print ".Ss Functions"; print ".Bl -tag -width Ds"; next }
mode == "n" {
	name = $1; type = $2
	help = $0; sub(/^ *[^ ]+ +[^ ]+ +/, "", help)
	print ".It Va " name " Pq " type
	print help
}
mode == "f" {
	sig = $0; sub(/^ +/, "", sig)
	name = sig; sub(/\(.*/, "", name)
	args = sig; sub(/^[^(]*\(/, "", args); sub(/\).*/, "", args); gsub(/,/, "", args)
	ret = sig; sub(/^[^)]*\) *-> */, "", ret); sub(/ .*/, "", ret)
	help = sig; sub(/^[^)]*\) *-> *[^ ]+ +/, "", help)
	print ".It Fn " name " " args " Pq " ret
	print help
}
END { print ".El" }' > "$tmp.list"

awk -v list="$tmp.list" '
/^\.\\" BEGIN FACTS/ { print; while ((getline l < list) > 0) print l; skip = 1; next }
/^\.\\" END FACTS/ { skip = 0 }
!skip { print }' "$page" > "$tmp"
cat "$tmp" > "$page"
