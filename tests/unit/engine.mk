# SPDX-License-Identifier: MIT
# engine tests: the change plan and the verdict on rules written by the
# test (test_engine), and every catalog name and function against values
# the test reads itself from each fixture snapshot (test_catalog).
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_engine tests/unit/test_catalog
TESTS += tests/unit/test_engine tests/unit/test_catalog
tests_unit_test_engine_SOURCES = tests/unit/test_engine.c
tests_unit_test_engine_CFLAGS = $(TEST_UNIT_CFLAGS)
tests_unit_test_engine_LDADD = $(TEST_UNIT_LIBS)
tests_unit_test_catalog_SOURCES = tests/unit/test_catalog.c
tests_unit_test_catalog_CFLAGS = $(TEST_UNIT_CFLAGS)
tests_unit_test_catalog_LDADD = $(TEST_UNIT_LIBS)
endif
