#!/bin/sh
# SPDX-License-Identifier: MIT
# invariants.sh: the contract's invariants, for every shipped profile on
# every snapshot of tests/fixtures/snapshots/:
#  1. the fragment never sets net.ipv4.tcp_tw_recycle to anything but 0;
#  2. every key of the fragment exists in that snapshot's sysctl-a.txt;
#  3. if the fragment sets ip_local_port_range L H, every LISTEN port of
#     ss-tan.txt within [L, H] is in the fragment's (or else the current)
#     ip_local_reserved_ports;
#  4. --check exits 0 or 2, and 2 exactly when a non-acknowledged finding
#     at warning or above recommends a change (per the JSON);
#  5. two runs give byte-identical fragments, equal to the JSON sysctl_d;
#  6. tcp_max_tw_buckets and nf_conntrack_max are never recommended lower
#     than their current value.
# Env: TWADVISE, TW_SRCDIR (tests/local.mk sets them).
set -u
here=$(cd "$(dirname "$0")" && pwd)
TW_SRCDIR=${TW_SRCDIR:-$(cd "$here/../.." && pwd)}
TWADVISE=${TWADVISE:-${TW_BUILDDIR:-$TW_SRCDIR}/twadvise}
PY=/usr/bin/python3
[ -x "$TWADVISE" ] || { echo "invariants: no binary at $TWADVISE" >&2; exit 99; }
[ -x "$PY" ] || { echo "invariants: $PY not found; skipped" >&2; exit 77; }
cd "$TW_SRCDIR" || exit 99
exec "$PY" - "$TWADVISE" <<'EOF'
import glob, json, os, subprocess, sys

BIN = sys.argv[1]
fails, ok = [], 0

def run(*args):
    return subprocess.run([BIN, "--site-dir", "/nonexistent", "--data-dir", ".", *args],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)

def ports(spec):
    out = set()
    for part in (spec or "").replace(" ", ",").split(","):
        if not part:
            continue
        lo, _, hi = part.partition("-")
        out.update(range(int(lo), int(hi or lo) + 1))
    return out

def fragment_keys(text):
    kv = {}
    for line in text.splitlines():
        s = line.strip()
        if not s or s[0] in "#;":
            continue
        k, sep, v = s.partition("=")
        assert sep, "fragment line without '=': %r" % line
        kv[k.strip()] = " ".join(v.split())
    return kv

def snapshot(d):
    sysctl = {}
    for line in open(os.path.join(d, "sysctl-a.txt"), errors="replace"):
        k, sep, v = line.partition(" = ")
        if sep:
            sysctl[k.strip()] = " ".join(v.split())
    listen = set()
    for line in open(os.path.join(d, "ss-tan.txt")):
        f = line.split()
        if f and f[0] == "LISTEN":
            listen.add(int(f[3].rsplit(":", 1)[1]))
    return sysctl, listen

profiles = sorted(os.path.basename(p)[:-5] for p in glob.glob("profiles/*.yaml"))
snaps = sorted(glob.glob("tests/fixtures/snapshots/*/"))
assert profiles and snaps, "no profiles or snapshots found"

for d in snaps:
    d = d.rstrip("/")
    sysctl, listen = snapshot(d)
    for prof in profiles:
        where = "%s --profile %s" % (os.path.basename(d), prof)
        def check(cond, msg):
            global ok
            if cond:
                ok += 1
            else:
                fails.append("%s: %s" % (where, msg))
        base = ["--snapshot", d, "--profile", prof]
        j = run(*base, "--format", "json")
        f1 = run(*base, "--format", "sysctl")
        f2 = run(*base, "--format", "sysctl")
        if j.returncode != 0 or f1.returncode != 0:
            fails.append("%s: exit %d/%d: %s" % (where, j.returncode, f1.returncode, (j.stderr + f1.stderr)[:300]))
            continue
        doc = json.loads(j.stdout)
        frag = fragment_keys(f1.stdout)
        # 1
        check(frag.get("net.ipv4.tcp_tw_recycle", "0") == "0",
              "fragment sets net.ipv4.tcp_tw_recycle = %s" % frag.get("net.ipv4.tcp_tw_recycle"))
        # 2
        missing = sorted(k for k in frag if k not in sysctl)
        check(not missing, "fragment keys absent from sysctl-a.txt: %s" % missing)
        # 3
        if "net.ipv4.ip_local_port_range" in frag:
            lo, hi = map(int, frag["net.ipv4.ip_local_port_range"].split())
            reserved = ports(frag.get("net.ipv4.ip_local_reserved_ports",
                                      sysctl.get("net.ipv4.ip_local_reserved_ports", "")))
            exposed = sorted(p for p in listen if lo <= p <= hi and p not in reserved)
            check(not exposed, "listening ports %s inside the recommended range %d-%d are not reserved"
                  % (exposed, lo, hi))
        # 4
        c = run(*base, "--check")
        want = 2 if any(f["changes"] and not f.get("acknowledged") and f["severity"] in ("warning", "critical")
                        for f in doc["findings"]) else 0
        check(c.returncode in (0, 2), "--check exit %d (expected 0 or 2)" % c.returncode)
        check(c.returncode == want, "--check exit %d, the JSON findings say %d" % (c.returncode, want))
        # 5
        check(f1.stdout == f2.stdout, "two runs gave different fragments")
        check(f1.stdout == doc["sysctl_d"], "--format sysctl differs from the JSON sysctl_d")
        # 6
        for f in doc["findings"]:
            for ch in f["changes"]:
                if ch["sysctl"] in ("net.ipv4.tcp_max_tw_buckets", "net.netfilter.nf_conntrack_max") \
                        and ch["current"] is not None:
                    check(int(ch["recommended"]) >= int(ch["current"]),
                          "%s recommended %s, lower than current %s" % (ch["sysctl"], ch["recommended"], ch["current"]))

for f in fails:
    print("FAIL " + f)
print("invariants: %d checks passed, %d failed (%d snapshots x %d profiles)"
      % (ok, len(fails), len(snaps), len(profiles)))
sys.exit(1 if fails else 0)
EOF
