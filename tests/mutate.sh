#!/bin/bash
# SPDX-License-Identifier: MIT
# mutate.sh: mutation testing, run by hand (not in CI; it takes one full
# `make check` per mutant). Copies the tree (tracked and untracked files,
# as they are in the working tree) into a temporary folder, builds it once
# and checks that `make check` passes there, then applies each mutant of
# tests/mutants.list alone, rebuilds, runs `make check`, and restores the
# file. A mutant is KILLED when make check fails, SURVIVED when it passes
# (a bug no test catches), STALE when its sed scripts change nothing (the
# code moved: update the list), NOBUILD when the mutated tree does not
# compile. Your tree is never touched.
#
# Usage: tests/mutate.sh [-k] [-l LIST] [NAME...]
#   -k       keep the temporary folder (logs under it, one per mutant)
#   -l LIST  another mutant list (default tests/mutants.list)
#   NAME...  only these mutants
# Env: MUTATE_JOBS (make -j, default 2), MUTATE_TIMEOUT (seconds per
# make check, default 1800), MUTATE_TESTS (passed as TESTS= to make check,
# to run a subset), TMPDIR.
# Prints one line per mutant and "N killed, N survived, N stale, N nobuild";
# exits 0 when every mutant was killed, 1 otherwise, 2 on a setup error.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
list=$top/tests/mutants.list
keep=0
while getopts kl: opt; do
	case $opt in
	k) keep=1 ;;
	l) list=$OPTARG ;;
	*) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
jobs=${MUTATE_JOBS:-2}
limit=${MUTATE_TIMEOUT:-1800}
[ -r "$list" ] || { echo "mutate: cannot read $list" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/twmutate.XXXXXX") || exit 2
cleanup() {
	if [ $keep = 1 ]; then echo "mutate: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP
src=$work/src
logs=$work/logs
mkdir -p "$src" "$logs"

# --- the copy, built once --------------------------------------------------
(cd "$top" && git ls-files -z --cached --others --exclude-standard |
	while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
	tar --null -T - -cf -) | tar -C "$src" -xf - || { echo "mutate: copying the tree failed" >&2; exit 2; }
echo "mutate: building a copy of $top in $src"
(cd "$src" && autoreconf -fi && mkdir -p b && cd b && ../configure -q --enable-werror &&
	make -j"$jobs") >"$logs/build.log" 2>&1 || { tail -n 30 "$logs/build.log" >&2; echo "mutate: the copy does not build" >&2; exit 2; }

# check LOG: make check in the copy; its status.
check() {
	local args=()
	[ -n "${MUTATE_TESTS:-}" ] && args=("TESTS=$MUTATE_TESTS")
	timeout "$limit" make -C "$src/b" -j"$jobs" check "${args[@]}" >"$1" 2>&1
}

# failed_tests LOG: the tests make check reported as failing.
failed_tests() {
	grep -E '^(FAIL|XPASS|ERROR): ' "$1" | sed 's/^[A-Z]*: //; s/ .*//' | sort -u | tr '\n' ' '
}

echo "mutate: baseline make check"
if ! check "$logs/baseline.log"; then
	echo "mutate: make check fails without any mutant: $(failed_tests "$logs/baseline.log")" >&2
	keep=1
	exit 2
fi

# --- the mutants ---------------------------------------------------------
killed=0 survived=0 stale=0 nobuild=0
survivors=

# run_mutant NAME FILE WHAT SCRIPT...: one mutant, reported on one line.
run_mutant() {
	local name=$1 file=$2 what=$3 sedargs=() s rc
	shift 3
	[ -f "$src/$file" ] || { echo "STALE    $name: no file $file"; stale=$((stale + 1)); return; }
	for s in "$@"; do sedargs+=(-e "$s"); done
	cp -p "$src/$file" "$work/orig"
	if ! sed "${sedargs[@]}" "$work/orig" >"$src/$file"; then
		cp "$work/orig" "$src/$file"
		echo "STALE    $name: sed failed on $file"; stale=$((stale + 1)); return
	fi
	if cmp -s "$work/orig" "$src/$file"; then
		cp "$work/orig" "$src/$file"
		echo "STALE    $name: the sed scripts change nothing in $file"; stale=$((stale + 1)); return
	fi
	diff -u "$work/orig" "$src/$file" >"$logs/$name.diff"
	if ! make -C "$src/b" -j"$jobs" >"$logs/$name.build.log" 2>&1; then
		echo "NOBUILD  $name: see $logs/$name.build.log"; nobuild=$((nobuild + 1))
	else
		check "$logs/$name.log"
		rc=$?
		if [ $rc = 0 ]; then
			echo "SURVIVED $name: $what"
			survived=$((survived + 1)); survivors="$survivors $name"
		elif [ $rc = 124 ]; then
			echo "KILLED   $name (make check timed out after ${limit} s)"; killed=$((killed + 1))
		else
			echo "KILLED   $name by: $(failed_tests "$logs/$name.log")"; killed=$((killed + 1))
		fi
	fi
	# put the file back, newer than the objects built from the mutant
	cp "$work/orig" "$src/$file"
	touch "$src/$file"
}

only="$*"
name= file= what= scripts=()
flush() {
	if [ -n "$name" ]; then
		if [ -z "$only" ] || printf ' %s ' "$only" | grep -q " $name "; then
			if [ -z "$file" ] || [ ${#scripts[@]} = 0 ]; then
				echo "STALE    $name: no file or sed line in $list"; stale=$((stale + 1))
			else
				run_mutant "$name" "$file" "$what" "${scripts[@]}"
			fi
		fi
	fi
	name= file= what= scripts=()
}
while IFS= read -r line || [ -n "$line" ]; do
	case $line in
	'#'* | '') continue ;;
	'mutant '*) flush; name=${line#mutant } ;;
	'file '*) file=${line#file } ;;
	'sed '*) scripts+=("${line#sed }") ;;
	'what '*) what=${line#what } ;;
	*) echo "mutate: $list: cannot read line: $line" >&2; exit 2 ;;
	esac
done <"$list"
flush
echo "$killed killed, $survived survived, $stale stale, $nobuild nobuild${survivors:+ (survivors:$survivors)}"
[ $survived = 0 ] && [ $stale = 0 ] && [ $nobuild = 0 ]
