# SPDX-License-Identifier: MIT
# collect tests
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_parsers tests/unit/test_snapshot tests/unit/test_tuples tests/unit/test_live_root \
	tests/unit/test_netns_owner tests/unit/test_nat
TESTS += tests/unit/test_parsers tests/unit/test_snapshot tests/unit/test_tuples tests/unit/test_live_root \
	tests/unit/test_netns_owner tests/unit/test_nat
tests_unit_test_nat_SOURCES = tests/unit/test_nat.c
tests_unit_test_nat_CFLAGS = $(TEST_UNIT_CFLAGS)
tests_unit_test_nat_LDADD = $(TEST_UNIT_LIBS)
tests_unit_test_tuples_SOURCES = tests/unit/test_tuples.c
tests_unit_test_tuples_CFLAGS = $(TEST_UNIT_CFLAGS)
tests_unit_test_tuples_LDADD = $(TEST_UNIT_LIBS)
tests_unit_test_parsers_SOURCES = tests/unit/test_parsers.c
tests_unit_test_parsers_CFLAGS = $(TEST_UNIT_CFLAGS)
tests_unit_test_parsers_LDADD = $(TEST_UNIT_LIBS)
tests_unit_test_snapshot_SOURCES = tests/unit/test_snapshot.c
tests_unit_test_snapshot_CFLAGS = $(TEST_UNIT_CFLAGS)
tests_unit_test_snapshot_LDADD = $(TEST_UNIT_LIBS)
tests_unit_test_live_root_SOURCES = tests/unit/test_live_root.c
tests_unit_test_live_root_CFLAGS = $(TEST_UNIT_CFLAGS)
tests_unit_test_live_root_LDADD = $(TEST_UNIT_LIBS)
tests_unit_test_netns_owner_SOURCES = tests/unit/test_netns_owner.c
tests_unit_test_netns_owner_CFLAGS = $(TEST_UNIT_CFLAGS)
tests_unit_test_netns_owner_LDADD = $(TEST_UNIT_LIBS)
endif
