#!/bin/sh
# SPDX-License-Identifier: MIT
# explain-eval.sh: --explain RULE --snapshot S shows each part of the
# rule's condition with its value there. The values are recomputed by
# python from the snapshot's own files (sysctl-a.txt, uname-r.txt,
# proc/net/netstat, proc/net/sockstat), on a snapshot where the rule
# fires and one where it does not, in JSON and in text.
set -u
: "${TWADVISE:?set by the test harness}" "${TW_SRCDIR:?}"
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
fix="$TW_SRCDIR/tests/fixtures/snapshots"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/twexplain.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0
tw() { "$TWADVISE" --site-dir /nonexistent --data-dir "$TW_SRCDIR" --profile generic "$@"; }

check() {   # check RULE SNAPSHOT WANT_FIRED
	tw --explain "$1" --snapshot "$fix/$2" --format json >"$tmp/j" || { echo "FAIL $1 on $2: exit $?"; fails=$((fails + 1)); return; }
	tw --explain "$1" --snapshot "$fix/$2" >"$tmp/t" || { echo "FAIL $1 on $2 (text)"; fails=$((fails + 1)); return; }
	if python3 - "$1" "$fix/$2" "$3" "$tmp/j" "$tmp/t" <<'PY'
import json, sys
rule, snap, want, jpath, tpath = sys.argv[1:]
def sysctl(key):
    for l in open(snap + "/sysctl-a.txt"):
        k, _, v = l.partition("=")
        if k.strip() == key:
            return v.strip()
def pairs(path, prefix):
    lines = [l.split() for l in open(path) if l.startswith(prefix + ":")]
    return dict(zip(lines[0][1:], map(int, lines[1][1:])))
def sockstat_tw():
    for l in open(snap + "/proc/net/sockstat"):
        f = l.split()
        if f and f[0] == "TCP:":
            return int(f[f.index("tw") + 1])
ev = json.load(open(jpath))["evaluation"]
parts = {}
def walk(n):
    parts[n["expr"]] = n["value"]
    for c in n.get("operands", []):
        walk(c)
walk(ev["when"])
want_parts = {}
if rule == "port-range-parity":
    lo, hi = map(int, sysctl("net.ipv4.ip_local_port_range").split())
    kernel = open(snap + "/uname-r.txt").read().strip()
    want_parts = {
        "kernel": kernel,
        "known(ports.low)": True,
        "ports.low % 2": lo % 2, "ports.high % 2": hi % 2,
        "ports.low % 2 == ports.high % 2": lo % 2 == hi % 2,
        "ports.low + 1": lo + 1, "ports.high": hi,
        "ports.low + 1 < ports.high": lo + 1 < hi,
    }
    fired = lo % 2 == hi % 2 and lo + 1 < hi
elif rule == "max-tw-buckets":
    ovf = pairs(snap + "/proc/net/netstat", "TcpExt")["TCPTimeWaitOverflow"]
    want_parts = {
        'has("net.ipv4.tcp_max_tw_buckets")': sysctl("net.ipv4.tcp_max_tw_buckets") is not None,
        'tcpext("TCPTimeWaitOverflow")': ovf,
        'tcpext("TCPTimeWaitOverflow") > 0': ovf > 0,
        "default(sockstat.tw, tw.total)": sockstat_tw(),
    }
    fired = None
bad = []
for k, v in want_parts.items():
    if k not in parts:
        bad.append("missing part %r" % k)
    elif type(parts[k]) is not type(v) or parts[k] != v:
        bad.append("%r is %r, python says %r" % (k, parts[k], v))
if fired is not None and ev["when"]["value"] != fired:
    bad.append("whole condition %r, python says %r" % (ev["when"]["value"], fired))
if ev["fired"] != (want == "yes"):
    bad.append("fired is %r" % ev["fired"])
text = open(tpath).read()
verdict = "fires" if want == "yes" else "does not fire"
if "(profile generic): " + verdict not in text:
    bad.append("text lacks '%s'" % verdict)
for k, v in want_parts.items():
    shown = ("true" if v else "false") if isinstance(v, bool) else str(v)
    if "%s  =>  %s" % (k, shown) not in text:
        bad.append("text lacks '%s  =>  %s'" % (k, shown))
if bad:
    print("\n".join(bad))
    sys.exit(1)
PY
	then echo "ok   $1 on $2 (fired: $3)"
	else echo "FAIL $1 on $2"; fails=$((fails + 1))
	fi
}
check port-range-parity parity yes
check port-range-parity basic no
check max-tw-buckets overflow yes
check max-tw-buckets basic no
# The severity a finding fired with: critical_when raises conntrack-near-full
# to critical at 95 % of nf_conntrack_max (python reads the snapshot).
sev=$(tw --explain conntrack-near-full --snapshot "$fix/conntrack-full" --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
def find(o):
    if isinstance(o, dict):
        if "fired" in o and "severity" in o:
            return o
        for v in o.values():
            r = find(v)
            if r: return r
    if isinstance(o, list):
        for v in o:
            r = find(v)
            if r: return r
ev = find(d)
# critical_when is traced too: its whole value must agree with the severity.
cw = ev.get("critical_when")
print(ev["severity"] if cw and cw["value"] == (ev["severity"] == "critical") else "critical_when-trace-%r" % (cw and cw["value"]))')
want=$(python3 -c '
import sys
kv = dict(l.split(" = ", 1) for l in open(sys.argv[1]).read().splitlines() if " = " in l)
c, m = int(kv["net.netfilter.nf_conntrack_count"]), int(kv["net.netfilter.nf_conntrack_max"])
print("critical" if c >= 0.95 * m else "warning" if c >= 0.8 * m else "none")' "$fix/conntrack-full/sysctl-a.txt")
if [ "$sev" = "$want" ] && tw --explain conntrack-near-full --snapshot "$fix/conntrack-full" >"$tmp/cw.txt" &&
	grep -q "fires, as $want\$" "$tmp/cw.txt" && grep -q '^Critical when also:$' "$tmp/cw.txt" &&
	grep -q '^  default(cost_level("conntrack"), "harmless") == "act"  =>  true$' "$tmp/cw.txt" &&
	! tw --explain port-range-parity --snapshot "$fix/parity" --format json | grep -q critical_when
then echo "ok   conntrack-near-full on conntrack-full fires as $want"
else echo "FAIL conntrack-near-full on conntrack-full: severity '$sev', python says '$want'"; fails=$((fails + 1))
fi
# Only one snapshot; an unknown rule still fails as before.
tw --explain port-range-parity --snapshot "$fix/basic" --snapshot "$fix/parity" >/dev/null 2>&1
[ $? -eq 1 ] || { echo "FAIL: two --snapshot accepted"; fails=$((fails + 1)); }
[ $fails -eq 0 ] || exit 1
echo "ok: explain evaluations match python"
