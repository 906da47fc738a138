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
