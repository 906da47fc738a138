#!/bin/sh
# SPDX-License-Identifier: MIT
# docs-references.sh: every reference of a shipped rule that cites the
# project's knowledge page ("doc/kernel-facts.md: SECTION") names a
# section of doc/kernel-facts.md. A section is named by its heading, or by
# the part of the heading before ": "; a reference may name several
# ("A, B"), numbered ones together ("Expert consensus 3 and 6"), and add a
# note in parentheses ("Capacity (IP_BIND_ADDRESS_NO_PORT)").
# References still written "KERNEL-FACTS.md: SECTION" (the development
# notes, which users do not have) are resolved the same way and reported;
# set STRICT_PREFIX=1 below once every rule cites doc/kernel-facts.md.
set -eu
STRICT_PREFIX=1
srcdir=${TW_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
command -v python3 >/dev/null 2>&1 || { echo "python3 missing: skipped"; exit 77; }
exec python3 - "$srcdir" "$STRICT_PREFIX" <<'PY'
import glob, os, re, sys
top, strict = sys.argv[1], sys.argv[2] == "1"
page = os.path.join(top, "doc", "kernel-facts.md")
names = set()
for line in open(page, encoding="utf-8"):
    m = re.match(r"^#{2,4} (.+?)\s*$", line)
    if m:
        h = m.group(1)
        names.add(h)
        if ": " in h:
            names.add(h.split(": ", 1)[0])
def parts(section):
    out = []
    for p in section.split(", "):
        p = re.sub(r"\s*\(.*\)$", "", p.strip())
        m = re.match(r"^(.*?)(\d+) and (\d+)$", p)
        out += [m.group(1) + m.group(2), m.group(1) + m.group(3)] if m else [p]
    return out
bad = old = checked = 0
for f in sorted(glob.glob(os.path.join(top, "rules", "*.yaml"))):
    for n, line in enumerate(open(f, encoding="utf-8"), 1):
        m = re.search(r'"?(doc/kernel-facts\.md|KERNEL-FACTS\.md): (.+?)"?\s*$', line)
        if not m:
            continue
        where = "%s:%d" % (os.path.relpath(f, top), n)
        if m.group(1) == "KERNEL-FACTS.md":
            old += 1
            if strict:
                print("FAIL %s: cites KERNEL-FACTS.md; cite doc/kernel-facts.md" % where)
                bad += 1
        for p in parts(m.group(2)):
            checked += 1
            if p not in names:
                print("FAIL %s: no section '%s' in doc/kernel-facts.md" % (where, p))
                bad += 1
if old and not strict:
    print("note: %d references still cite KERNEL-FACTS.md (resolved against doc/kernel-facts.md)" % old)
if checked == 0:
    print("FAIL: no rule cites doc/kernel-facts.md")
    bad += 1
print("%d section references checked, %d bad" % (checked, bad))
sys.exit(1 if bad else 0)
PY
