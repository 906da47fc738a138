#!/bin/sh
# SPDX-License-Identifier: MIT
# build.sh [BUILDDIR [configure args...]]: configure and build out of tree
# (default build/), warnings as errors.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
b=${1:-build}
[ $# -gt 0 ] && shift
cd "$top"
[ -x configure ] && [ configure -nt configure.ac ] || autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
mkdir -p "$b"
cd "$b"
[ -f Makefile ] || "$top/configure" -q --enable-werror "$@"
make -s -j"$(nproc)" >/dev/null
