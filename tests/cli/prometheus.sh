#!/bin/sh
# SPDX-License-Identifier: MIT
# prometheus.sh: --format prometheus on every scenario passes
# `promtool check metrics` (lint included), carries one unit per family,
# no path in a label value, the build info, the run timestamp and one
# twadvise_finding per finding of the JSON; contrib's alert rules pass
# `promtool check rules`, and they and the Grafana dashboard only query
# metrics twadvise writes. Skipped (77) without promtool (Debian package
# "prometheus").
set -u
srcdir=${TW_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
tw_bin=${TWADVISE:-$srcdir/twadvise}
command -v promtool >/dev/null 2>&1 || { echo "promtool is not installed: skipped"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "python3 is not installed: skipped"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/twadvise-prom.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0 n=0
bad() { echo "FAIL $*"; fail=1; }
tw() { "$tw_bin" --site-dir /nonexistent --data-dir "$srcdir" "$@" </dev/null; }

SOURCE_DATE_EPOCH=1700000000
export SOURCE_DATE_EPOCH
: >"$tmp/names"
for d in "$srcdir"/tests/fixtures/snapshots/*/; do
	s=$(basename "$d")
	tw --snapshot "$d" --format prometheus >"$tmp/$s.prom" 2>"$tmp/err" || { bad "$s: exit $?: $(cat "$tmp/err")"; continue; }
	tw --snapshot "$d" --format json >"$tmp/$s.json" 2>/dev/null
	if ! promtool check metrics <"$tmp/$s.prom" >"$tmp/lint" 2>&1; then
		bad "$s: promtool check metrics:"; cat "$tmp/lint"
	fi
	python3 - "$tmp/$s.prom" "$tmp/$s.json" <<'PY' || fail=1
import json, re, sys
prom = open(sys.argv[1]).read().splitlines()
doc = json.load(open(sys.argv[2]))
bad = []
samples = [l for l in prom if l and not l.startswith("#")]
for l in samples:
    for v in re.findall(r'="((?:[^"\\]|\\.)*)"', l):
        if "/" in v:
            bad.append("a label value holds a path: " + l)
    if "unit=" in l:
        bad.append("a unit label mixes units in one family: " + l)
if "twadvise_last_run_timestamp_seconds 1700000000" not in samples:
    bad.append("no twadvise_last_run_timestamp_seconds from SOURCE_DATE_EPOCH")
if not any(l.startswith('twadvise_build_info{version="%s"} 1' % doc["version"]) for l in samples):
    bad.append("no twadvise_build_info with the JSON's version")
want = sorted((f["id"], f["severity"], "true" if f.get("acknowledged") else "false") for f in doc["findings"])
got = sorted(re.match(r'twadvise_finding\{id="([^"]*)",severity="([^"]*)",acknowledged="([^"]*)"\} 1$', l).groups()
             for l in samples if l.startswith("twadvise_finding{"))
if want != got:
    bad.append("twadvise_finding %s != JSON findings %s" % (got, want))
top = doc["time_wait"]["top"]
u = max([t["utilization"] for t in top] or [0])
if not any(l == "twadvise_top_tuple_utilization_ratio %g" % u or
           (l.startswith("twadvise_top_tuple_utilization_ratio ") and abs(float(l.split()[1]) - u) < 1e-9)
           for l in samples):
    bad.append("twadvise_top_tuple_utilization_ratio is not the JSON's %g" % u)
for b in bad:
    print("FAIL %s: %s" % (sys.argv[1].rsplit("/", 1)[-1], b))
sys.exit(1 if bad else 0)
PY
	grep -o '^twadvise_[a-z_]*' "$tmp/$s.prom" >>"$tmp/names"
	n=$((n + 1))
done
sort -u "$tmp/names" -o "$tmp/names"

rules=$srcdir/contrib/prometheus/twadvise-alerts.yml
promtool check rules "$rules" >"$tmp/rules" 2>&1 || { bad "promtool check rules:"; cat "$tmp/rules"; }
python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$srcdir/contrib/grafana/twadvise-dashboard.json" ||
	bad "the Grafana dashboard is not valid JSON"
# Every metric the rules and the dashboard query exists.
for f in "$rules" "$srcdir/contrib/grafana/twadvise-dashboard.json"; do
	for m in $(grep -o 'twadvise_[a-z_]*' "$f" | sort -u); do
		case $m in twadvise_[a-z]*_) continue ;; esac
		grep -qx "$m" "$tmp/names" || {
			# alert names are not metrics
			grep -q "alert: .*$m" "$f" || bad "$(basename "$f") queries $m, which twadvise does not write"
		}
	done
done
[ $fail = 0 ] || exit 1
echo "prometheus: $n scenarios pass promtool; rules and dashboard checked"
