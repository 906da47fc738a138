#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh [twadvise options]: install what is missing, build, and analyse
# this host (default: --profile auto).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/deps.sh"
"$top/scripts/build.sh" build
[ $# -gt 0 ] || set -- --profile auto
exec "$top/build/twadvise" "$@"
