#!/bin/bash
# SPDX-License-Identifier: MIT
# completion.sh: contrib/bash-completion/twadvise completes options, their
# fixed values, and profile names and rule ids asked from twadvise itself
# (compared with --list-profiles and --list-rules). Skipped (77) without
# the bash-completion package.
set -u
srcdir=${TW_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
tw_bin=${TWADVISE:-$srcdir/twadvise}
bc=/usr/share/bash-completion/bash_completion
[ -r "$bc" ] || { echo "bash-completion is not installed: skipped"; exit 77; }
# shellcheck disable=SC1090
source "$bc"
# shellcheck disable=SC1091
source "$srcdir/contrib/bash-completion/twadvise"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/twadvise-compl.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
# "twadvise" on PATH is the binary under test (the completion calls it).
ln -s "$tw_bin" "$tmp/twadvise"
PATH=$tmp:$PATH
cd "$tmp" || exit 99   # no stray files for _filedir
fail=0
complete_words() {
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_twadvise twadvise "${COMP_WORDS[-1]}" "${COMP_WORDS[-2]}"
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
}
expect() {	# expect WANT WORDS...
	local want=$1 got
	shift
	got=$(complete_words "$@")
	if [ "$got" = "$want" ]; then echo "ok: $* -> $got"; else echo "FAIL: $* -> '$got', want '$want'"; fail=1; fi
}
expect "--format " twadvise --form
expect "prometheus " twadvise --format pr
expect "critical " twadvise --fail-on c
expect "always auto " twadvise --color a
expect "$("$tw_bin" --list-profiles | awk '/^[^ ]/ && $1 ~ /^l/ { print $1 }' | sort | tr '\n' ' ')" \
	twadvise --profile l
expect "$("$tw_bin" --list-rules | awk '$1 ~ /^tw-re/ { print $1 }' | sort | tr '\n' ' ')" \
	twadvise --explain tw-re
exit $fail
