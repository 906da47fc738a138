#!/bin/sh
# SPDX-License-Identifier: MIT
# spdx-check.sh [--fix] [TOPDIR]: every source, build, script and data file
# of the tree starts with its licence tag (after the shebang, if any):
#   C (.c .h)                          /* SPDX-License-Identifier: MIT */
#   shell, make, autoconf, YAML, Python,
#   systemd units (.sh .mk .am .ac .yaml .yml .py .service .timer, .ci/run)
#                                      # SPDX-License-Identifier: MIT
#   manual pages (.5 .8)               .\" SPDX-License-Identifier: MIT
# Lists the files that lack it and exits 1; with --fix, inserts the line
# into them instead (re-run it after merging branches). Recorded test data
# (tests/fixtures/, tests/fuzz/corpus/), JSON (no comments) and Markdown
# are left as they are. Works in a git checkout and in a release tarball.
set -eu
fix=0
if [ "${1:-}" = "--fix" ]; then
	fix=1
	shift
fi
top=${1:-${TW_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}}
cd "$top"
tag='SPDX-License-Identifier: MIT'

# The comment line for a file, or nothing when the file is out of scope.
line_for() {
	case $1 in
	*.c | *.h | *.h.in) echo "/* $tag */" ;;
	*.sh | *.mk | *.am | *.ac | *.yaml | *.yml | *.py | *.service | *.service.in | \
	*.timer | */.ci/run | */debian/rules | */debian/*.install | */debian/*.dirs | \
	*/debian/*.lintian-overrides | */debian/watch | */bash-completion/twadvise) echo "# $tag" ;;
	*.5 | *.8 | *.5.in | *.8.in) echo ".\\\" $tag" ;;
	esac
}

# The candidate files: the source folders, minus recorded test data and
# build folders (build*/ inside the source tree, debian/ build output).
files() {
	for f in configure.ac Makefile.am; do [ -f "$f" ] && echo "./$f"; done
	find ./src ./scripts ./man ./rules ./profiles ./contrib ./tests ./bench ./.ci ./debian ./doc \
		\( -path ./tests/fixtures -o -path ./tests/fuzz/corpus -o -path ./debian/twadvise \
		   -o -path ./debian/.debhelper -o -name '*.dirstamp' -o -path '*/.deps' \) -prune \
		-o -type f -print 2>/dev/null | sort
}

missing=0
for f in $(files); do
	want=$(line_for "$f")
	[ -n "$want" ] || continue
	first=$(head -n 1 "$f")
	case $first in
	'#!'*) have=$(sed -n 2p "$f") ;;
	*) have=$first ;;
	esac
	[ "$have" = "$want" ] && continue
	if [ $fix = 1 ]; then
		tmp=$f.spdx.$$
		case $first in
		'#!'*) { echo "$first"; echo "$want"; tail -n +2 "$f"; } >"$tmp" ;;
		*) { echo "$want"; cat "$f"; } >"$tmp" ;;
		esac
		chmod --reference="$f" "$tmp"
		mv "$tmp" "$f"
		echo "added: ${f#./}"
	else
		echo "${f#./}"
		missing=$((missing + 1))
	fi
done
if [ $missing -gt 0 ]; then
	echo "spdx-check: $missing files lack '$tag' on their first line (run scripts/spdx-check.sh --fix)" >&2
	exit 1
fi
exit 0
