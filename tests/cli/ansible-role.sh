#!/bin/sh
# SPDX-License-Identifier: MIT
# ansible-role.sh: contrib/ansible/roles/twadvise with ansible-core against
# localhost. The role works from a snapshot (twadvise_extra_args) and
# installs its fragment in a temporary folder without `sysctl --system`,
# so the host's configuration is never touched:
#   - check mode reports the change and writes nothing;
#   - the first run installs the fragment (changed=1), equal to what
#     `twadvise --format sysctl` prints;
#   - the second run reports changed=0;
#   - a missing binary fails the play (not "changes recommended").
# Root only (the fragment is owned by root); skipped (77) without
# ansible-playbook.
set -u
srcdir=${TW_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
tw_bin=${TWADVISE:-$srcdir/twadvise}
case $tw_bin in /*) ;; *) tw_bin=$(pwd)/$tw_bin ;; esac
command -v ansible-playbook >/dev/null 2>&1 || { echo "ansible-playbook is not installed: skipped"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "not root: skipped"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/twadvise-ansible.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
export ANSIBLE_LOCAL_TEMP="$tmp/ansible-tmp" ANSIBLE_HOME="$tmp/ansible-home"
export ANSIBLE_ROLES_PATH="$srcdir/contrib/ansible/roles" ANSIBLE_NOCOLOR=1
export ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3
fail=0
bad() { echo "FAIL $*"; fail=1; }
snap=$srcdir/tests/fixtures/snapshots/client-heavy
frag=$tmp/sysctl.d/60-twadvise.conf
mkdir -p "$tmp/sysctl.d"

cat >"$tmp/play.yml" <<YAML
- hosts: localhost
  connection: local
  gather_facts: false
  roles:
    - role: twadvise
      vars:
        twadvise_bin: "{{ tw_bin }}"
        twadvise_profile: client-heavy
        twadvise_fragment: "$frag"
        twadvise_install_fragment: true
        twadvise_sysctl_system: false
        twadvise_extra_args: [--snapshot, "$snap", --data-dir, "$srcdir", --site-dir, /nonexistent]
YAML
play() {	# play LOG EXTRA...: runs the play, prints the recap's changed= and failed=
	log=$1
	shift
	ansible-playbook -i localhost, -e "tw_bin=$tw_bin" "$@" "$tmp/play.yml" >"$log" 2>&1
	sed -n 's/^localhost *: .*changed=\([0-9]*\).*failed=\([0-9]*\).*/changed=\1 failed=\2/p' "$log"
}

# What the fragment must be, straight from twadvise.
"$tw_bin" --snapshot "$snap" --data-dir "$srcdir" --site-dir /nonexistent --profile client-heavy \
	--format sysctl >"$tmp/want" || { echo "twadvise failed"; exit 99; }
grep -q '^net\.' "$tmp/want" || { echo "the scenario's fragment is empty"; exit 99; }

r=$(play "$tmp/check.log" --check --diff)
[ "$r" = "changed=1 failed=0" ] || { bad "check mode: $r"; tail -n 30 "$tmp/check.log"; }
[ ! -e "$frag" ] && echo "ok: check mode wrote nothing" || bad "check mode wrote $frag"
grep -q "^+net\." "$tmp/check.log" && echo "ok: check mode shows the diff" || bad "check mode shows no diff"

r=$(play "$tmp/run1.log")
[ "$r" = "changed=1 failed=0" ] && echo "ok: first run applies" || { bad "first run: $r"; tail -n 30 "$tmp/run1.log"; }
cmp -s "$tmp/want" "$frag" && echo "ok: the fragment is twadvise's" || bad "the installed fragment differs"

r=$(play "$tmp/run2.log")
[ "$r" = "changed=0 failed=0" ] && echo "ok: second run changed=0" || { bad "second run: $r"; tail -n 30 "$tmp/run2.log"; }

r=$(ansible-playbook -i localhost, -e "tw_bin=$tmp/no-such-twadvise" "$tmp/play.yml" 2>&1 |
	sed -n 's/^localhost *: .*failed=\([0-9]*\).*/failed=\1/p')
[ "$r" = "failed=1" ] && echo "ok: a missing binary fails" || bad "missing binary: $r"

exit $fail
