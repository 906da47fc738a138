#!/bin/sh
# SPDX-License-Identifier: MIT
# lazy-libs.sh: libarchive, jansson, ncursesw and libbpf are loaded only
# by the feature that uses them (src/util/dynlib.h), and a library that
# cannot be loaded is a clear error, never a crash.
#  - LD_DEBUG=libs lists what the dynamic loader looks up: a snapshot
#    folder (text, json) loads none of the four; a .tar.gz snapshot loads
#    libarchive; --format html and --from-json load jansson; --watch on a
#    terminal loads ncursesw; --trace (root, when built) loads libbpf.
#  - as root, in a private mount namespace (unshare -m) where that
#    library's file is /dev/null (a bind mount): the .tar.gz snapshot,
#    --format html, --from-json and --trace exit 1 with "needs SONAME,
#    which cannot be loaded", and --watch warns so and draws one line per
#    refresh instead (exit 0).
set -u
: "${TWADVISE:?set by the test harness}" "${TW_SRCDIR:?}"
fix="$TW_SRCDIR/tests/fixtures/snapshots"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/twlazy.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
tw() { timeout 20 "$TWADVISE" --site-dir /nonexistent --data-dir "$TW_SRCDIR" "$@"; }
# libs CMD...: the sonames of the four libraries the run looked up.
libs() {
	LD_DEBUG=libs "$@" 2>&1 >/dev/null |
		sed -n 's/.*find library=\(lib\(archive\|jansson\|ncursesw\|bpf\)\.so[^ ]*\) .*/\1/p' |
		sort -u | tr '\n' ' '
}
# path SONAME: the file the loader found for it (from a run that loaded it).
path_of() { sed -n "/find library=$1 /,/trying file=/s/.*trying file=//p" "$tmp/debug" | head -n 1; }
# soname PREFIX CMD...: runs CMD with LD_DEBUG=libs into $tmp/debug and
# prints the soname starting with PREFIX that it loaded.
soname() {
	p=$1
	shift
	LD_DEBUG=libs "$@" >/dev/null 2>"$tmp/debug"
	sed -n "s/.*find library=\($p\.so[^ ]*\) .*/\1/p" "$tmp/debug" | head -n 1
}

tar -C "$fix" -czf "$tmp/basic.tar.gz" basic
tw --snapshot "$fix/basic" --format json >"$tmp/basic.json" || bad "setup: json report"

# ---- loaded only when used ----
for f in text json; do
	got=$(libs tw --snapshot "$fix/basic" --format "$f")
	[ -z "$got" ] && ok "a snapshot folder, --format $f: none loaded" ||
		bad "a snapshot folder, --format $f loaded: $got"
done
arch=$(soname libarchive tw --snapshot "$tmp/basic.tar.gz")
arch_path=$(path_of "$arch")
got=$(libs tw --snapshot "$tmp/basic.tar.gz" --format json)
[ -n "$arch" ] && [ "$got" = "$arch " ] && ok "a .tar.gz snapshot: $got" ||
	bad "a .tar.gz snapshot loaded '$got', expected libarchive only"
jans=$(soname libjansson tw --from-json "$tmp/basic.json" --format html)
jans_path=$(path_of "$jans")
got=$(libs tw --from-json "$tmp/basic.json" --format html)
[ -n "$jans" ] && [ "$got" = "$jans " ] && ok "--from-json: $got" ||
	bad "--from-json loaded '$got', expected jansson only"
got=$(libs tw --snapshot "$fix/basic" --format html)
[ "$got" = "$jans " ] && ok "--format html: $got" ||
	bad "--format html loaded '$got', expected jansson only"
# --watch on a terminal (script gives it one): one refresh of this host,
# its stderr (and LD_DEBUG's) in $tmp/werr.
watch_cmd="$TWADVISE --site-dir /nonexistent --data-dir $TW_SRCDIR --watch 1 --iterations 1 2>$tmp/werr"
LD_DEBUG=libs TERM=xterm script -qec "$watch_cmd" /dev/null >/dev/null 2>&1
cp "$tmp/werr" "$tmp/debug"
curs=$(sed -n 's/.*find library=\(libncursesw\.so[^ ]*\) .*/\1/p' "$tmp/debug" | head -n 1)
[ -n "$curs" ] && ok "--watch on a terminal: $curs" || bad "--watch on a terminal loaded no ncursesw"
curs_path=$(path_of "$curs")

if [ "$(id -u)" != 0 ] || ! unshare -m true 2>/dev/null; then
	echo "skip the missing-library checks: they need root (unshare -m, mount --bind)"
	[ "$fails" -eq 0 ]
	exit
fi

# ---- a library that cannot be loaded ----
# hidden FILE CMD...: runs CMD where FILE reads as empty; stdout+stderr
# in $tmp/out, the exit status in $rc.
hidden() {
	f=$1
	shift
	unshare -m sh -c 'mount --bind /dev/null "$1" && shift && exec "$@"' sh "$f" "$@" \
		>"$tmp/out" 2>&1 && rc=0 || rc=$?
}
# expect_missing WHAT SONAME: exit 1 and the message, no crash.
expect_missing() {
	if [ "$rc" = 1 ] && grep -q "needs $2, which cannot be loaded" "$tmp/out" &&
		! grep -qi -e "sanitizer" -e "segmentation" -e "core dumped" "$tmp/out"; then
		ok "$1 without $2: exit 1, $(head -n 1 "$tmp/out")"
	else
		bad "$1 without $2: exit $rc: $(head -n 3 "$tmp/out")"
	fi
}
for v in arch_path jans_path curs_path; do
	eval "p=\$$v"
	[ -n "$p" ] && [ -f "$p" ] || bad "setup: no library file for $v ('$p')"
done
hidden "$arch_path" "$TWADVISE" --site-dir /nonexistent --data-dir "$TW_SRCDIR" \
	--snapshot "$tmp/basic.tar.gz"
expect_missing "a .tar.gz snapshot" "$arch"
hidden "$arch_path" "$TWADVISE" --site-dir /nonexistent --data-dir "$TW_SRCDIR" \
	--snapshot "$fix/basic" --format json
[ "$rc" = 0 ] && ok "a snapshot folder without $arch: exit 0" || bad "a snapshot folder without $arch: exit $rc"
hidden "$jans_path" "$TWADVISE" --site-dir /nonexistent --data-dir "$TW_SRCDIR" \
	--snapshot "$fix/basic" --format html --output "$tmp/page.html"
expect_missing "--format html" "$jans"
[ ! -e "$tmp/page.html" ] && ok "--format html without $jans wrote nothing" ||
	bad "--format html without $jans wrote $tmp/page.html"
hidden "$jans_path" "$TWADVISE" --from-json "$tmp/basic.json" --format html
expect_missing "--from-json" "$jans"
hidden "$curs_path" env TERM=xterm script -qec "$watch_cmd" /dev/null
if [ "$rc" = 0 ] && grep -q "needs $curs, which cannot be loaded.*one line per refresh instead" \
	"$tmp/werr"; then
	ok "--watch without $curs: $(cat "$tmp/werr")"
else
	bad "--watch without $curs: exit $rc: $(cat "$tmp/werr" "$tmp/out" | head -n 3)"
fi

# --trace: only where it is built and eBPF loads (tracefs mounted in the
# private namespace, as tests/netns/trace.sh needs it).
trace() {
	unshare -m sh -c '
		[ -d /sys/kernel/tracing/events ] || mount -t tracefs nodev /sys/kernel/tracing
		[ -z "$1" ] || mount --bind /dev/null "$1"
		shift
		exec "$@"' sh "$@"
}
LD_DEBUG=libs trace "" "$TWADVISE" --site-dir /nonexistent --data-dir "$TW_SRCDIR" \
	--trace 1 --format json >/dev/null 2>"$tmp/debug" && trc=0 || trc=$?
bpf=$(sed -n 's/.*find library=\(libbpf\.so[^ ]*\) .*/\1/p' "$tmp/debug" | head -n 1)
if [ "$trc" != 0 ]; then
	echo "skip the --trace checks: $(grep -v '^ *[0-9]*:' "$tmp/debug" | head -n 1)"
elif [ -z "$bpf" ]; then
	bad "--trace loaded no libbpf"
else
	ok "--trace: $bpf"
	hidden_bpf=$(path_of "$bpf")
	trace "$hidden_bpf" "$TWADVISE" --site-dir /nonexistent --data-dir "$TW_SRCDIR" \
		--trace 1 --format json >"$tmp/out" 2>&1 && rc=0 || rc=$?
	expect_missing "--trace" "$bpf"
fi
[ "$fails" -eq 0 ]
