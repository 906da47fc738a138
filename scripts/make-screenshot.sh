#!/bin/sh
# SPDX-License-Identifier: MIT
# make-screenshot.sh [BUILDDIR]: doc/html-report.png, the README's picture
# of --format html: a three-host fleet of the shipped scenario snapshots,
# rendered by headless Chromium (Debian's chromium; as root it runs with
# --no-sandbox, inside a network namespace with only loopback).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
b=${1:-build}
case $b in /*) ;; *) b=$top/$b ;; esac
chromium=$(command -v chromium || command -v chromium-browser) || { echo "chromium is not installed" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/twshot.XXXXXX")
ns=""
cleanup() { rm -rf "$tmp"; [ -z "$ns" ] || ip netns del "$ns"; }
trap cleanup EXIT
if [ "$(id -u)" = 0 ] && ip netns add "twshot$$" 2>/dev/null; then
	ns="twshot$$"
	ip -n "$ns" link set lo up
fi
# Short host names: the snapshot folders relative to their parent.
cd "$top/tests/fixtures/snapshots"
SOURCE_DATE_EPOCH=1700000000 "$b/twadvise" --data-dir "$top" --site-dir /nonexistent \
	--snapshot client-heavy --snapshot fin-timeout --snapshot harmless --format html >"$tmp/report.html"
set -- "$chromium" --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
	--user-data-dir="$tmp/profile" --window-size=1200,1700 \
	--screenshot="$tmp/report.png" "file://$tmp/report.html"
if [ -n "$ns" ]; then
	HOME=$tmp timeout 120 ip netns exec "$ns" "$@" >/dev/null 2>&1
else
	HOME=$tmp timeout 120 "$@" >/dev/null 2>&1
fi
cp "$tmp/report.png" "$top/doc/html-report.png"
echo "wrote $top/doc/html-report.png"
