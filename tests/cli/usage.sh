#!/bin/sh
# SPDX-License-Identifier: MIT
# usage.sh: the command line's manners: usage errors (one line and "Try
# 'twadvise --help'", exit 1), missing arguments, "did you mean",
# --version/-V, --help describing every option, --color and NO_COLOR,
# --quiet, and --format json for --list-rules, --list-profiles, --explain.
set -u
srcdir=${TW_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
tw_bin=${TWADVISE:-$srcdir/twadvise}
S=$srcdir/tests/fixtures/snapshots
tmp=$(mktemp -d "${TMPDIR:-/tmp}/twadvise-usage.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
ok() { n=$((n + 1)); }
bad() { echo "FAIL $*"; fail=1; }
tw() { "$tw_bin" --site-dir /nonexistent --data-dir "$srcdir" "$@" </dev/null; }
# err WANT_STDERR ARGS...: exit 1, nothing on stdout, exactly these two lines on stderr
err() {
	want=$1
	shift
	tw "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	printf '%s\n%s\n' "twadvise: $want" "Try 'twadvise --help' for more information." >"$tmp/want"
	[ $rc = 1 ] && [ ! -s "$tmp/out" ] && cmp -s "$tmp/want" "$tmp/err" && ok ||
		bad "$*: exit $rc, stderr: $(cat "$tmp/err")"
}
err "option '--format' needs an argument" --format
err "option '--snapshot' needs an argument" --snapshot
err "option '-w' needs an argument" -w
err "unknown option '--bogus'" --bogus
err "--color: expected auto, always or never, not 'sometimes'" --color=sometimes
err "--warning (90) must not be above --critical (80)" -w 90 -c 80
err "--watch follows this host live; it cannot be used with --snapshot" --watch --snapshot "$S/harmless"
err "--watch follows this host live; it cannot be used with --snapshot" --snapshot "$S/harmless" --watch 3
err "--watch: expected seconds in [0.1, 3600], not '0'" --watch=0
err "--watch: expected seconds in [0.1, 3600], not '5000'" --watch 5000
err "--iterations is only for --watch" --iterations 3
err "--iterations: expected a count in [1, 1000000], not '0'" --watch --iterations 0
err "--watch cannot be combined with another action" --capture "$tmp/c" --watch
err "--watch shows its own view and writes nothing; it cannot be combined with --output, --diff, --check, --interval or --format" --watch --format json

# did you mean (errors for names, warnings for acknowledged ids)
tw --snapshot "$S/harmless" --profile clinet-heavy >/dev/null 2>"$tmp/err"
[ $? = 1 ] && grep -qx "twadvise: unknown profile 'clinet-heavy' (did you mean 'client-heavy'?)" "$tmp/err" && ok ||
	bad "profile typo: $(cat "$tmp/err")"
tw --explain tw-reuse-clinet >/dev/null 2>"$tmp/err"
[ $? = 1 ] && grep -qx "twadvise: no rule with id 'tw-reuse-clinet' (did you mean 'tw-reuse-client'?)" "$tmp/err" && ok ||
	bad "explain typo: $(cat "$tmp/err")"
tw --snapshot "$S/harmless" --ignore tw-reuse-clinet >/dev/null 2>"$tmp/err"
[ $? = 0 ] && grep -qx "twadvise: warning: --ignore: no rule with id 'tw-reuse-clinet' (did you mean 'tw-reuse-client'?)" "$tmp/err" && ok ||
	bad "ignore typo: $(cat "$tmp/err")"
printf 'acknowledged:\n  - id: port-range-widden\n    reason: test\n' >"$tmp/acks.yaml"
tw --snapshot "$S/harmless" --acknowledged "$tmp/acks.yaml" >/dev/null 2>"$tmp/err"
grep -q "warning: acknowledged.yaml: no rule with id 'port-range-widden' (did you mean 'port-range-widen'?)" "$tmp/err" && ok ||
	bad "acknowledged.yaml typo: $(cat "$tmp/err")"

# --version / -V: GNU style
for v in --version -V; do
	tw $v >"$tmp/out" 2>&1
	head -n 1 "$tmp/out" | grep -qx 'twadvise [0-9][0-9.]*' && grep -q '^License MIT' "$tmp/out" &&
		grep -q '^Copyright (c) 2026 The twadvise authors$' "$tmp/out" && ok || bad "$v: $(cat "$tmp/out")"
done
# --help names every long option the parser knows (from the manual's list)
tw --help >"$tmp/help"
for o in profile snapshot netns format output diff check fail-on ignore acknowledged interval \
	data-dir site-dir no-netlink quiet color warning critical timeout apply revert capture \
	list-profiles list-rules list-facts explain validate help version watch iterations; do
	grep -qE -- "--$o([ ,]|$)" "$tmp/help" && ok || bad "--help does not describe --$o"
done
# (a line naming a configured folder may be as long as that path: make
# distcheck installs under a long temporary prefix)
awk 'length > 80 && !/\(default \// { print "FAIL --help line over 80 columns: " $0; f = 1 } END { exit f }' "$tmp/help" && ok || fail=1

# colour: never by default off a terminal; always on demand; NO_COLOR only when non-empty
esc=$(printf '\033')
tw --snapshot "$S/client-heavy" >"$tmp/plain"
grep -q "$esc" "$tmp/plain" && bad "colour off a terminal" || ok
tw --snapshot "$S/client-heavy" --color=always >"$tmp/col"
grep -q "$esc\[" "$tmp/col" && ok || bad "--color=always: no colour"
NO_COLOR=1 tw --snapshot "$S/client-heavy" --color=always | grep -q "$esc\[" && ok || bad "--color=always loses to NO_COLOR"
# --quiet: only findings at or above --fail-on, none for a harmless host
tw --snapshot "$S/harmless" --quiet >"$tmp/q"
[ ! -s "$tmp/q" ] && ok || bad "--quiet on a harmless host printed: $(head -3 "$tmp/q")"
tw --snapshot "$S/client-heavy" --quiet --fail-on critical >"$tmp/q"
ids=$(grep -o '^[A-Z]* [a-z0-9-]*:' "$tmp/q" | tr '\n' ' ')
[ "$ids" = "CRITICAL client-ports-exhausted: " ] && ok || bad "--quiet --fail-on critical: '$ids'"
# --format json for the listings, compared with the text listings
tw --list-rules --format json | python3 -c 'import json, sys; print("\n".join(r["id"] for r in json.load(sys.stdin)))' >"$tmp/j"
tw --list-rules | awk '{ print $1 }' >"$tmp/t"
cmp -s "$tmp/j" "$tmp/t" && [ -s "$tmp/j" ] && ok || bad "--list-rules --format json ids differ"
tw --list-profiles --format json | python3 -c 'import json, sys; print("\n".join(p["name"] for p in json.load(sys.stdin)))' >"$tmp/j"
tw --list-profiles | awk '/^[^ ]/ { print $1 }' >"$tmp/t"
cmp -s "$tmp/j" "$tmp/t" && [ -s "$tmp/j" ] && ok || bad "--list-profiles --format json names differ"
tw --explain tw-reuse-client --format json | python3 -c 'import json, sys
d = json.load(sys.stdin)
assert d["id"] == "tw-reuse-client" and d["changes"][0]["sysctl"] == "net.ipv4.tcp_tw_reuse", d' && ok || bad "--explain --format json"

[ $fail = 0 ] || exit 1
echo "usage: $n checks passed"
