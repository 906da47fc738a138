# SPDX-License-Identifier: MIT
# netns tests: the live collector. Root-only integration tests run real
# TIME_WAIT sockets in throw-away network namespaces (exit 77 = skipped
# when not root or without `ip netns`); the unit test replays recorded
# netlink dumps and /proc/net/tcp copies, without privileges.
# dump-parallel.sh's stand-in for a kernel that refuses the one-dump
# request (LD_PRELOAD).
check_PROGRAMS += tests/netns/refuse-single.so
tests_netns_refuse_single_so_SOURCES = tests/netns/refuse-single.c
tests_netns_refuse_single_so_CFLAGS = $(AM_CFLAGS) -fPIC
tests_netns_refuse_single_so_LDFLAGS = -shared
check_PROGRAMS += tests/netns/twadvise-record-dump
tests_netns_twadvise_record_dump_SOURCES = tests/netns/record-dump.c
tests_netns_twadvise_record_dump_LDADD = $(TW_LIBS)

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_live
tests_unit_test_live_SOURCES = tests/unit/test_live.c
tests_unit_test_live_CFLAGS = $(TEST_UNIT_CFLAGS)
tests_unit_test_live_LDADD = $(TEST_UNIT_LIBS)
TESTS += tests/unit/test_live
endif

NETNS_TESTS = \
	tests/netns/live-timewait.sh \
	tests/netns/capture-roundtrip.sh \
	tests/netns/unprivileged.sh \
	tests/netns/netns-errors.sh \
	tests/netns/cost-slab.sh \
	tests/netns/proc-fallback.sh \
	tests/netns/held-ages.sh \
	tests/netns/netns-proc.sh \
	tests/netns/sysctl-subset.sh \
	tests/netns/idle-shortcuts.sh \
	tests/netns/all-namespaces.sh \
	tests/netns/pod-namespace.sh \
	tests/netns/owners.sh \
	tests/netns/dump-parallel.sh \
	tests/netns/owners-snapshot.sh \
	tests/netns/watch.sh \
	tests/netns/watch-namespaces.sh \
	tests/netns/nat-gateway.sh \
	tests/netns/trace.sh
TESTS += $(NETNS_TESTS)
EXTRA_DIST += $(NETNS_TESTS) tests/netns/lib.sh tests/netns/make-timewait.py \
	tests/netns/make-held.py tests/netns/trace-workload.py
