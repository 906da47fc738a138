# SPDX-License-Identifier: MIT
# render: every output format (text, json, sysctl fragment, prometheus,
# nagios, k8s, fleet table).
libtwadvise_a_SOURCES += \
	src/render/render.h \
	src/render/render_util.c src/render/render_util.h \
	src/render/json_writer.c src/render/json_writer.h \
	src/render/fragment.c \
	src/render/k8s.c src/render/k8s_sysctls.c src/render/k8s_sysctls.h \
	src/render/json.c \
	src/render/text.c \
	src/render/prometheus.c \
	src/render/nagios.c \
	src/render/fleet.c \
	src/render/namespaces.c
# --format html (one page; reads report documents with jansson).
libtwadvise_a_SOURCES += \
	src/render/html.c src/render/html.h \
	src/render/html_host.c src/render/html_host.h \
	src/render/html_svg.c src/render/html_svg.h \
	src/render/html_json.c src/render/html_json.h \
	src/render/html_escape.c src/render/html_escape.h
libtwadvise_a_SOURCES += \
	src/render/watch_model.c src/render/watch_model.h \
	src/render/watch_format.c

# The --watch screen: the one file built against ncurses, kept out of
# libtwadvise.a so that the tests and tools do not link it.
noinst_LIBRARIES += libtwwatchview.a
libtwwatchview_a_SOURCES = src/render/watch_view.c src/render/watch_view.h \
	src/util/lazy_curses.c src/util/lazy_curses.h
libtwwatchview_a_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS)
