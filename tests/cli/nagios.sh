#!/bin/sh
# SPDX-License-Identifier: MIT
# nagios.sh: --format nagios as a monitoring plugin: for each state, the
# status line, the perfdata, the long output and the exit code (0 OK,
# 1 WARNING, 2 CRITICAL, 3 UNKNOWN on every error path), -w/-c and -t.
set -u
srcdir=${TW_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
tw_bin=${TWADVISE:-$srcdir/twadvise}
S=$srcdir/tests/fixtures/snapshots
tmp=$(mktemp -d "${TMPDIR:-/tmp}/twadvise-nagios.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0 n=0
ok() { n=$((n + 1)); }
bad() { echo "FAIL $*"; fail=1; }
tw() { "$tw_bin" --site-dir /nonexistent --data-dir "$srcdir" "$@" </dev/null; }
# run NAME WANT_RC ARGS...: stdout in $tmp/out, first line in $line
run() {
	name=$1 want=$2
	shift 2
	tw "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	line=$(head -n 1 "$tmp/out")
	[ "$rc" = "$want" ] && ok || bad "$name: exit $rc, expected $want; stdout: $line"
}
# The profile's thresholds, read from the YAML (percent): generic's, as
# the scenario profiles do not override them.
pct() { awk -v k="$1:" '$1 == k { print $2 * 100 }' "$srcdir/profiles/generic.yaml"; }
warn=$(pct utilization_warning) crit=$(pct utilization_critical)
[ -n "$warn" ] && [ -n "$crit" ] || { echo "no utilization thresholds in generic.yaml"; exit 99; }

# OK: harmless host; info "no action needed" never turns into WARNING,
# even with --fail-on info.
for f in warning info; do
	run "harmless --fail-on $f" 0 --snapshot "$S/harmless" --profile generic --format nagios --fail-on $f
	case $line in "TWADVISE OK - "*" | "*) ok ;; *) bad "harmless ($f): '$line'" ;; esac
	grep -qx '\[INFO\] timewait-harmless: .*' "$tmp/out" && ok || bad "harmless: long output lacks the finding"
done
# Perfdata: the utilization in percent with the profile's levels, 0..100.
echo "$line" | grep -q " top_utilization=[0-9.]*%;$warn;$crit;0;100 " && ok ||
	bad "perfdata lacks top_utilization=...%;$warn;$crit;0;100: $line"

# CRITICAL: tcp_tw_recycle on.
run "nat-facing" 2 --snapshot "$S/nat-facing" --profile nat-facing --format nagios
case $line in "TWADVISE CRITICAL - 1 critical: "*) ok ;; *) bad "nat-facing: '$line'" ;; esac
grep -q '^\[CRITICAL\] tw-recycle-enabled: ' "$tmp/out" && ok || bad "nat-facing: long output"

# Every finding of the JSON appears in the long output.
tw --snapshot "$S/client-heavy" --profile client-heavy --format json >"$tmp/json"
run "client-heavy" 2 --snapshot "$S/client-heavy" --profile client-heavy --format nagios
python3 - "$tmp/json" "$tmp/out" <<'PY' && ok || bad "client-heavy: long output differs from the JSON findings"
import json, sys
want = sorted((f["severity"].upper(), f["id"]) for f in json.load(open(sys.argv[1]))["findings"])
lines = open(sys.argv[2]).read().splitlines()[1:]
got = sorted((l[1:l.index("]")], l[l.index("] ") + 2:l.index(":")]) for l in lines)
sys.exit(0 if want == got and want else 1)
PY
# The busiest tuple's utilization, computed from the JSON, is the perfdata.
util=$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))
print("%g" % round(max(t["utilization"] for t in d["time_wait"]["top"]) * 100, 2))' "$tmp/json")
echo "$line" | grep -q " top_utilization=$util%;" && ok || bad "client-heavy: utilization $util% not in '$line'"

# WARNING: -w/-c above the busiest tuple (96%) silence the port findings
# (critical at 80% by the profile); the listener warning stays.
run "client-heavy -w 99 -c 100" 1 --snapshot "$S/client-heavy" --profile client-heavy --format nagios -w 99 -c 100
case $line in "TWADVISE WARNING - "*"top_utilization=$util%;99;100;0;100 "*) ok ;; *) bad "-w/-c: '$line'" ;; esac
grep -q '^\[CRITICAL\]' "$tmp/out" && bad "-w 99 -c 100: a critical finding remains" || ok
# ...and -w/-c below it make the state CRITICAL by the utilization alone.
run "harmless -w 0 -c 0.1" 2 --snapshot "$S/harmless" --profile generic --format nagios -w 0 -c 0.1
run "-w above -c" 3 --snapshot "$S/harmless" --format nagios -w 90 -c 80

# UNKNOWN, with a line on stdout, on every error path.
run "missing snapshot" 3 --snapshot "$tmp/nope" --format nagios
case $line in "TWADVISE UNKNOWN - "*"$tmp/nope"*) ok ;; *) bad "missing snapshot: '$line'" ;; esac
run "bad option" 3 --format nagios --bogus
case $line in "TWADVISE UNKNOWN - unknown option '--bogus'") ok ;; *) bad "bad option: '$line'" ;; esac
run "bad option first" 3 --bogus --format nagios
case $line in "TWADVISE UNKNOWN - unknown option '--bogus'") ok ;; *) bad "bad option: '$line'" ;; esac
mkdir -p "$tmp/data/rules" "$tmp/data/profiles"
printf 'id: [broken\n' >"$tmp/data/rules/broken.yaml"
"$tw_bin" --site-dir /nonexistent --data-dir "$tmp/data" --snapshot "$S/harmless" --format nagios >"$tmp/out" 2>/dev/null
rc=$?
[ $rc = 3 ] && grep -q '^TWADVISE UNKNOWN - .*broken.yaml' "$tmp/out" && ok || bad "bad rules: exit $rc: $(cat "$tmp/out")"
run "bad ack file" 3 --snapshot "$S/harmless" --format nagios --acknowledged "$tmp/nope.yaml"
case $line in "TWADVISE UNKNOWN - "*) ok ;; *) bad "bad ack file: '$line'" ;; esac
# -t: a live analysis sampling for 5 s gives up after 1 s.
start=$(date +%s)
run "timeout" 3 --format nagios --interval 5 -t 1
end=$(date +%s)
case $line in "TWADVISE UNKNOWN - timed out after 1 s") ok ;; *) bad "timeout: '$line'" ;; esac
[ $((end - start)) -le 3 ] && ok || bad "timeout took $((end - start)) s"

[ $fail = 0 ] || exit 1
echo "nagios: $n checks passed"
