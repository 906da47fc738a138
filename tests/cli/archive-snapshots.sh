#!/bin/sh
# SPDX-License-Identifier: MIT
# archive-snapshots.sh: --snapshot FILE.tar.gz|.tgz|.tar reads the
# snapshot straight from the archive, never extracting it.
#  - every fixture snapshot, packed by tar (under its folder, or flat),
#    gives the folder's JSON (python compares them, minus the time, the
#    snapshot path and the fragment's "# source:" line);
#  - hostile archives (made by python's tarfile): a symlink, a hard link
#    or a device in place of ss-tan.txt is an error (exit 1) as in a
#    folder; the same for an optional file is a note; "../x" and
#    "/etc/x" entries are ignored with a note and nothing is written;
#    an entry above its file's cap is refused as in a folder; a
#    truncated gzip, garbage and a FIFO named .tar.gz are errors (exit 1)
#    within 10 s, never a crash.
set -u
: "${TWADVISE:?set by the test harness}" "${TW_SRCDIR:?}"
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
fix="$TW_SRCDIR/tests/fixtures/snapshots"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/twarchive.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
tw() { timeout 10 "$TWADVISE" --site-dir /nonexistent --data-dir "$TW_SRCDIR" --profile generic "$@"; }

# same A.json B.json: the two reports agree but for time, path, source line.
same() {
	python3 - "$1" "$2" <<'PY'
import json, re, sys
def load(p):
    d = json.load(open(p))
    for k in ("generated_at", "snapshot"):
        d.pop(k, None)
    d["sysctl_d"] = re.sub(r"# source: [^\n]*\n", "", d["sysctl_d"])
    return d
a, b = load(sys.argv[1]), load(sys.argv[2])
if a != b:
    for k in sorted(set(a) | set(b)):
        if a.get(k) != b.get(k):
            print("  differs:", k, json.dumps(a.get(k))[:300], "|", json.dumps(b.get(k))[:300])
    sys.exit(1)
PY
}

n=0
for d in "$fix"/*/; do
	name=$(basename "$d")
	tw --snapshot "$d" --format json >"$tmp/dir.json" 2>/dev/null
	rcd=$?
	tar -C "$fix" -czf "$tmp/$name.tar.gz" "$name"
	tar -C "$d" -cf "$tmp/$name.tar" .
	cp "$tmp/$name.tar.gz" "$tmp/$name.tgz"
	for a in "$tmp/$name.tar.gz" "$tmp/$name.tar" "$tmp/$name.tgz"; do
		tw --snapshot "$a" --format json >"$tmp/ar.json" 2>"$tmp/ar.err"
		rca=$?
		if [ $rca -ne $rcd ]; then
			bad "$(basename "$a"): exit $rca, the folder's $rcd ($(head -c 200 "$tmp/ar.err"))"
		elif [ $rcd -eq 0 ] && ! same "$tmp/dir.json" "$tmp/ar.json"; then
			bad "$(basename "$a"): JSON differs from the folder's"
		else
			n=$((n + 1))
		fi
	done
done
[ $n -ge 30 ] && ok "$n archives of fixture snapshots analyse as their folders" ||
	bad "only $n archives agreed"
# sysctl.d copies come from the archive too (fin-timeout has some).
if [ -d "$fix/fin-timeout/etc" ]; then
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
ps=[c["persisted"] for f in d["findings"] for c in f["changes"] if c.get("persisted")]
sys.exit(0 if ps else 1)' "$tmp/dir.json" 2>/dev/null
	tw --snapshot "$tmp/fin-timeout.tar.gz" --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
ps = [c["persisted"] for f in d["findings"] for c in f["changes"] if c.get("persisted")]
sys.exit(0 if ps and all(p["file"].startswith("/") and "sysctl" in p["file"] for p in ps) else 1)' &&
		ok "fin-timeout.tar.gz: persisted values from the archive's sysctl.d" ||
		bad "fin-timeout.tar.gz: no persisted value from the archive's sysctl.d"
fi

# Hostile archives, each built from the basic snapshot.
python3 - "$fix/basic" "$tmp" <<'PY'
import io, os, sys, tarfile
src, out = sys.argv[1], sys.argv[2]
def files():
    for root, _, names in os.walk(src):
        for n in names:
            p = os.path.join(root, n)
            yield os.path.relpath(p, src), open(p, "rb").read()
def build(name, replace=None, extra=(), mode="w:gz"):
    with tarfile.open(os.path.join(out, name), mode) as t:
        for rel, data in files():
            if replace and rel in replace:
                continue
            i = tarfile.TarInfo("snap/" + rel); i.size = len(data)
            t.addfile(i, io.BytesIO(data))
        for i, data in extra:
            t.addfile(i, io.BytesIO(data) if data is not None else None)
def link(name, target, kind=tarfile.SYMTYPE):
    i = tarfile.TarInfo(name); i.type = kind; i.linkname = target; return (i, None)
def reg(name, data):
    i = tarfile.TarInfo(name); i.size = len(data); return (i, data)
def dev(name):
    i = tarfile.TarInfo(name); i.type = tarfile.CHRTYPE; i.devmajor = 1; i.devminor = 3; return (i, None)
build("ss-symlink.tar.gz", {"ss-tan.txt"}, [link("snap/ss-tan.txt", "/etc/shadow")])
build("ss-hardlink.tar.gz", {"ss-tan.txt"}, [link("snap/ss-tan.txt", "snap/uname-r.txt", tarfile.LNKTYPE)])
build("ss-device.tar.gz", {"ss-tan.txt"}, [dev("snap/ss-tan.txt")])
build("meminfo-symlink.tar.gz", {"proc/meminfo"}, [link("snap/proc/meminfo", "/proc/meminfo")])
build("escape.tar.gz", None, [reg("../escaped-x", b"x\n"), reg("/tmp/escaped-abs", b"x\n"),
                              reg("snap/../../escaped-y", b"y\n")])
# 128 KiB of meminfo: above the 64 KiB a folder's meminfo may hold.
build("meminfo-huge.tar.gz", {"proc/meminfo"}, [reg("snap/proc/meminfo", b"MemTotal: 1 kB\n" * 9000)])
whole = open(os.path.join(out, "ss-symlink.tar.gz"), "rb").read()
build("full.tar.gz")
full = open(os.path.join(out, "full.tar.gz"), "rb").read()
open(os.path.join(out, "truncated.tar.gz"), "wb").write(full[: len(full) // 2])
# Cut inside the entries' data, after the headers that open the stream.
with tarfile.open(os.path.join(out, "big.tar.gz"), "w:gz") as t:
    for rel, data in files():
        i = tarfile.TarInfo("snap/" + rel); i.size = len(data)
        t.addfile(i, io.BytesIO(data))
        if rel == "uname-r.txt":
            r = os.urandom(256 * 1024)
            i = tarfile.TarInfo("snap/zz-random.bin"); i.size = len(r)
            t.addfile(i, io.BytesIO(r))
big = open(os.path.join(out, "big.tar.gz"), "rb").read()
open(os.path.join(out, "truncated-late.tar.gz"), "wb").write(big[: len(big) * 3 // 5])
open(os.path.join(out, "garbage.tar.gz"), "wb").write(os.urandom(4096))
PY
[ -s "$tmp/full.tar.gz" ] || { echo "FAIL: python built no archives"; exit 1; }

# expect NAME RC PATTERN [stream]: exit RC and PATTERN in stderr (or stdout's notes).
expect() {
	tw --snapshot "$tmp/$1" --format json >"$tmp/out" 2>"$tmp/err"
	rc=$?
	where=$tmp/err
	[ "${4:-err}" = out ] && where=$tmp/out
	if [ $rc -ne "$2" ]; then
		bad "$1: exit $rc, expected $2 ($(head -c 200 "$tmp/err"))"
	elif ! grep -q "$3" "$where"; then
		bad "$1: no '$3' in $(basename "$where"): $(head -c 300 "$where")"
	else
		ok "$1: exit $rc, '$3'"
	fi
}
expect full.tar.gz 0 '"source": *"snapshot"\|"source":"snapshot"' out
expect ss-symlink.tar.gz 1 'ss-tan.txt: a symbolic link, refused'
expect ss-hardlink.tar.gz 1 'ss-tan.txt: a hard link in the archive, refused'
expect ss-device.tar.gz 1 'ss-tan.txt: not a regular file'
expect meminfo-symlink.tar.gz 0 'proc/meminfo: a symbolic link, refused; those facts are unknown' out
expect escape.tar.gz 0 '3 archive entries outside the snapshot' out
expect meminfo-huge.tar.gz 0 'proc/meminfo: larger than its cap, refused' out
expect big.tar.gz 0 '"source": *"snapshot"\|"source":"snapshot"' out
expect truncated.tar.gz 1 'truncated.tar.gz: .*truncated'
expect truncated-late.tar.gz 1 'truncated-late.tar.gz: damaged or truncated archive'
expect garbage.tar.gz 1 'garbage.tar.gz: not a tar archive'
for f in escaped-x escaped-y; do
	[ -e "$tmp/$f" ] || [ -e "$(dirname "$tmp")/$f" ] && bad "$f was written"
done
[ -e /tmp/escaped-abs ] && bad "/tmp/escaped-abs was written"
# The folder case agrees: a symlinked ss-tan.txt is an error there too.
cp -r "$fix/basic" "$tmp/dirlink" && rm "$tmp/dirlink/ss-tan.txt" && ln -s /etc/passwd "$tmp/dirlink/ss-tan.txt"
tw --snapshot "$tmp/dirlink" --format json >/dev/null 2>&1
[ $? -eq 1 ] && ok "folder with a symlinked ss-tan.txt: exit 1 as the archive" || bad "folder case differs"
# An oversized folder meminfo is refused with the same cap.
cp -r "$fix/basic" "$tmp/dirhuge" && python3 -c 'import sys; open(sys.argv[1], "w").write("MemTotal: 1 kB\n" * 9000)' "$tmp/dirhuge/proc/meminfo"
tw --snapshot "$tmp/dirhuge" --format json 2>/dev/null | grep -q 'meminfo.*larger\|meminfo.*1 MiB\|meminfo.*bytes' &&
	ok "folder with a 128 KiB meminfo: refused too" || bad "folder meminfo cap differs"
# A FIFO named like an archive: an error at once, no hang.
mkfifo "$tmp/fifo.tar.gz"
tw --snapshot "$tmp/fifo.tar.gz" --format json >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] && grep -q 'not a regular file' "$tmp/err" && ok "FIFO .tar.gz: exit 1" ||
	bad "FIFO .tar.gz: exit $rc $(head -c 200 "$tmp/err")"
[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "ok: archives"
