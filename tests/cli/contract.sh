#!/bin/sh
# SPDX-License-Identifier: MIT
# contract.sh: the shared contract checker (shared/tools/contract-check,
# beside the source tree) on every snapshot of tests/fixtures/snapshots/
# with every shipped profile. Skipped (77) when shared/ is not there.
# Env: TWADVISE, TW_SRCDIR (tests/local.mk sets them).
set -u
here=$(cd "$(dirname "$0")" && pwd)
TW_SRCDIR=${TW_SRCDIR:-$(cd "$here/../.." && pwd)}
TWADVISE=${TWADVISE:-${TW_BUILDDIR:-$TW_SRCDIR}/twadvise}
PY=/usr/bin/python3
CHECK=$TW_SRCDIR/../shared/tools/contract-check
[ -x "$TWADVISE" ] || { echo "contract: no binary at $TWADVISE" >&2; exit 99; }
[ -f "$CHECK" ] || { echo "contract: $CHECK not found; skipped"; exit 77; }
[ -x "$PY" ] || { echo "contract: $PY not found; skipped"; exit 77; }
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
echo "contract: $n snapshot x profile runs passed"
exit 0
