#!/bin/sh
# SPDX-License-Identifier: MIT
# validate-all.sh: --validate reports every independent error of a rule
# file, each as FILE:LINE:COL, not only the first; exit 1.
# The positions are found in the file by python, not taken from twadvise.
# Env: TWADVISE, TW_SRCDIR (tests/local.mk sets them).
set -u
LC_ALL=C
export LC_ALL
here=$(cd "$(dirname "$0")" && pwd)
TW_SRCDIR=${TW_SRCDIR:-$(cd "$here/../.." && pwd)}
TWADVISE=${TWADVISE:-${TW_BUILDDIR:-$TW_SRCDIR}/twadvise}
cd "$TW_SRCDIR" || exit 1
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
f=tests/fixtures/bad-multi/three-errors.yaml

# Where each defect is: the severity's value, the unknown key, the
# sysctl value that is not on the allow-list.
python3 - "$f" >"$tmp/want" <<'PY'
import sys
path = sys.argv[1]
lines = open(path).read().split("\n")
def at(prefix, value=True):
    for i, l in enumerate(lines, 1):
        s = l.lstrip(" -")
        if s.startswith(prefix):
            col = l.index(prefix) + 1
            if value:
                col = l.index(":", col - 1) + 2
                while l[col - 1] == " ":
                    col += 1
            return "%s:%d:%d:" % (path, i, col)
    sys.exit("not found: " + prefix)
print(at("severity:"))
print(at("colour:", value=False))
print(at("sysctl: kernel."))
PY
[ "$(wc -l <"$tmp/want")" -eq 3 ] || { echo "FAIL: python found no three positions"; exit 1; }

"$TWADVISE" --site-dir /nonexistent --data-dir . --validate "$f" >"$tmp/out" 2>"$tmp/err" </dev/null
rc=$?
fail=0
[ $rc -eq 1 ] || { echo "FAIL: exit $rc, expected 1"; fail=1; }
grep "^$f:" "$tmp/err" | sed 's/^\([^:]*:[0-9]*:[0-9]*:\).*/\1/' | sort >"$tmp/got"
sort "$tmp/want" >"$tmp/want.sorted"
if ! cmp -s "$tmp/got" "$tmp/want.sorted"; then
	echo "FAIL: positions differ (want, then got):"; cat "$tmp/want.sorted" "$tmp/got"; cat "$tmp/err"
	fail=1
fi
grep -q "severity must be info, warning or critical" "$tmp/err" || { echo "FAIL: no severity error"; fail=1; }
grep -q "unknown key 'colour'" "$tmp/err" || { echo "FAIL: no unknown-key error"; fail=1; }
grep -q "kernel.core_pattern: not on" "$tmp/err" || { echo "FAIL: no allow-list error"; fail=1; }
grep -qx "twadvise: 3 error(s)" "$tmp/err" || { echo "FAIL: the count is not 3"; cat "$tmp/err"; fail=1; }
# A profile: unknown key, a threshold that is no number, a setting off
# the allow-list.
p=tests/fixtures/bad-multi/profile-errors.yaml
python3 - "$p" >"$tmp/pwant" <<'PY'
import sys
path = sys.argv[1]
lines = open(path).read().split("\n")
out = []
for i, l in enumerate(lines, 1):
    if l.startswith("colour:"):
        out.append("%s:%d:1:" % (path, i))
    if "utilization_warning:" in l:
        out.append("%s:%d:%d:" % (path, i, l.index("lots") + 1))
    if "kernel.core_pattern:" in l:
        out.append("%s:%d:%d:" % (path, i, l.index("kernel") + 1))
print("\n".join(out))
PY
"$TWADVISE" --site-dir /nonexistent --data-dir . --validate "$p" >"$tmp/out" 2>"$tmp/err" </dev/null
rc=$?
[ $rc -eq 1 ] || { echo "FAIL: profile: exit $rc, expected 1"; fail=1; }
# In file order, one line each.
grep "^$p:" "$tmp/err" | sed 's/^\([^:]*:[0-9]*:[0-9]*:\).*/\1/' >"$tmp/pgot"
cmp -s "$tmp/pgot" "$tmp/pwant" || { echo "FAIL: profile positions (want, got):"; cat "$tmp/pwant" "$tmp/pgot" "$tmp/err"; fail=1; }
grep -qx "twadvise: 3 error(s)" "$tmp/err" || { echo "FAIL: profile: the count is not 3"; fail=1; }

# Loading for an analysis still stops at the file's first error.
mkdir -p "$tmp/data" && cp -R rules profiles "$tmp/data/" && cp "$f" "$tmp/data/rules/"
"$TWADVISE" --site-dir /nonexistent --data-dir "$tmp/data" --snapshot tests/fixtures/snapshots/basic \
	--format json >/dev/null 2>"$tmp/err2" </dev/null
rc=$?
[ $rc -eq 1 ] && grep -q "three-errors.yaml:" "$tmp/err2" || { echo "FAIL: analysis with the file: exit $rc"; fail=1; }
[ $fail -eq 0 ] && echo "ok: three errors, three lines"
exit $fail
