# SPDX-License-Identifier: MIT
# apply tests: --apply / --revert in a throw-away network namespace (root
# only; exit 77 = skipped otherwise), with the test profiles of
# tests/fixtures/apply/ (shipped through tests/fixtures in EXTRA_DIST).
TESTS += tests/netns/apply.sh tests/netns/apply-race.sh tests/netns/apply-kill.sh \
	tests/netns/allowlist.sh
EXTRA_DIST += tests/netns/apply.sh tests/netns/apply-race.sh tests/netns/apply-kill.sh \
	tests/netns/allowlist.sh

# twadvise with test hooks (TW_TEST_KILL_AT: die at a named step of
# --apply / --revert), for apply-kill.sh only; never installed.
check_PROGRAMS += tests/twadvise-hooks
tests_twadvise_hooks_SOURCES = $(twadvise_SOURCES)
tests_twadvise_hooks_CPPFLAGS = $(AM_CPPFLAGS) -DTW_TEST_HOOKS
tests_twadvise_hooks_LDADD = $(twadvise_LDADD)

# Prints the allow-list ("KEY per-netns|host-wide"), for allowlist.sh.
check_PROGRAMS += tests/allowlist-dump
tests_allowlist_dump_SOURCES = tests/netns/allowlist-dump.c
tests_allowlist_dump_LDADD = $(TW_LIBS)
