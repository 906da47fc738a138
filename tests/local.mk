# SPDX-License-Identifier: MIT
# Test suite: unit tests (cmocka, no privileges), namespace tests (root,
# exit 77 = skipped otherwise), contract checks and fuzz smoke runs. Each
# area keeps its own fragment.
AM_TESTS_ENVIRONMENT = \
	TW_SRCDIR='$(abs_top_srcdir)'; export TW_SRCDIR; \
	TW_BUILDDIR='$(abs_top_builddir)'; export TW_BUILDDIR; \
	TWADVISE='$(abs_top_builddir)/twadvise'; export TWADVISE; \
	TWADVISE_DATA_DIR='$(abs_top_srcdir)'; export TWADVISE_DATA_DIR; \
	TW_TEST_SYSCTL_STRICT=1; export TW_TEST_SYSCTL_STRICT;
TEST_UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -DTW_FIXTURES='"$(abs_top_srcdir)/tests/fixtures"'
TEST_UNIT_LIBS = $(TW_LIBS) $(CMOCKA_LIBS)
EXTRA_DIST += tests/fixtures tests/contract

include $(srcdir)/tests/unit/core.mk
include $(srcdir)/tests/unit/collect.mk
include $(srcdir)/tests/unit/expr.mk
include $(srcdir)/tests/unit/engine.mk
include $(srcdir)/tests/unit/sysctld.mk
include $(srcdir)/tests/unit/cost.mk
include $(srcdir)/tests/unit/render.mk
include $(srcdir)/tests/unit/apply.mk
include $(srcdir)/tests/netns/netns.mk
include $(srcdir)/tests/netns/apply.mk
include $(srcdir)/tests/netns/experiments.mk
include $(srcdir)/tests/fuzz/fuzz.mk
include $(srcdir)/tests/cli/cli.mk
include $(srcdir)/tests/cli/docs.mk

# Mutation testing, run by hand (tests/mutate.sh; the list of mutants is
# tests/mutants.list): shipped so that a release tree can be mutated too.
EXTRA_DIST += tests/mutate.sh tests/mutants.list

# Nagios UNKNOWN: exit 3 with the status line on stdout (issue 10).
TESTS += tests/cli/nagios-unknown.sh
EXTRA_DIST += tests/cli/nagios-unknown.sh

# golden.sh's independent recomputation of every number of a golden.
EXTRA_DIST += tests/cli/golden-check.py
