#!/bin/sh
# SPDX-License-Identifier: MIT
# allowlist.sh: the allow-list's "per namespace" flags against the running
# kernel. For every key marked per-netns, a changed value written inside a
# fresh network namespace must leave the host's value alone (and read back
# in the namespace); for every key marked host-wide, a write inside the
# namespace must fail. Keys this kernel does not have are noted and
# skipped (tcp_tw_recycle is gone since 4.12; conntrack keys need the
# module). The list comes from tests/allowlist-dump (src/engine/allowlist.c).
. "$(dirname "$0")/lib.sh"

DUMP=${TW_BUILDDIR:-$(dirname "$TWADVISE")}/tests/allowlist-dump
[ -x "$DUMP" ] || fail "no $DUMP (make check builds it)"
new_ns allow

# other VALUE: a different value the kernel accepts for that kind of key.
other() {
	case $1 in
	'') echo 40001;;                                   # reserved ports: empty -> one port
	*[!0-9]*) set -- $1; [ $# = 2 ] && echo "$(($1 + 2)) $2" || echo "";;  # a range, or a port list -> empty
	0) echo 1;;
	1) echo 0;;
	*) echo $(($1 - 1));;
	esac
}

n=0 skipped=
"$DUMP" >"$TW_TMP/list" || fail "allowlist-dump"
[ -s "$TW_TMP/list" ] || fail "empty allow-list"
while read -r key kind; do
	path=/proc/sys/$(echo "$key" | tr . /)
	if ! ip netns exec "$ns" test -e "$path"; then
		# Registered for the initial namespace only: host-wide.
		[ "$kind" = per-netns ] && [ -e "$path" ] && fail "$key: marked per-netns, but a namespace does not have it"
		skipped="$skipped $key"
		continue
	fi
	host=$(cat "$path")
	cur=$(ip netns exec "$ns" cat "$path")
	new=$(other "$(echo $cur)")
	if [ "$kind" = per-netns ]; then
		ip netns exec "$ns" sh -c "printf '%s\n' '$new' >$path" ||
			fail "$key: marked per-netns, but a write inside a namespace fails"
		[ "$(ip netns exec "$ns" cat "$path" | tr -s ' \t' '  ')" = "$(echo "$new" | tr -s ' \t' '  ')" ] ||
			fail "$key: the namespace reads back '$(ip netns exec "$ns" cat "$path")', wrote '$new'"
		[ "$(cat "$path")" = "$host" ] || {
			printf '%s\n' "$host" >"$path"
			fail "$key: marked per-netns, but a write inside a namespace changed the host"
		}
	else
		if ip netns exec "$ns" sh -c "printf '%s\n' '$new' >$path" 2>/dev/null; then
			[ "$(cat "$path")" = "$host" ] || printf '%s\n' "$host" >"$path"
			fail "$key: marked host-wide, but a namespace may write it (is it per-netns now?)"
		fi
	fi
	n=$((n + 1))
done <"$TW_TMP/list"
[ $n -gt 0 ] || fail "no key checked"
[ -z "$skipped" ] || echo "note: not on this kernel or not loaded:$skipped" >&2
echo "ok: $n allow-list keys checked against $(uname -r)"
