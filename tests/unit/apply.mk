# SPDX-License-Identifier: MIT
# apply tests: live sysctl writes with rollback and the --apply state file
# (src/sysctld/apply.c), against a throw-away fake /proc/sys folder.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_apply
TESTS += tests/unit/test_apply
tests_unit_test_apply_SOURCES = tests/unit/test_apply.c
tests_unit_test_apply_CFLAGS = $(TEST_UNIT_CFLAGS)
tests_unit_test_apply_LDADD = $(TEST_UNIT_LIBS)
endif
