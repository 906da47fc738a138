#!/bin/bash
# test.sh: install what is missing, build, and run the whole test suite:
#   1. make check (unit, namespace, contract and CLI tests) with -Werror
#   2. the same suite built with AddressSanitizer + UBSan
#   3. the unit tests and a snapshot analysis under Valgrind
#   4. make distcheck
# Prints one summary line "N passed, M failed" and exits non-zero on any failure.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
"$top/scripts/deps.sh" || exit 1
passed=0 failed=0
step() {  # step NAME COMMAND...: run, record, show the tail on failure
	local name=$1 log
	shift
	log=$(mktemp)
	if "$@" >"$log" 2>&1; then
		passed=$((passed + 1)); echo "ok   $name"
	else
		failed=$((failed + 1)); echo "FAIL $name"; tail -n 60 "$log"
	fi
	grep -E '^# (TOTAL|PASS|SKIP|FAIL|ERROR):' "$log" | sed 's/^/       /'
	rm -f "$log"
}
valgrind_all() {
	local rc=0 t
	for t in build/tests/unit/test_*; do
		[ -x "$t" ] || continue
		valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
			"$t" >/dev/null 2>"$t.vg.log" || { echo "valgrind: $t"; cat "$t.vg.log"; rc=1; }
	done
	for s in tests/fixtures/snapshots/*/; do
		for f in text json; do
			valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
				build/twadvise --snapshot "$s" --format $f >/dev/null || { echo "valgrind: $s $f"; rc=1; }
		done
	done
	return $rc
}
step "build (-Werror)" scripts/build.sh build
step "make check" make -C build check
step "build with ASan+UBSan" scripts/build.sh build-asan \
	CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
step "make check under ASan+UBSan" env ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 make -C build-asan check
step "valgrind" valgrind_all
step "make distcheck" make -C build distcheck
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
