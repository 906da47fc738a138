#!/bin/sh
# SPDX-License-Identifier: MIT
# contract.sh: the contract checker (tests/contract/tools/contract-check,
# vendored; or $TW_CONTRACT_CHECK) on every snapshot of
# tests/fixtures/snapshots/ with every shipped profile. Skipped (77) when
# the checker, python3 or python3-jsonschema is missing, except in CI
# (CI=true), where a skip would hide the check: there it fails.
# Env: TWADVISE, TW_SRCDIR (tests/local.mk sets them), TW_CONTRACT_CHECK, CI.
set -u
here=$(cd "$(dirname "$0")" && pwd)
TW_SRCDIR=${TW_SRCDIR:-$(cd "$here/../.." && pwd)}
TWADVISE=${TWADVISE:-${TW_BUILDDIR:-$TW_SRCDIR}/twadvise}
PY=/usr/bin/python3
CHECK=${TW_CONTRACT_CHECK:-$TW_SRCDIR/tests/contract/tools/contract-check}

# missing WHAT: skip outside CI, fail in CI.
missing() {
	if [ "${CI:-}" = true ]; then
		echo "contract: $1 (CI=true: failing instead of skipping)" >&2
		exit 1
	fi
	echo "contract: $1; skipped"
	exit 77
}
[ -x "$TWADVISE" ] || { echo "contract: no binary at $TWADVISE" >&2; exit 99; }
[ -f "$CHECK" ] || missing "$CHECK not found"
[ -x "$PY" ] || missing "$PY not found"
# Without python3-jsonschema the checker falls back to a few key checks.
"$PY" -c 'import jsonschema' 2>/dev/null || missing "python3-jsonschema not installed"
cd "$TW_SRCDIR" || exit 99
fail=0
n=0
for d in tests/fixtures/snapshots/*/; do
	d=${d%/}
	for p in profiles/*.yaml; do
		p=$(basename "$p" .yaml)
		n=$((n + 1))
		if ! out=$("$PY" "$CHECK" "$TWADVISE" "$d" "$p" 2>&1 </dev/null); then
			echo "FAIL contract-check $d $p:"
			echo "$out" | sed 's/^/    /'
			fail=1
		fi
	done
done
if [ $fail != 0 ]; then
	echo "contract: FAILED"
	exit 1
fi
[ $n -gt 0 ] || { echo "contract: no snapshot x profile to check in $TW_SRCDIR" >&2; exit 99; }
echo "contract: $n snapshot x profile runs passed"
exit 0
