# SPDX-License-Identifier: MIT
# experiments: advice proven by its effect (issue 8, "Proof by
# experiment"). Each exp-*.sh runs a real client workload (tw-workload)
# in a throw-away namespace, applies twadvise's advice there and runs the
# workload again: failures must never increase and must end where the
# advice claims to fix them. Root only (exit 77 otherwise); each case
# takes about 20 s. Cases that fail on a known defect are listed in
# XFAIL_TESTS in tests/local.mk.
check_PROGRAMS += tests/netns/tw-workload
tests_netns_tw_workload_SOURCES = tests/netns/tw-workload.c

EXPERIMENT_TESTS = \
	tests/netns/exp-narrow-range.sh \
	tests/netns/exp-tw-ceiling.sh \
	tests/netns/exp-reuse-rate.sh \
	tests/netns/exp-established.sh \
	tests/netns/exp-server-side.sh \
	tests/netns/exp-connect-rate.sh
TESTS += $(EXPERIMENT_TESTS)
EXTRA_DIST += $(EXPERIMENT_TESTS) tests/netns/exp-lib.sh
