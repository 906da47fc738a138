#!/bin/sh
# SPDX-License-Identifier: MIT
# exp-connect-rate.sh: a connection rate above what the ports sustain is
# judged by its rate before the ports run out, and a verdict always has
# its finding. 1,000 ports, no reuse (they sustain 1,000 / 60 = 16.7 new
# connections/s), 25 short connections/s toward one destination:
#   - after 8 s only 200 ports are held (20 %): a burst so far. The cost
#     item connect_rate is "watch", the rule connect-rate-over-capacity
#     fires as a warning, the verdict is "watch";
#   - after 32 s the rate has held for 30 s: "act", the finding is
#     critical, and the remedies are proposed;
#   - the workload goes on and connect() fails with EADDRNOTAVAIL, as
#     forecast; with the advice applied in a fresh namespace the same
#     workload runs without a failure.
# The rates and levels are recomputed here from `ss -tano` timers (a
# TIME_WAIT socket of age A has 60 - A s left), independently of twadvise.
. "$(dirname "$0")/exp-lib.sh"

PORTS=1000 RATE=25
exp_ns connect-rate net.ipv4.ip_local_port_range="40000 40999" net.ipv4.tcp_tw_reuse=0
wl_start server --port 6379 --duration 58 >/dev/null
ip netns exec "$ns" "$WL" churn --port 6379 --rate $RATE --count 1250 --duration 52 \
	>"$TW_TMP/before" 2>&1 &
churn_pid=$!
tw_pids="$tw_pids $churn_pid"
t0=$(date +%s)

# expect_levels LABEL: twadvise's JSON for $ns against the levels that the
# ss timers give (generic thresholds: watch 0.5, act 0.8 of capacity).
expect_levels() {
	ip netns exec "$ns" ss -tanoH state time-wait >"$TW_TMP/ss.$1"
	tw_run --netns "$ns" --format json >"$TW_TMP/$1.json" || hard "twadvise --netns $ns"
	"$PY" - "$TW_TMP/ss.$1" "$TW_TMP/$1.json" "$PORTS" "$1" <<'EOF' || exit 1
import json, re, sys
ss, doc, ports, label = open(sys.argv[1]).read(), json.load(open(sys.argv[2])), int(sys.argv[3]), sys.argv[4]
left = []
for line in ss.splitlines():
    m = re.search(r"timer:\(timewait,([0-9.]+)(ms|sec|min)", line)
    if m and ":6379" in line.split()[3]:
        v = float(m.group(1))
        left.append(v / 1000 if m.group(2) == "ms" else v * 60 if m.group(2) == "min" else v)
cap = ports / 60.0
rate10 = sum(1 for s in left if s > 50) / 10.0
rate30 = sum(1 for s in left if s > 30) / 30.0
share10, share30 = rate10 / cap, rate30 / cap
# cost.c: level from the 10 s rate; "act" only when 30 s also reach it.
want = "act" if share10 >= 0.8 and share30 >= 0.8 else "watch" if share10 >= 0.5 else "harmless"
def near(x):   # a bucket edge moved between ss and twadvise: skip the case
    return any(abs(x - t) < 0.06 for t in (0.5, 0.8))
item = next((i for i in doc["cost"]["items"] if i["name"] == "connect_rate"), None)
finding = next((f for f in doc["findings"] if f["id"] == "connect-rate-over-capacity"), None)
print("%s: %d TIME_WAIT, rate10 %.1f/s (%.2f of %.1f/s), rate30 %.1f/s (%.2f): want %s; got item %s, finding %s, verdict %s"
      % (label, len(left), rate10, share10, cap, rate30, share30, want,
         item and item["level"], finding and finding["severity"], doc["verdict"]))
if near(share10) or near(share30):
    print("%s: too close to a threshold to judge (machine timing)" % label); sys.exit(0)
errs = []
if item is None or item["level"] != want:
    errs.append("connect_rate level %s, want %s" % (item and item["level"], want))
sev = {"harmless": None, "watch": "warning", "act": "critical"}[want]
if (finding and finding["severity"]) != sev:
    errs.append("connect-rate-over-capacity severity %s, want %s" % (finding and finding["severity"], sev))
if want == "watch" and doc["verdict"] != "watch":
    errs.append("verdict %s after a burst, want watch" % doc["verdict"])
if want == "act" and doc["verdict"] != "act":
    errs.append("verdict %s, want act" % doc["verdict"])
if errs:
    print("FAIL: " + "; ".join(errs)); sys.exit(1)
EOF
}

sleep_until() { while [ $(( $(date +%s) - t0 )) -lt "$1" ]; do sleep 0.2; done; }

sleep_until 8
expect_levels burst || fail "after 8 s of churn"
[ "$(jq -r '[.findings[] | select(.id == "client-ports-exhausted")] | length' "$TW_TMP/burst.json")" = 0 ] ||
	fail "after 8 s (20 % of the ports held) client-ports-exhausted fired: the burst case is not isolated"
sleep_until 32
expect_levels sustained || fail "after 32 s of churn"
advise
proposes net.ipv4.tcp_tw_reuse || proposes net.ipv4.ip_local_port_range ||
	fail "a rate above capacity for 30 s, yet neither reuse nor a wider range is proposed"
wait "$churn_pid" || true
grep -q '^result mode=churn ' "$TW_TMP/before" || hard "tw-workload churn printed no result"
echo "before: $(cat "$TW_TMP/before")"
[ "$(field before EADDRNOTAVAIL)" -gt 0 ] ||
	hard "25/s over 1,000 ports did not run out within 52 s (a loaded machine: the churn lagged)"

apply_advice --fragment
after_ns
wl_start server --port 6379 --duration 58 >/dev/null
churn after --port 6379 --rate $RATE --count 1250 --duration 52
report connect-rate
never_worse
[ "$(field after failed)" = 0 ] || fail "the advice did not end the failures: $(field after failed) after applying it"
echo "ok"
