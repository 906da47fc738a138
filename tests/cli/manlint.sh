#!/bin/sh
# SPDX-License-Identifier: MIT
# manlint.sh: the manual pages are lint-clean: neither
# `mandoc -Tlint -W warning` nor `groff -mdoc -ww -z` prints anything.
# Skipped (77) when neither tool is installed.
set -eu

srcdir=${TW_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
pages="$srcdir/man/twadvise.8 $srcdir/man/twadvise-rules.5 $srcdir/man/twadvise-profiles.5"
have=0
bad=0

if command -v mandoc >/dev/null 2>&1; then
	have=1
	for p in $pages; do
		out=$(mandoc -Tlint -W warning "$p" 2>&1 || true)
		if [ -n "$out" ]; then
			echo "$out" >&2
			bad=1
		fi
	done
else
	echo "mandoc not installed: its lint is skipped"
fi
if command -v groff >/dev/null 2>&1; then
	have=1
	for p in $pages; do
		out=$(groff -mdoc -ww -z "$p" 2>&1 || echo "groff failed on $p")
		if [ -n "$out" ]; then
			echo "$out" >&2
			bad=1
		fi
	done
else
	echo "groff not installed: its lint is skipped"
fi
[ "$have" = 1 ] || { echo "neither mandoc nor groff is installed"; exit 77; }
[ "$bad" = 0 ] || exit 1
echo "manual pages lint-clean"
