#!/bin/bash
# test.sh: install what is missing, build, and run the whole test suite:
#   1. make check (unit, namespace, contract and CLI tests) with -Werror
#   2. the same suite built with clang (-Werror): nothing gcc-only, and
#      clang evaluates function arguments in another order than gcc
#   3. the same suite built with AddressSanitizer + UBSan
#   4. the unit tests and a snapshot analysis under Valgrind
#   5. make distcheck
# Prints one summary line "N passed, M failed" (tests of the suites plus
# one per other step) and exits non-zero on any failure.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
"$top/scripts/deps.sh" || exit 1
passed=0 failed=0
# step NAME COMMAND...: run, show the tail on failure. A step that runs an
# automake test suite counts its tests (PASS, FAIL + ERROR); any other
# step counts as one test.
step() {
	local name=$1 log rc p f
	shift
	log=$(mktemp)
	"$@" >"$log" 2>&1
	rc=$?
	if [ $rc = 0 ]; then echo "ok   $name"; else echo "FAIL $name"; tail -n 60 "$log"; fi
	if grep -q '^# TOTAL:' "$log"; then
		grep -E '^# (TOTAL|PASS|SKIP|FAIL|ERROR):' "$log" | sed 's/^/       /'
		p=$(awk '/^# PASS:/ { n += $3 } END { print n + 0 }' "$log")
		f=$(awk '/^# (FAIL|ERROR|XPASS):/ { n += $3 } END { print n + 0 }' "$log")
		[ $rc != 0 ] && [ "$f" = 0 ] && f=1
		passed=$((passed + p)); failed=$((failed + f))
	elif [ $rc = 0 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
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
step "build with clang (-Werror)" env CC=clang scripts/build.sh build-clang
step "make check (clang)" make -C build-clang check
step "build with ASan+UBSan" scripts/build.sh build-asan \
	CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
step "make check under ASan+UBSan" env ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 make -C build-asan check
step "valgrind" valgrind_all
step "make distcheck" make -C build distcheck
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
