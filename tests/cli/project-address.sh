#!/bin/sh
# SPDX-License-Identifier: MIT
# project-address.sh: one bug-report address and one home page across
# the tree: what `twadvise --version` prints (configure's AC_INIT) is
# the address in debian/control, debian/copyright, README.md and
# twadvise(8), and no placeholder address is left.
set -u
: "${TWADVISE:?set by the test harness}" "${TW_SRCDIR:?}"
cd "$TW_SRCDIR" || exit 1
fails=0
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
v=$("$TWADVISE" --version) || { echo "FAIL: --version"; exit 1; }
addr=$(printf '%s\n' "$v" | sed -n 's/^Report bugs to: //p')
home=$(printf '%s\n' "$v" | sed -n 's/^Home page: //p')
case $addr in *@*.*) ;; *) bad "bug-report address '$addr' is no mail address";; esac
case $home in https://*) ;; *) bad "home page '$home' is no https URL";; esac
grep -q "^Maintainer: .*<$addr>$" debian/control || bad "debian/control Maintainer is not <$addr>"
grep -qx "Homepage: $home" debian/control || bad "debian/control Homepage is not $home"
grep -q "^Upstream-Contact: .*$addr" debian/copyright || bad "debian/copyright Upstream-Contact lacks $addr"
grep -qx "Source: $home" debian/copyright || bad "debian/copyright Source is not $home"
grep -q "^ -- .*<$addr>" debian/changelog || bad "debian/changelog signer is not <$addr>"
for f in README.md man/twadvise.8; do
	grep -qF "$addr" "$f" || bad "$f lacks $addr"
	grep -qF "$home" "$f" || bad "$f lacks $home"
done
# No placeholder left anywhere in the sources.
if git ls-files >/dev/null 2>&1; then
	git ls-files | grep -v '^tests/fixtures/' |
		xargs grep -lE 'example\.(com|org)>|@localhost|maintainer@|TODO.*(address|url)|placeholder@' 2>/dev/null |
		grep -v '^tests/cli/project-address.sh$' >"${TMPDIR:-/tmp}/twaddr.$$" || true
	[ -s "${TMPDIR:-/tmp}/twaddr.$$" ] && bad "placeholder addresses in: $(tr '\n' ' ' <"${TMPDIR:-/tmp}/twaddr.$$")"
	rm -f "${TMPDIR:-/tmp}/twaddr.$$"
fi
[ $fails -eq 0 ] || exit 1
echo "ok: $addr and $home everywhere"
