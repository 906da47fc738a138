#!/bin/bash
# SPDX-License-Identifier: MIT
# test.sh: install what is missing, build, and run the whole test suite:
#   1. make check (unit, namespace, contract and CLI tests) with -Werror
#   2. the same suite built with clang (-Werror): nothing gcc-only, and
#      clang evaluates function arguments in another order than gcc
#   3. the same suite built with AddressSanitizer + UBSan
#   4. the unit tests and a snapshot analysis under Valgrind
#   5. the benchmarks at small sizes (they must run; figures not asserted)
#   6. make distcheck
#   7. the Debian package: built from the release tarball with
#      dpkg-buildpackage, lintian-clean (no error or warning), installed,
#      run (--version and one snapshot analysis), purged
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
		# ss-tan.txt split on a second thread (src/collect/ss_reader.c)
		TWADVISE_SS_PARSE=pipelined valgrind -q --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite build/twadvise --snapshot "$s" --format json \
			>/dev/null || { echo "valgrind: $s pipelined"; rc=1; }
	done
	return $rc
}
# The Debian package, from the tarball `make dist` makes (what a
# distribution would start from). The suite already ran in step 1, so
# the package build skips it (nocheck).
debian_package() {
	local tmp rc=0 out
	tmp=$(mktemp -d) || return 1
	make -C build dist >/dev/null &&
		tar -xzf build/twadvise-*.tar.gz -C "$tmp" || { rm -rf "$tmp"; return 1; }
	(cd "$tmp"/twadvise-*/ && DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" \
		dpkg-buildpackage -us -uc) || { echo "dpkg-buildpackage failed"; rm -rf "$tmp"; return 1; }
	lintian --fail-on error,warning "$tmp"/twadvise_*.changes || { echo "lintian"; rc=1; }
	if dpkg -i "$tmp"/twadvise_*_*.deb; then
		/usr/bin/twadvise --version | head -n 1 | grep -qx "twadvise [0-9][0-9.]*" ||
			{ echo "installed --version"; rc=1; }
		# Uses the installed rules and profiles (/usr/share/twadvise).
		out=$(/usr/bin/twadvise --snapshot tests/fixtures/snapshots/client-heavy --format json) &&
			echo "$out" | python3 -c 'import json, sys
d = json.load(sys.stdin)
ids = [f["id"] for f in d["findings"]]
assert d["profile"] == "client-heavy", d["profile"]
assert "client-ports-exhausted" in ids, ids' || { echo "installed snapshot analysis"; rc=1; }
		dpkg -P twadvise || rc=1
		for f in /usr/bin/twadvise /usr/share/twadvise /etc/twadvise; do
			[ ! -e "$f" ] || { echo "left after purge: $f"; rc=1; }
		done
	else
		echo "dpkg -i failed"
		rc=1
	fi
	rm -rf "$tmp"
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
step "benchmarks at small sizes (figures printed, not asserted)" \
	make -C build bench BENCH_N=2000 BENCH_ROUNDS=1
step "make distcheck" make -C build distcheck
step "Debian package (build, lintian, install, run, purge)" debian_package
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
