# SPDX-License-Identifier: MIT
# core tests: src/util (numbers, strbuf, file reading, the atomic writer)
# and src/facts (addresses, port sets, kernel versions, the sysctl table,
# the TIME_WAIT aggregator) in test_core; the YAML tree and the
# acknowledgement file in test_core_yaml.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_core tests/unit/test_core_yaml
TESTS += tests/unit/test_core tests/unit/test_core_yaml
tests_unit_test_core_SOURCES = tests/unit/test_core.c
tests_unit_test_core_CFLAGS = $(TEST_UNIT_CFLAGS)
tests_unit_test_core_LDADD = $(TEST_UNIT_LIBS)
tests_unit_test_core_yaml_SOURCES = tests/unit/test_core_yaml.c
tests_unit_test_core_yaml_CFLAGS = $(TEST_UNIT_CFLAGS)
tests_unit_test_core_yaml_LDADD = $(TEST_UNIT_LIBS)
endif
