#!/bin/sh
# SPDX-License-Identifier: MIT
# fsync-order.sh: --output is durable, as the contract's "atomically"
# means: the temporary file is fsync()ed before it is renamed over the
# target, and the folder is fsync()ed after the rename. Observed with
# strace on the real binary (skipped, 77, without strace).
# Env: TWADVISE, TW_SRCDIR (tests/local.mk sets them).
set -u
TW_SRCDIR=${TW_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
TWADVISE=${TWADVISE:-$TW_SRCDIR/twadvise}
command -v strace >/dev/null 2>&1 || { echo "strace not installed: skipped"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/twadvise-fsync.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM

# LeakSanitizer cannot run under ptrace: off for this run of an ASan build.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
export ASAN_OPTIONS
strace -f -e trace=openat,open,fsync,fdatasync,rename,renameat,renameat2 -o "$tmp/trace" \
	"$TWADVISE" --site-dir /nonexistent --data-dir "$TW_SRCDIR" \
	--snapshot "$TW_SRCDIR/tests/fixtures/snapshots/client-heavy" --output "$tmp/out.conf" >/dev/null ||
	{ echo "FAIL: twadvise --output failed"; exit 1; }
# The order of events on the temporary file's descriptor: open, fsync, rename;
# then an fsync of the folder (another descriptor) after the rename.
awk -v dir="$tmp" '
/open(at)?\(.*out\.conf\.tmp\./ { if (match($0, /= [0-9]+$/)) { fd = substr($0, RSTART + 2) + 0; opened = 1 } next }
/fsync\(|fdatasync\(/ { if (match($0, /\([0-9]+\)/)) { f = substr($0, RSTART + 1, RLENGTH - 2) + 0
	if (opened && !renamed && f == fd) synced = 1; else if (renamed && dirfd_open) dirsynced = 1 } next }
/open(at)?\(.*O_DIRECTORY/ { if (renamed) dirfd_open = 1; next }
/rename/ && /out\.conf\.tmp\./ { renamed = 1; if (!synced) early = 1; next }
END {
	if (!opened) { print "FAIL: no temporary file was opened"; exit 1 }
	if (!renamed) { print "FAIL: the temporary file was never renamed"; exit 1 }
	if (early || !synced) { print "FAIL: renamed before the temporary file was fsync()ed"; exit 1 }
	if (!dirsynced) { print "FAIL: the folder was not fsync()ed after the rename"; exit 1 }
	print "ok   temporary file fsync()ed before rename, folder fsync()ed after"
}' "$tmp/trace"
