# SPDX-License-Identifier: MIT
# cli tests: the built binary on the scenario snapshots of
# tests/fixtures/snapshots/ (see tests/fixtures/make-scenarios.sh).
#   golden.sh       outputs pinned in tests/fixtures/golden/ (--update to
#                   regenerate), expected findings per scenario, --profile auto
#   invariants.sh   the contract's invariants on every snapshot x profile
#   contract.sh     tests/contract/tools/contract-check (vendored) on every
#                   snapshot x profile (skipped without python3-jsonschema,
#                   except with CI=true, where that fails)
#   load-errors.sh  bad rule and profile files (tests/fixtures/bad/) refused
#                   with an exact FILE:LINE:COL
TESTS += \
	tests/cli/golden.sh \
	tests/cli/invariants.sh \
	tests/cli/contract.sh \
	tests/cli/load-errors.sh
EXTRA_DIST += \
	tests/cli/golden.sh \
	tests/cli/invariants.sh \
	tests/cli/contract.sh \
	tests/cli/load-errors.sh
# output.sh and fleet.sh: --output/--check/--diff/--ignore/acknowledgements,
# prometheus and nagios, exit codes on bad input; several --snapshot (JSON
# Lines, summary table) and site overrides.
TESTS += tests/cli/output.sh tests/cli/fleet.sh tests/cli/hostile-snapshots.sh
EXTRA_DIST += tests/cli/output.sh tests/cli/fleet.sh tests/cli/hostile-snapshots.sh
# nagios.sh: --format nagios per state (stdout and exit code), perfdata,
# long output, -w/-c, -t, UNKNOWN on every error path.
TESTS += tests/cli/nagios.sh
EXTRA_DIST += tests/cli/nagios.sh
# archive-snapshots.sh: --snapshot FILE.tar.gz (fixtures packed by tar,
# hostile archives made by python).
TESTS += tests/cli/archive-snapshots.sh
EXTRA_DIST += tests/cli/archive-snapshots.sh
# explain-eval.sh: --explain RULE --snapshot S, each part's value
# recomputed by python from the snapshot's files.
TESTS += tests/cli/explain-eval.sh
EXTRA_DIST += tests/cli/explain-eval.sh
# project-address.sh: one bug-report address and home page everywhere.
TESTS += tests/cli/project-address.sh
EXTRA_DIST += tests/cli/project-address.sh
# validate-all.sh: --validate reports every error of a file (three here).
TESTS += tests/cli/validate-all.sh
EXTRA_DIST += tests/cli/validate-all.sh tests/fixtures/bad-multi/three-errors.yaml \
	tests/fixtures/bad-multi/profile-errors.yaml
# prometheus.sh: promtool check metrics on every scenario, one unit per
# family, no path label, per-finding metric; contrib's alert rules
# (promtool check rules) and Grafana dashboard query existing metrics.
TESTS += tests/cli/prometheus.sh
EXTRA_DIST += tests/cli/prometheus.sh
# ansible-role.sh: contrib/ansible/roles/twadvise against localhost with
# ansible-core (check mode writes nothing, first run applies, second run
# changed=0, a missing binary fails); root only, never touches the host's
# sysctls (works from a snapshot into a temporary folder).
TESTS += tests/cli/ansible-role.sh
EXTRA_DIST += tests/cli/ansible-role.sh
# completion.sh: the bash completion (options, values, profiles, rule ids).
TESTS += tests/cli/completion.sh
EXTRA_DIST += tests/cli/completion.sh
# usage.sh: usage errors, did you mean, --version, --help, --color and
# NO_COLOR, --quiet, --format json listings.
TESTS += tests/cli/usage.sh
EXTRA_DIST += tests/cli/usage.sh
# fsync-order.sh: --output fsync()s the temporary file before the rename
# and the folder after it (strace on the real binary).
TESTS += tests/cli/fsync-order.sh
EXTRA_DIST += tests/cli/fsync-order.sh
# k8s.sh: --format k8s on every scenario: the kubelet's safe sysctls as
# entries, unsafe and node-level ones as comments, kernel requirements.
TESTS += tests/cli/k8s.sh
EXTRA_DIST += tests/cli/k8s.sh
# html.sh: --format html and --from-json in headless Chromium (own network
# namespace, loopback only): findings and verdicts in the DOM against
# --format json, ages, heat map, escaping, no request in the net log
# (html_check.py reads the DOM and the log); skipped without chromium.
TESTS += tests/cli/html.sh
EXTRA_DIST += tests/cli/html.sh tests/cli/html_check.py
# lazy-libs.sh: libarchive, jansson, ncursesw and libbpf are loaded only by
# their feature (LD_DEBUG=libs), and one that cannot be loaded is an exit
# 1 with its soname (root: a bind mount of /dev/null in unshare -m).
TESTS += tests/cli/lazy-libs.sh
EXTRA_DIST += tests/cli/lazy-libs.sh
# ss-reader.sh: a big ss-tan.txt parsed on a second thread gives what the
# calling thread gives: same report, same error line, folder and archive.
TESTS += tests/cli/ss-reader.sh
EXTRA_DIST += tests/cli/ss-reader.sh
