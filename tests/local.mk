# Test suite: unit tests (cmocka, no privileges), namespace tests (root,
# exit 77 = skipped otherwise), contract checks and fuzz smoke runs. Each
# area keeps its own fragment.
AM_TESTS_ENVIRONMENT = \
	TW_SRCDIR='$(abs_top_srcdir)'; export TW_SRCDIR; \
	TW_BUILDDIR='$(abs_top_builddir)'; export TW_BUILDDIR; \
	TWADVISE='$(abs_top_builddir)/twadvise'; export TWADVISE;
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

# Tests that fail on a known defect today. Remove a line when its fix
# lands: the test then XPASSes, which make check reports as a failure.
# A broken experiment exits 99, a hard error that XFAIL never hides; only
# advice that fails the experiment exits 1.
#   exp-tw-ceiling     issue 8 defect 2: tcp_max_tw_buckets raised alone
#                      (0 -> ~2,000 EADDRNOTAVAIL of 3,000 once applied)
#   exp-reuse-rate     issue 8 defect 7: critical client-ports-exhausted
#                      with reuse on and no failure
#   exp-established    issue 8 defect 3: ESTABLISHED sockets not counted,
#                      "harmless" while 300 of 400 connect() fail
#   exp-server-side    issue 8 defect 4: tcp_rfc1337 = 1 proposed on a
#                      server-side host
#   nagios-unknown     issue 10: on errors --format nagios exits 3 with an
#                      empty stdout (render_nagios_unknown is never called)
XFAIL_TESTS += \
	tests/netns/exp-tw-ceiling.sh \
	tests/netns/exp-reuse-rate.sh \
	tests/netns/exp-established.sh \
	tests/netns/exp-server-side.sh \
	tests/cli/nagios-unknown.sh
