#!/bin/sh
# SPDX-License-Identifier: MIT
# run-corpus.sh: replays every fuzz target over its seed corpus.
#
# Each target tests/fuzz/fuzz_NAME (built by gcc in standalone mode, see
# fuzz_common.h) runs over tests/fuzz/corpus/NAME/; a crash, an abort()
# on a broken invariant or a sanitizer report fails the test. With
# TW_FUZZ_VALGRIND=1 each target runs under valgrind. Environment from
# tests/local.mk: TW_SRCDIR, TW_BUILDDIR (defaults: this script's tree
# and the current folder).
set -u
srcdir=${TW_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${TW_BUILDDIR:-.}
wrap=
if [ "${TW_FUZZ_VALGRIND:-0}" = 1 ]; then
	wrap="valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite"
fi

targets="expr sysctld sysctl_a ss proc_counters memory conntrack nft proc_net_tcp
sockdiag kernel_version port_set yaml archive"
fail=0
for t in $targets; do
	bin=$builddir/tests/fuzz/fuzz_$t
	corpus=$srcdir/tests/fuzz/corpus/$t
	if [ ! -x "$bin" ]; then
		echo "FAIL: $t: $bin not built"
		fail=1
		continue
	fi
	if [ ! -d "$corpus" ]; then
		echo "FAIL: $t: no corpus $corpus"
		fail=1
		continue
	fi
	n=$(ls "$corpus" | wc -l)
	# Files, not the folder: fuzz_sysctld's main() takes files only.
	if $wrap "$bin" "$corpus"/* >/dev/null; then
		echo "ok: $t ($n inputs)"
	else
		echo "FAIL: $t (exit $?) over $corpus"
		fail=1
	fi
done
exit $fail
