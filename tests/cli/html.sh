#!/bin/bash
# SPDX-License-Identifier: MIT
# html.sh: --format html in a real browser. Headless Chromium renders the
# page of a shipped scenario, of a snapshot with TIME_WAIT timers and a
# hostile folder name, and of a three-host fleet; html_check.py compares
# the dumped DOM with the --format json reports of the same snapshots
# (finding ids, verdicts, changes, fragment, bars, ages, heat map) and
# reads Chromium's net log: no http/https/ws request may leave the file
# (a control page with a remote image proves the log would show one).
# Then --from-json: JSON Lines of the three reports give the same page,
# and a bad line is refused with FILE:LINE and exit 1.
# Skipped (77) only when chromium is not installed.
set -u
SOURCE_DATE_EPOCH=1700000000
export SOURCE_DATE_EPOCH
: "${TWADVISE:?set by the test harness}" "${TW_SRCDIR:?}"
command -v python3 >/dev/null 2>&1 || { echo "python3 is not installed: skipped"; exit 77; }
chromium=$(command -v chromium || command -v chromium-browser) || { echo "chromium is not installed: skipped"; exit 77; }
snap="$TW_SRCDIR/tests/fixtures/snapshots"
check="$TW_SRCDIR/tests/cli/html_check.py"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/twhtml.XXXXXX")
# Chromium runs in a network namespace of its own with only loopback (as
# root), so neither the page nor Chromium's background requests reach any
# network; the net log still records every request attempted.
ns=""
if [ "$(id -u)" = 0 ] && ip netns add "twhtml$$" 2>/dev/null; then
	ns="twhtml$$"
	ip -n "$ns" link set lo up
fi
trap 'rm -rf "$tmp"; [ -z "$ns" ] || ip netns del "$ns"' EXIT
in_ns() { if [ -n "$ns" ]; then ip netns exec "$ns" "$@"; else "$@"; fi; }
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
tw() { "$TWADVISE" --data-dir "$TW_SRCDIR" --site-dir /nonexistent "$@"; }
# browse PAGE OUT [chromium args...]: the page's DOM in OUT, bounded in time.
# As root Chromium needs --no-sandbox; its profile stays in $tmp.
browse() {
	local page=$1 out=$2
	shift 2
	HOME=$tmp in_ns timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run \
		--user-data-dir="$tmp/profile" --disable-background-networking \
		--disable-component-update --disable-sync --disable-extensions "$@" \
		--dump-dom "file://$page" >"$out" 2>>"$tmp/chromium.log"
}
# checks MODE ARGS: html_check.py, counting its FAIL lines.
checks() {
	python3 "$check" "$@" >"$tmp/check.out" 2>&1
	cat "$tmp/check.out"
	fails=$((fails + $(grep -c '^FAIL' "$tmp/check.out")))
	grep -q '^Traceback' "$tmp/check.out" && bad "html_check.py $1 crashed"
}

# 1. A shipped scenario.
s="$snap/client-heavy"
tw --snapshot "$s" --format json >"$tmp/one.json" || bad "json of client-heavy"
tw --snapshot "$s" --format html >"$tmp/one.html"; rc=$?
[ $rc = 0 ] && [ -s "$tmp/one.html" ] && ok "--format html of client-heavy" || bad "--format html rc $rc"
checks static "$tmp/one.html"
browse "$tmp/one.html" "$tmp/one.dom" --log-net-log="$tmp/one.netlog" || bad "chromium failed on one.html"
checks host "$tmp/one.dom" "$tmp/one.json"
checks netlog "$tmp/one.netlog"

# 2. The control: a page that does fetch must show in the net log, or
# the net log check above proves nothing. (127.0.0.1:9, discard: refused.)
printf '<!DOCTYPE html><html lang="en"><title>c</title><img src="http://127.0.0.1:9/x.png" alt="x"></html>\n' >"$tmp/control.html"
browse "$tmp/control.html" "$tmp/control.dom" --log-net-log="$tmp/control.netlog" || bad "chromium failed on the control"
checks netlog-has "$tmp/control.netlog" "http://127.0.0.1:9/"

# 3. TIME_WAIT timers (ss -tanop) and a hostile folder name: the ages
# are computed here from the timers written, the name must stay text.
hostile="$tmp/h<script>alert(\"x\")<"
mkdir -p "$hostile"
hostile="$hostile/script>'&b"
cp -r "$s" "$hostile"
python3 - "$s/ss-tan.txt" "$hostile/ss-tan.txt" "$tmp/ages.json" <<'PY'
import json, sys
ages = [3, 4, 7, 12, 15, 23, 34, 47, 56, 5, 8, 2, 1, 14, 9]  # seconds in TIME_WAIT
want, n = {}, 0
with open(sys.argv[1]) as f, open(sys.argv[2], "w") as o:
    for line in f:
        line = line.rstrip("\n")
        if line.startswith("TIME-WAIT"):
            age = ages[n % len(ages)]
            n += 1
            dest = line.split()[4]
            want.setdefault(dest, [0] * 6)[age // 10] += 1
            line += f" timer:(timewait,{60 - age}sec,0)"
        o.write(line + "\n")
json.dump(want, open(sys.argv[3], "w"))
PY
tw --snapshot "$hostile" --format json >"$tmp/hostile.json" || bad "json of the hostile snapshot"
tw --snapshot "$hostile" --format html >"$tmp/hostile.html" || bad "html of the hostile snapshot"
checks static "$tmp/hostile.html"
browse "$tmp/hostile.html" "$tmp/hostile.dom" || bad "chromium failed on hostile.html"
checks host "$tmp/hostile.dom" "$tmp/hostile.json" "$tmp/ages.json"
checks hostile "$tmp/hostile.dom" "$hostile"

# 4. A three-host fleet, then the same from JSON Lines.
args=()
for h in harmless fin-timeout client-heavy; do args+=(--snapshot "$snap/$h"); done
tw "${args[@]}" --format json >"$tmp/fleet.jsonl" || bad "fleet JSON Lines"
tw "${args[@]}" --format html >"$tmp/fleet.html"; rc=$?
[ $rc = 0 ] && ok "--format html of a fleet" || bad "fleet html rc $rc"
checks static "$tmp/fleet.html"
browse "$tmp/fleet.html" "$tmp/fleet.dom" --log-net-log="$tmp/fleet.netlog" --window-size=1200,1500 \
	--screenshot="$tmp/fleet.png" || bad "chromium failed on fleet.html"
checks fleet "$tmp/fleet.dom" "$tmp/fleet.jsonl"
checks netlog "$tmp/fleet.netlog"
[ -s "$tmp/fleet.png" ] && ok "screenshot" || bad "no screenshot"

tw --from-json "$tmp/fleet.jsonl" --format html >"$tmp/from.html"; rc=$?
[ $rc = 0 ] && cmp -s "$tmp/from.html" "$tmp/fleet.html" &&
	ok "--from-json of the fleet's JSON Lines: the same page" || bad "--from-json rc $rc or a different page"
browse "$tmp/from.html" "$tmp/from.dom" || bad "chromium failed on from.html"
checks fleet "$tmp/from.dom" "$tmp/fleet.jsonl"

# A host that cannot be analysed keeps its row and section (exit 1).
tw --snapshot "$snap/harmless" --snapshot "$tmp/nonexistent" --format html >"$tmp/err.html" 2>/dev/null; rc=$?
n=$(grep -c '<tr data-host=' "$tmp/err.html")
[ $rc = 1 ] && [ "$n" = 2 ] && grep -q 'badge lvl-error">error<' "$tmp/err.html" &&
	grep -q "Not analysed:</strong> $tmp/nonexistent" "$tmp/err.html" &&
	ok "a host that cannot be analysed: an error row and section, exit 1" || bad "error host: rc $rc, $n rows"

# 5. Bad input: FILE:LINE, exit 1, nothing on stdout.
{ sed -n 1p "$tmp/fleet.jsonl"; echo '{"twadvise": 1, "findings": [}'; } >"$tmp/bad.jsonl"
tw --from-json "$tmp/bad.jsonl" --format html >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 1 ] && [ ! -s "$tmp/out" ] && grep -q "$tmp/bad.jsonl:2:" "$tmp/err" &&
	ok "a bad JSON line: exit 1, $(cat "$tmp/err")" || bad "bad JSON line: rc $rc, stderr $(cat "$tmp/err")"
{ sed -n 1p "$tmp/fleet.jsonl"; echo; echo '[1, 2]'; } >"$tmp/notreport.jsonl"
tw --from-json "$tmp/notreport.jsonl" --format html >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 1 ] && [ ! -s "$tmp/out" ] && grep -q "notreport.jsonl:3:1: not a twadvise report" "$tmp/err" &&
	ok "a line that is not a report: exit 1 with FILE:LINE" || bad "not a report: rc $rc, $(cat "$tmp/err")"
: >"$tmp/empty.jsonl"
tw --from-json "$tmp/empty.jsonl" --format html >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 1 ] && [ ! -s "$tmp/out" ] && ok "an empty file: exit 1" || bad "empty file: rc $rc"
tw --from-json "$tmp/nonexistent" --format html >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 1 ] && [ ! -s "$tmp/out" ] && ok "a missing file: exit 1" || bad "missing file: rc $rc"
tw --from-json "$tmp/fleet.jsonl" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc = 1 ] && grep -q 'needs --format html' "$tmp/err" && ok "--from-json without --format html: exit 1" ||
	bad "--from-json text: rc $rc"

# The screenshot for the README (scripts/make-screenshot.sh sets this).
if [ -n "${TW_HTML_SCREENSHOT:-}" ] && [ -s "$tmp/fleet.png" ]; then
	cp "$tmp/fleet.png" "$TW_HTML_SCREENSHOT"
fi
[ $fails = 0 ]
