#!/bin/sh
# SPDX-License-Identifier: MIT
# k8s.sh: --format k8s on every scenario is YAML whose
# securityContext.sysctls holds exactly the plan's items that the kubelet
# accepts by default (judged here from the test's own copy of the safe
# set, kernel requirements included), the unsafe items appear as comments
# naming --allowed-unsafe-sysctls, node-level items as comments, and no
# other key appears. A kernel older than 3.16 turns
# ip_local_reserved_ports unsafe. --diff refuses the format; --output
# writes the YAML (and, with --format html, the page). Needs python3 with PyYAML (Debian python3-yaml).
set -u
srcdir=${TW_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
tw_bin=${TWADVISE:-$srcdir/twadvise}
python3 -c 'import yaml' 2>/dev/null || { echo "python3-yaml is not installed: skipped"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/twadvise-k8s.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0 n=0
bad() { echo "FAIL $*"; fail=1; }
# The HTML page carries its generation time: pin it, or two runs that
# straddle a second (likely under ASan) differ.
SOURCE_DATE_EPOCH=1764633600; export SOURCE_DATE_EPOCH
tw() { "$tw_bin" --site-dir /nonexistent --data-dir "$srcdir" "$@" </dev/null; }

check() {  # NAME SNAPSHOT
	tw --snapshot "$2" --format k8s >"$tmp/$1.yaml" 2>"$tmp/err" || { bad "$1: exit $?: $(cat "$tmp/err")"; return; }
	tw --snapshot "$2" --format json >"$tmp/$1.json" 2>/dev/null || { bad "$1: json failed"; return; }
	python3 - "$tmp/$1.yaml" "$tmp/$1.json" "$1" <<'PY' || fail=1
import json, re, sys, yaml
text = open(sys.argv[1]).read()
doc = json.load(open(sys.argv[2]))
name = sys.argv[3]
# The kubelet's safe set (kubernetes pkg/kubelet/sysctl/safe_sysctls.go,
# kernel version requirements page): key -> minimum kernel.
SAFE = {"net.ipv4.ip_local_port_range": (0, 0), "net.ipv4.ip_unprivileged_port_start": (0, 0),
        "net.ipv4.ip_local_reserved_ports": (3, 16), "net.ipv4.tcp_fin_timeout": (4, 6)}
NODE = {"net.netfilter.nf_conntrack_max"}
m = re.match(r"(\d+)\.(\d+)", doc["kernel"] or "")
kernel = (int(m.group(1)), int(m.group(2))) if m else (99, 0)
want_safe, want_unsafe, want_node = [], [], []
for it in doc["plan"]:
    k, v = it["sysctl"], it["value"]
    if k in NODE:
        want_node.append((k, v))
    elif k in SAFE and kernel >= SAFE[k]:
        want_safe.append((k, v))
    else:
        want_unsafe.append((k, v))
y = yaml.safe_load(text)
got = [(e["name"], e["value"]) for e in (y["securityContext"]["sysctls"] or [])]
errs = []
if set(y.keys()) != {"securityContext"} or set(y["securityContext"].keys()) != {"sysctls"}:
    errs.append("unexpected keys: %r" % y)
if got != want_safe:
    errs.append("sysctls %r, want %r" % (got, want_safe))
for e in got:
    if not isinstance(e[1], str):
        errs.append("value not a string: %r" % (e,))
comments = "\n".join(l for l in text.splitlines() if l.startswith("#"))
if want_unsafe:
    m = re.search(r"--allowed-unsafe-sysctls=(\S+)", comments)
    flag = m.group(1).split(",") if m else []
    if flag != [k for k, _ in want_unsafe]:
        errs.append("kubelet flag names %r, want %r" % (flag, [k for k, _ in want_unsafe]))
    for k, v in want_unsafe:
        if "#  - name: %s\n#    value: \"%s\"" % (k, v) not in text:
            errs.append("unsafe %s=%s not offered as a comment" % (k, v))
elif "--allowed-unsafe-sysctls" in text:
    errs.append("names the unsafe flag with no unsafe item")
for k, v in want_node:
    if "#   %s = %s" % (k, v) not in text:
        errs.append("node-level %s not listed" % k)
if not doc["plan"] and "no changes recommended" not in text:
    errs.append("an empty plan is not said")
for e in errs:
    print("FAIL %s: %s" % (name, e))
sys.exit(1 if errs else 0)
PY
	n=$((n + 1))
}

for d in "$srcdir"/tests/fixtures/snapshots/*/; do
	check "$(basename "$d")" "$d"
done

# A 3.10 kernel does not namespace ip_local_reserved_ports: the kubelet
# drops it from the safe set, so it must move to the unsafe comments.
cp -R "$srcdir/tests/fixtures/snapshots/privileged-range" "$tmp/old-reserved"
echo "3.10.0-1160.el7.x86_64" >"$tmp/old-reserved/uname-r.txt"
check old-reserved "$tmp/old-reserved"
grep -q '^#  - name: net.ipv4.ip_local_reserved_ports' "$tmp/old-reserved.yaml" ||
	bad "old-reserved: ip_local_reserved_ports not moved to the unsafe comments"

# --output writes the YAML (atomically, as every output); --diff refuses it.
snap="$srcdir/tests/fixtures/snapshots/client-heavy"
tw --snapshot "$snap" --format k8s --output "$tmp/pod.yaml" >"$tmp/stdout" 2>"$tmp/err" || bad "--output: exit $?"
tw --snapshot "$snap" --format k8s >"$tmp/pod-stdout.yaml" 2>/dev/null
cmp -s "$tmp/pod.yaml" "$tmp/pod-stdout.yaml" || bad "--output did not write the k8s document"
[ -s "$tmp/stdout" ] && bad "--output also printed the document"
tw --snapshot "$snap" --format k8s --output "$tmp/pod.yaml" --diff >/dev/null 2>"$tmp/err"
rc=$?
[ "$rc" = 1 ] && grep -q "not with --format k8s" "$tmp/err" || bad "--diff with k8s: exit $rc, $(cat "$tmp/err")"

# The same holds for the HTML page: --output writes it, --diff refuses it.
tw --snapshot "$snap" --format html --output "$tmp/page.html" >"$tmp/stdout" 2>/dev/null || bad "html --output: exit $?"
tw --snapshot "$snap" --format html >"$tmp/page-stdout.html" 2>/dev/null
cmp -s "$tmp/page.html" "$tmp/page-stdout.html" || bad "html --output did not write the page"
[ -s "$tmp/stdout" ] && bad "html --output also printed the page"
tw --snapshot "$snap" --format html --output "$tmp/page.html" --diff >/dev/null 2>&1 && bad "--diff with html accepted"

echo "k8s: $n documents checked"
exit $fail
