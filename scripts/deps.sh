#!/bin/sh
# SPDX-License-Identifier: MIT
# deps.sh: install what twadvise needs to build and test on Debian 12
# (run as root; does nothing for packages already installed). clang:
# scripts/test.sh builds and checks the tree with clang as well as gcc.
# libjansson-dev: --from-json; chromium: tests/cli/html.sh (headless).
# libnftables-dev: the live nftables ruleset (SNAT port range, fully-random).
set -eu
pkgs="build-essential autoconf automake pkg-config libyaml-dev libcmocka-dev libmnl-dev libarchive-dev
      iproute2 procps python3 python3-jsonschema python3-yaml valgrind mandoc groff-base jq
      conntrack nftables net-tools ansible-core systemd util-linux time
      bash-completion debhelper dpkg-dev fakeroot lintian prometheus clang strace
      libjansson-dev chromium libncurses-dev tmux libbpf-dev bpftool libnftables-dev"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "deps.sh: missing packages:$missing (run as root to install them)" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
