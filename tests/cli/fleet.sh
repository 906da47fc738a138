#!/bin/bash
# SPDX-License-Identifier: MIT
# fleet.sh: several --snapshot in one run: JSON Lines (one document per
# host, each valid and identical to the single-host document) and a text
# summary table; and site rules/profiles (--site-dir) overriding shipped
# ones of the same id/name.
set -u
# generated_at is the clock unless pinned: separate runs must compare equal.
SOURCE_DATE_EPOCH=1700000000
export SOURCE_DATE_EPOCH
: "${TWADVISE:?set by the test harness}" "${TW_SRCDIR:?}"
snap="$TW_SRCDIR/tests/fixtures/snapshots"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/twfleet.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
tw() { "$TWADVISE" --data-dir "$TW_SRCDIR" "$@"; }

hosts=(client-heavy lb-backend harmless)
args=()
for h in "${hosts[@]}"; do args+=(--snapshot "$snap/$h"); done

tw --site-dir /nonexistent "${args[@]}" --format json >"$tmp/lines"; rc=$?
[ $rc = 0 ] && [ "$(wc -l <"$tmp/lines")" = 3 ] && ok "three JSON lines" || bad "JSON Lines rc $rc, $(wc -l <"$tmp/lines") lines"
i=0
for h in "${hosts[@]}"; do
	i=$((i + 1))
	one=$(tw --site-dir /nonexistent --snapshot "$snap/$h" --format json | jq -S .)
	line=$(sed -n "${i}p" "$tmp/lines" | jq -S .) || bad "line $i is not JSON"
	[ "$one" = "$line" ] && ok "line $i = the single-host document of $h" || bad "line $i differs from $h"
done
tw --site-dir /nonexistent "${args[@]}" --check >/dev/null; rc=$?
[ $rc = 2 ] && ok "--check over a fleet: 2 when any host needs changes" || bad "fleet --check rc $rc"

t=$(NO_COLOR=1 tw --site-dir /nonexistent "${args[@]}"); rc=$?
[ $rc = 0 ] || bad "text fleet rc $rc"
for h in "${hosts[@]}"; do
	printf '%s\n' "$t" | grep -q "^== $snap/$h ==" && ok "text report for $h" || bad "no report for $h"
done
# The summary table: a header, then one row per host with its profile.
printf '%s\n' "$t" | grep -q '^HOST  *KERNEL  *PROFILE  *TIME_WAIT' && ok "summary table header" || bad "no summary table"
printf '%s\n' "$t" | grep -Eq "^$snap/client-heavy +[^ ]+ +client-heavy +1,000 +96% +1 +" \
	&& ok "summary row for client-heavy" || bad "summary row for client-heavy"
printf '%s\n' "$t" | grep -Eq "^$snap/lb-backend +[^ ]+ +lb-backend " && ok "summary row for lb-backend" || bad "summary row for lb-backend"

# Site folder: a rule with a shipped id replaces it; a profile with a
# shipped name replaces it.
mkdir -p "$tmp/site/rules.d" "$tmp/site/profiles.d"
sed 's/^title: .*/title: "Site says: nothing to do here"/' "$TW_SRCDIR/rules/timewait-harmless.yaml" \
	>"$tmp/site/rules.d/timewait-harmless.yaml"
sed -e 's/^  tw_min_relevant: .*/  tw_min_relevant: 10/' -e 's/^  server_utilization_info: .*/  server_utilization_info: 0.00001/' "$TW_SRCDIR/profiles/generic.yaml" >"$tmp/site/profiles.d/generic.yaml"
j=$(tw --site-dir "$tmp/site" --snapshot "$snap/basic" --profile generic --format json) || bad "site run failed"
printf '%s' "$j" | jq -e '.findings[] | select(.id == "timewait-harmless") | .title == "Site says: nothing to do here"' >/dev/null \
	&& ok "site rule overrides the shipped rule of the same id" || bad "site rule not used"
n=$(tw --site-dir "$tmp/site" --list-rules | grep -c '^timewait-harmless ')
[ "$n" = 1 ] && ok "the override replaces, not duplicates" || bad "timewait-harmless listed $n times"
# basic has 19 server-side TIME_WAIT sockets: with tw_min_relevant 10 and
# server_utilization_info 0.00001, server-tw-keepalive (info) now fires.
printf '%s' "$j" | jq -e '[.findings[].id] | index("server-tw-keepalive")' >/dev/null \
	&& ok "site profile overrides the shipped profile's thresholds" || bad "site profile threshold not used"
tw --site-dir /nonexistent --snapshot "$snap/basic" --profile generic --format json | jq -e '[.findings[].id] | index("server-tw-keepalive") | not' >/dev/null \
	&& ok "without the site folder server-tw-keepalive does not fire" || bad "server-tw-keepalive fires without the site profile"

[ $fails = 0 ]
