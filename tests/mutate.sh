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
# compile. Your tree is never touched. The list's format is described at
# the top of tests/mutants.list.
#
# Usage: tests/mutate.sh [-k] [-n] [-l LIST] [NAME...]
#   -k       keep the temporary folder (logs under it, one per mutant)
#   -n       dry run: only say which mutants still apply (no build, no check)
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
keep=0 dry=0
while getopts knl: opt; do
	case $opt in
	k) keep=1 ;;
	n) dry=1 ;;
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
# (a git work tree: its files, tracked or not, minus ignored ones; else,
# e.g. an unpacked release, everything but build folders)
if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$top" && git ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
		tar --null -T - -cf -)
else
	tar -C "$top" --exclude='./build*' --exclude='*.o' -cf - .
fi | tar -C "$src" -xf - || { echo "mutate: copying the tree failed" >&2; exit 2; }

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

if [ $dry = 0 ]; then
	echo "mutate: building a copy of $top in $src"
	(cd "$src" && autoreconf -fi && mkdir -p b && cd b && ../configure -q --enable-werror &&
		make -j"$jobs") >"$logs/build.log" 2>&1 || { tail -n 30 "$logs/build.log" >&2; echo "mutate: the copy does not build" >&2; exit 2; }

	echo "mutate: baseline make check"
	if ! check "$logs/baseline.log"; then
		echo "mutate: make check fails without any mutant: $(failed_tests "$logs/baseline.log")" >&2
		keep=1
		exit 2
	fi
fi

# --- the mutants ---------------------------------------------------------
killed=0 survived=0 stale=0 nobuild=0 applies=0
survivors=

# run_mutant NAME FILES WHAT SCRIPT...: one mutant (FILES: paths separated
# by newlines; the scripts are applied to each that exists), one line.
run_mutant() {
	local name=$1 files=$2 what=$3 sedargs=() s rc f n=0 changed=()
	shift 3
	for s in "$@"; do sedargs+=(-e "$s"); done
	while IFS= read -r f; do
		[ -f "$src/$f" ] || continue
		n=$((n + 1))
		cp -p "$src/$f" "$work/orig.$n"
		if ! sed "${sedargs[@]}" "$work/orig.$n" >"$src/$f"; then
			cp -p "$work/orig.$n" "$src/$f"
			echo "STALE    $name: sed failed on $f"; stale=$((stale + 1)); restore; return
		fi
		if cmp -s "$work/orig.$n" "$src/$f"; then
			cp -p "$work/orig.$n" "$src/$f"
		else
			changed+=("$n:$f")
			diff -u "$work/orig.$n" "$src/$f" >>"$logs/$name.diff"
		fi
	done <<<"$files"
	if [ ${#changed[@]} = 0 ]; then
		echo "STALE    $name: the sed scripts change nothing in $(echo $files)"; stale=$((stale + 1)); return
	fi
	if [ $dry = 1 ]; then
		echo "APPLIES  $name: ${changed[*]#*:}"
		applies=$((applies + 1))
		restore
		return
	fi
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
	restore
}

# restore: puts the changed files back, newer than the objects built from
# the mutant so that the next build recompiles them.
restore() {
	local c
	for c in "${changed[@]}"; do
		cp "$work/orig.${c%%:*}" "$src/${c#*:}"
		touch "$src/${c#*:}"
	done
	changed=()
}

only="$*"
name= files= what= scripts=()
flush() {
	if [ -n "$name" ]; then
		if [ -z "$only" ] || printf ' %s ' "$only" | grep -q " $name "; then
			if [ -z "$files" ] || [ ${#scripts[@]} = 0 ]; then
				echo "STALE    $name: no file or sed line in $list"; stale=$((stale + 1))
			else
				run_mutant "$name" "$files" "$what" "${scripts[@]}" </dev/null
			fi
		fi
	fi
	name= files= what= scripts=()
}
# The list is read from a copy on descriptor 3 and every mutant runs with
# stdin from /dev/null: a test reading stdin, or an edit of the list during
# a run, cannot eat mutants.
cp "$list" "$work/mutants.list"
while IFS= read -r line <&3 || [ -n "$line" ]; do
	case $line in
	'#'* | '') continue ;;
	'mutant '*) flush; name=${line#mutant } ;;
	'file '*) files="${files:+$files
}${line#file }" ;;
	'sed '*) scripts+=("${line#sed }") ;;
	'what '*) what=${line#what } ;;
	*) echo "mutate: $list: cannot read line: $line" >&2; exit 2 ;;
	esac
done 3<"$work/mutants.list"
flush
if [ $dry = 1 ]; then
	echo "$applies apply, $stale stale"
else
	echo "$killed killed, $survived survived, $stale stale, $nobuild nobuild${survivors:+ (survivors:$survivors)}"
fi
[ $survived = 0 ] && [ $stale = 0 ] && [ $nobuild = 0 ]
