#!/bin/sh
# SPDX-License-Identifier: MIT
# fuzz-all.sh [SECONDS] [TARGET...]: real fuzzing with clang's libFuzzer.
#
# Builds every fuzz target (or the ones named, e.g. "ss yaml") with
# -DTW_LIBFUZZER -fsanitize=fuzzer,address,undefined against a
# libtwadvise.a that configure and make build with clang and coverage
# instrumentation in $TW_FUZZ_WORK/build (never the gcc-built one), then runs each for
# SECONDS (default 60) on one core at low priority, starting from a copy of
# tests/fuzz/corpus/NAME/. New inputs go to $TW_FUZZ_WORK/corpus/NAME (not
# into the source tree); a crash, leak or timeout stops that target, leaves
# its reproducer in $TW_FUZZ_WORK/artifacts/NAME/ and makes the script exit
# 1. Add reproducers to tests/fuzz/corpus/NAME/ once the bug is fixed, so
# `make check` replays them.
#
# Environment: CLANG (default clang), TW_FUZZ_WORK (default
# /tmp/twadvise-fuzz), TW_FUZZ_FLAGS (extra libFuzzer flags).
set -eu
seconds=${1:-60}
[ $# -gt 0 ] && shift
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
work=${TW_FUZZ_WORK:-/tmp/twadvise-fuzz}
cc=${CLANG:-clang}
all="expr sysctld sysctl_a ss proc_counters memory conntrack nft proc_net_tcp sockdiag
kernel_version port_set yaml archive"
targets=${*:-$all}

command -v "$cc" >/dev/null || { echo "fuzz-all.sh: $cc not found" >&2; exit 77; }
mkdir -p "$work/obj" "$work/bin"

# The library is built by the project's own build system (configure's
# defines: version, sonames, optional features), in a clang build folder
# of its own with coverage instrumentation, never the gcc-built one.
bdir=$work/build
san="-g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined"
if [ ! -f "$bdir/Makefile" ] || [ "$srcdir/configure" -nt "$bdir/Makefile" ]; then
	[ -x "$srcdir/configure" ] || (cd "$srcdir" && autoreconf -fi) >/dev/null
	mkdir -p "$bdir"
	(cd "$bdir" && CC=$cc CFLAGS="$san -fsanitize=fuzzer-no-link" \
		"$srcdir/configure" -q --enable-trace=no) || { echo "fuzz-all.sh: configure failed" >&2; exit 1; }
fi
make -C "$bdir" -s -j2 libtwadvise.a >/dev/null || { echo "fuzz-all.sh: building libtwadvise.a failed" >&2; exit 1; }
mk() { sed -n "s/^$1 = //p" "$bdir/Makefile"; }
cflags="-std=c11 $san -D_GNU_SOURCE -I$srcdir/src -I$srcdir $(mk YAML_CFLAGS) $(mk MNL_CFLAGS)"
defs=$(mk DEFS)   # shell-quoted as make passes them: expanded by eval below
libs="$bdir/libtwadvise.a $(mk YAML_LIBS) $(mk MNL_LIBS) $(mk LIBS) -lm"

status=0
cd "$work"   # -jobs=1 leaves fuzz-0.log in the current folder
for t in $targets; do
	bin=$work/bin/fuzz_$t
	# shellcheck disable=SC2086
	eval "\$cc \$cflags $defs -DTW_LIBFUZZER -fsanitize=fuzzer \"\$srcdir/tests/fuzz/fuzz_\$t.c\" \
		\$libs -o \"\$bin\"" || { echo "FAIL: building fuzz_$t"; status=1; continue; }
	mkdir -p "$work/corpus/$t" "$work/artifacts/$t"
	cp -n "$srcdir/tests/fuzz/corpus/$t/"* "$work/corpus/$t/" 2>/dev/null || true
	echo "== fuzz_$t: ${seconds}s"
	# shellcheck disable=SC2086
	if ! ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		nice -n 10 "$bin" -jobs=1 -workers=1 -max_total_time="$seconds" \
		-timeout=10 -rss_limit_mb=1024 -max_len=8192 -print_final_stats=1 \
		-artifact_prefix="$work/artifacts/$t/" ${TW_FUZZ_FLAGS:-} \
		"$work/corpus/$t" >"$work/fuzz_$t.log" 2>&1; then
		echo "FAIL: fuzz_$t; see $work/fuzz_$t.log and $work/artifacts/$t/"
		status=1
	fi
	grep -E '^stat::number_of_executed_units|^stat::new_units_added' "$work/fuzz_$t.log" || true
done
exit $status
