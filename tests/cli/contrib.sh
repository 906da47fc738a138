#!/bin/sh
# SPDX-License-Identifier: MIT
# contrib.sh: the files under contrib/ stay loadable by their tools:
#   - contrib/ansible/twadvise.yml passes `ansible-playbook --syntax-check`,
#     and captures into a fresh temporary folder (no fixed path, no creates:);
#   - contrib/systemd/twadvise-textfile.{service,timer} pass
#     `systemd-analyze verify` (on a copy whose ExecStart is $TWADVISE,
#     since verify wants the binary to exist).
# A part whose tool is missing or unusable here is skipped with a
# message; the test is skipped (77) only when both are.
set -eu

srcdir=${TW_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
tw=${TWADVISE:-$srcdir/twadvise}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/twadvise-contrib.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
ran=0
bad=0

# ---- Ansible ----
if command -v ansible-playbook >/dev/null 2>&1; then
	# Keep Ansible's own state out of $HOME.
	export ANSIBLE_LOCAL_TEMP="$tmp/ansible-tmp" ANSIBLE_HOME="$tmp/ansible-home"
	if ansible-playbook --syntax-check -i localhost, \
		"$srcdir/contrib/ansible/twadvise.yml" >"$tmp/ansible.out" 2>&1; then
		echo "ok: ansible-playbook --syntax-check contrib/ansible/twadvise.yml"
	else
		cat "$tmp/ansible.out" >&2
		echo "FAIL: contrib/ansible/twadvise.yml" >&2
		bad=1
	fi
	ran=$((ran + 1))
else
	echo "skipped: ansible-playbook is not installed"
fi
# The capture goes to a fresh temporary folder, never to a fixed path that
# another user of the host could fill first, and is never skipped because
# a path exists (issue: a forged snapshot passed for the host's own).
pb="$srcdir/contrib/ansible/twadvise.yml"
if grep -n 'creates:' "$pb" >&2; then
	echo "FAIL: $pb skips a task when a path exists (creates:)" >&2
	bad=1
elif ! grep -q 'ansible.builtin.tempfile:' "$pb" || grep -n '/var/tmp/' "$pb" >&2; then
	echo "FAIL: $pb does not capture into a fresh temporary folder" >&2
	bad=1
else
	echo "ok: $pb captures into a fresh temporary folder"
fi

# ---- systemd ----
sd_ok=0
if command -v systemd-analyze >/dev/null 2>&1; then
	# Usable here? Verify a trivial unit first (some sandboxes lack what
	# systemd-analyze needs).
	printf '[Unit]\nDescription=probe\n[Service]\nType=oneshot\nExecStart=/bin/true\n' \
		> "$tmp/twadvise-probe.service"
	if systemd-analyze verify --man=no "$tmp/twadvise-probe.service" >/dev/null 2>&1; then
		sd_ok=1
	else
		echo "skipped: systemd-analyze verify is unusable here"
	fi
else
	echo "skipped: systemd-analyze is not installed"
fi
if [ "$sd_ok" = 1 ]; then
	mkdir "$tmp/units"
	sed "s|/usr/local/bin/twadvise|$tw|g" "$srcdir/contrib/systemd/twadvise-textfile.service" \
		> "$tmp/units/twadvise-textfile.service"
	cp "$srcdir/contrib/systemd/twadvise-textfile.timer" "$tmp/units/"
	grep -q "^ExecStart=$tw " "$tmp/units/twadvise-textfile.service" ||
		{ echo "FAIL: ExecStart of the service is not /usr/local/bin/twadvise" >&2; bad=1; }
	if systemd-analyze verify --man=no "$tmp/units/twadvise-textfile.service" \
		"$tmp/units/twadvise-textfile.timer" >"$tmp/systemd.out" 2>&1 && ! [ -s "$tmp/systemd.out" ]; then
		echo "ok: systemd-analyze verify contrib/systemd/twadvise-textfile.{service,timer}"
	else
		cat "$tmp/systemd.out" >&2
		echo "FAIL: contrib/systemd units" >&2
		bad=1
	fi
	ran=$((ran + 1))
fi

[ "$ran" -gt 0 ] || exit 77
exit "$bad"
