# SPDX-License-Identifier: MIT
# render tests
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_render
TESTS += tests/unit/test_render
tests_unit_test_render_SOURCES = tests/unit/test_render.c
tests_unit_test_render_CFLAGS = $(TEST_UNIT_CFLAGS)
tests_unit_test_render_LDADD = $(TEST_UNIT_LIBS)
endif
# test_html: HTML escaping, a hostile or ill-typed report document, and
# the JSON Lines reader of --from-json (FILE:LINE:COL errors).
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_html
TESTS += tests/unit/test_html
tests_unit_test_html_SOURCES = tests/unit/test_html.c
tests_unit_test_html_CFLAGS = $(TEST_UNIT_CFLAGS)
tests_unit_test_html_LDADD = $(TEST_UNIT_LIBS)
endif
# --watch's numbers (watch_model.c, watch_format.c)
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_watch_model
TESTS += tests/unit/test_watch_model
tests_unit_test_watch_model_SOURCES = tests/unit/test_watch_model.c
tests_unit_test_watch_model_CFLAGS = $(TEST_UNIT_CFLAGS)
tests_unit_test_watch_model_LDADD = $(TEST_UNIT_LIBS)
endif
