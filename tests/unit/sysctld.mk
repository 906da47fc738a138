# SPDX-License-Identifier: MIT
# sysctld tests
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_sysctld tests/unit/test_diff
TESTS += tests/unit/test_sysctld tests/unit/test_diff
tests_unit_test_sysctld_SOURCES = tests/unit/test_sysctld.c
tests_unit_test_sysctld_CFLAGS = $(TEST_UNIT_CFLAGS)
tests_unit_test_sysctld_LDADD = $(TEST_UNIT_LIBS)
tests_unit_test_diff_SOURCES = tests/unit/test_diff.c
tests_unit_test_diff_CFLAGS = $(TEST_UNIT_CFLAGS)
tests_unit_test_diff_LDADD = $(TEST_UNIT_LIBS)
endif
