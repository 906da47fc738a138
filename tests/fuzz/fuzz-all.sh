#!/bin/sh
# SPDX-License-Identifier: MIT
# fuzz-all.sh [SECONDS] [TARGET...]: real fuzzing with clang's libFuzzer.
#
# Builds every fuzz target (or the ones named, e.g. "ss yaml") with
# -DTW_LIBFUZZER -fsanitize=fuzzer,address,undefined against the sources
# themselves (src/ minus the command-line front end; never the gcc-built
# libtwadvise.a, which has no coverage instrumentation), then runs each for
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
kernel_version port_set yaml"
targets=${*:-$all}

command -v "$cc" >/dev/null || { echo "fuzz-all.sh: $cc not found" >&2; exit 77; }
mkdir -p "$work/obj" "$work/bin"

cflags="-std=c11 -g -O1 -D_GNU_SOURCE -I$srcdir/src -I$srcdir
 -DTW_PKGDATADIR=\"$srcdir\"
 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
 $(pkg-config --cflags yaml-0.1 libmnl)"
libs="$(pkg-config --libs yaml-0.1 libmnl) -lm"

# The library part of src/, instrumented for coverage.
# Everything is rebuilt when any source or header changed since the last
# build (headers are shared, so per-file dates would not do).
stamp=$work/obj/.stamp
rebuild=no
if [ ! -f "$stamp" ] || [ "$0" -nt "$stamp" ] ||
	[ -n "$(find "$srcdir/src" -name '*.[ch]' -newer "$stamp" | head -1)" ]; then
	rebuild=yes
	touch "$stamp.new"
fi
objs=
for c in $(cd "$srcdir" && ls src/*/*.c); do
	o=$work/obj/$(echo "$c" | tr / _ | sed 's/\.c$/.o/')
	if [ $rebuild = yes ] || [ ! -f "$o" ]; then
		# shellcheck disable=SC2086
		$cc $cflags -fsanitize=fuzzer-no-link -c "$srcdir/$c" -o "$o"
	fi
	objs="$objs $o"
done
[ $rebuild = yes ] && mv "$stamp.new" "$stamp"

status=0
cd "$work"   # -jobs=1 leaves fuzz-0.log in the current folder
for t in $targets; do
	bin=$work/bin/fuzz_$t
	# shellcheck disable=SC2086
	$cc $cflags -DTW_LIBFUZZER -fsanitize=fuzzer "$srcdir/tests/fuzz/fuzz_$t.c" $objs \
		$libs -o "$bin"
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
