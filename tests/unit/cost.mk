# SPDX-License-Identifier: MIT
# cost tests: the TIME_WAIT cost model on hand-built facts and on the
# captures in tests/fixtures/cost/ (read through src/collect parsers).
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_cost
TESTS += tests/unit/test_cost
tests_unit_test_cost_SOURCES = tests/unit/test_cost.c
tests_unit_test_cost_CFLAGS = $(TEST_UNIT_CFLAGS)
tests_unit_test_cost_LDADD = $(TEST_UNIT_LIBS)
endif
