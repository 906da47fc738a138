#!/bin/bash
# SPDX-License-Identifier: MIT
# bench-snapshot.sh: how fast is twadvise on a big snapshot? Writes a
# synthetic N-line `ss -tan` listing (bench/mkss.py; default 250,000
# lines, about 17 MB) into a snapshot folder with a real uname-r.txt and
# sysctl-a.txt, then times, interleaved round-robin over several rounds:
#   pipeline  awk | sort | uniq -c | sort -rn: TIME_WAIT per tuple, the way
#             it is done by hand (awk and sort run on both cores)
#   twadvise  twadvise --snapshot DIR --format json (the whole analysis)
#   inline    the same with TWADVISE_SS_PARSE=inline (one thread)
#   users     the same listing with ss -p's users column on its live
#             lines, as --capture writes it (one more pass, for owners)
# and prints the medians and pipeline / twadvise (target >= 5).
#
# Usage: bench/bench-snapshot.sh [BUILDDIR] [N] [ROUNDS]
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-.}" && pwd)
n=${2:-250000}
rounds=${3:-5}
tw=${TWADVISE:-$build/twadvise}
[ -x "$tw" ] || { echo "bench-snapshot.sh: $tw not found" >&2; exit 1; }

. "$(dirname "$0")/bench-lib.sh"
snap=$(mktemp -d "${TMPDIR:-/tmp}/twbench-snap.XXXXXX")
trap 'rm -rf "$snap"' EXIT
trap 'exit 1' INT TERM HUP
cp "$src/tests/fixtures/snapshots/basic/uname-r.txt" "$src/tests/fixtures/snapshots/basic/sysctl-a.txt" "$snap/"
/usr/bin/python3 "$src/bench/mkss.py" "$n" >"$snap/ss-tan.txt"
printf 'snapshot: %d lines, %d bytes\n' "$(wc -l <"$snap/ss-tan.txt")" "$(wc -c <"$snap/ss-tan.txt")"
mkdir "$snap/users"
cp "$snap/uname-r.txt" "$snap/sysctl-a.txt" "$snap/users/"
sed -E '/^ESTAB/ s/$/ users:(("api",pid=4242,fd=17))/' "$snap/ss-tan.txt" >"$snap/users/ss-tan.txt"

pipeline="awk '\$1 == \"TIME-WAIT\" { l = \$4; r = \$5; sub(/:[0-9]+\$/, \"\", l); print l, r }' '$snap/ss-tan.txt' |
	sort | uniq -c | sort -rn | head -32"
analyse() { "$tw" --snapshot "$snap" --format json --data-dir "$src" --site-dir /nonexistent; }
analyse >/dev/null || { echo "bench-snapshot.sh: twadvise failed" >&2; exit 1; }

for r in $(seq "$rounds"); do
	run pipeline bash -c "$pipeline"
	run twadvise "$tw" --snapshot "$snap" --format json --data-dir "$src" --site-dir /nonexistent
	run inline env TWADVISE_SS_PARSE=inline "$tw" --snapshot "$snap" --format json \
		--data-dir "$src" --site-dir /nonexistent
	run users "$tw" --snapshot "$snap/users" --format json --data-dir "$src" --site-dir /nonexistent
done
p=$(echo "${times[pipeline]}" | median)
t=$(echo "${times[twadvise]}" | median)
pc=$(echo "${cpu[pipeline]}" | median)
tc=$(echo "${cpu[twadvise]}" | median)
printf '\n%-10s %10s %10s   %s\n' what wall_ms cpu_ms "wall of each round (ms)"
for k in pipeline twadvise inline users; do
	printf '%-10s %10.1f %10.1f  %s\n' "$k" "$(echo "${times[$k]}" | median)" "$(echo "${cpu[$k]}" | median)" "${times[$k]}"
done
rss=$(/usr/bin/time -v "$tw" --snapshot "$snap" --format json --data-dir "$src" --site-dir /nonexistent 2>&1 >/dev/null |
	awk -F': ' '/Maximum resident set size/ { print $2 }')
printf '\ntwadvise peak RSS: %d KiB\n' "$rss"
printf 'RESULT snapshot n=%d pipeline/twadvise: wall %.2f, cpu %.2f (target >= 5) rss_kb=%d\n' \
	"$n" "$(calc "$p / $t")" "$(calc "$pc / $tc")" "$rss"
printf 'RESULT snapshot n=%d pipeline/inline (one thread): wall %.2f; ss -p listing: %.2f\n' \
	"$n" "$(calc "$p / $(echo "${times[inline]}" | median)")" "$(calc "$p / $(echo "${times[users]}" | median)")"
