#!/bin/sh
# SPDX-License-Identifier: MIT
# pod-namespace.sh: --all-namespaces on a namespace held by a process in
# a Kubernetes pod's cgroup (a real cgroup v2 folder named as the kubelet
# names them, kubepods-besteffort-pod<UID>.slice): the namespace is named
# "pod UID", and its report says which of its recommended keys the
# kubelet accepts as safe sysctls and which need --allowed-unsafe-sysctls,
# judged here from the test's own copy of the kubelet's safe set.
# Skipped (77) when no cgroup v2 hierarchy is writable.
. "$(dirname "$0")/lib.sh"
command -v unshare >/dev/null 2>&1 || skip "no unshare(1)"
command -v nsenter >/dev/null 2>&1 || skip "no nsenter(1)"

uid=0a1b2c3d-$$-4444-5555-666677778888
cg2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
cg=$cg2/twtest-kubepods-$$.slice/kubepods-besteffort-pod$(printf '%s' "$uid" | tr - _).slice
[ -n "$cg2" ] && mkdir -p "$cg" 2>/dev/null || skip "no writable cgroup v2 hierarchy"
trap 'tw_cleanup; rmdir "$cg" "${cg%/*}" 2>/dev/null' EXIT

# The pod's process, alone in a new network namespace.
sh -c 'echo $$ >"$1/cgroup.procs" && exec unshare -n sleep 60' sh "$cg" &
upid=$!
tw_pids="$tw_pids $upid"
wait_own_netns "$upid"
grep -q "pod$(printf '%s' "$uid" | tr - _)" "/proc/$upid/cgroup" || fail "setup: not in the pod cgroup"
# 100 ports, reuse off, 80 client TIME_WAIT: the range must be widened.
nsenter -t "$upid" -n sysctl -qw net.ipv4.ip_local_port_range="40000 40099" \
	net.ipv4.tcp_tw_reuse=0 || fail "sysctls"
tw_n=1
nsenter -t "$upid" -n "$PY" "$MKTW" 80 4 client 7171 45 >"$TW_TMP/ready.1" 2>&1 &
tw_pids="$tw_pids $!"
wait_ready

out=$("$TWADVISE" --all-namespaces --format json --site-dir /nonexistent) || fail "--all-namespaces run"
printf '%s' "$out" | "$PY" -c '
import json, sys
doc = json.load(sys.stdin)
uid = sys.argv[1]
SAFE = {"net.ipv4.ip_local_port_range", "net.ipv4.ip_local_reserved_ports",
        "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_fin_timeout"}
NODE = {"net.netfilter.nf_conntrack_max"}
pods = [n for n in doc["namespaces"] if n["netns"]["owner"]["kind"] == "pod"
        and n["netns"]["owner"]["id"] == uid]
if len(pods) != 1:
    sys.exit("FAIL: %d namespaces owned by pod %s" % (len(pods), uid))
p = pods[0]
errs = []
if not p["netns"]["name"].startswith("pod "):
    errs.append("named %r, not as a pod" % p["netns"]["name"])
keys = [i["sysctl"] for i in p["plan"]]
if "net.ipv4.ip_local_port_range" not in keys:
    errs.append("no port range in the plan: %r" % keys)
notes = [n for n in p["notes"] if n.startswith("Kubernetes pod: ")]
safe = [k for k in keys if k in SAFE]
unsafe = [k for k in keys if k not in SAFE and k not in NODE]
want = []
if safe:
    want.append("Kubernetes pod: %s: safe sysctls" % ", ".join(safe))
if unsafe:
    want.append("Kubernetes pod: %s: unsafe" % ", ".join(unsafe))
if len(notes) != len(want) or any(not n.startswith(w) for n, w in zip(notes, want)):
    errs.append("notes %r, want ones starting %r" % (notes, want))
others = [n for n in doc["namespaces"] if n is not p and any(x.startswith("Kubernetes pod") for x in n["notes"])]
if others:
    errs.append("a namespace that is no pod has the note: %r" % [n["netns"]["name"] for n in others])
for e in errs:
    print("FAIL:", e)
if errs:
    sys.exit(1)
print("pod %s: %d safe, %d unsafe keys named" % (p["netns"]["name"], len(safe), len(unsafe)))
' "$uid" || fail "pod namespace report"
