# SPDX-License-Identifier: MIT
# expr tests
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_expr
TESTS += tests/unit/test_expr
tests_unit_test_expr_SOURCES = tests/unit/test_expr.c
tests_unit_test_expr_CFLAGS = $(TEST_UNIT_CFLAGS)
tests_unit_test_expr_LDADD = $(TEST_UNIT_LIBS)
endif
