# SPDX-License-Identifier: MIT
libtwadvise_a_SOURCES += \
	src/engine/yaml_doc.c src/engine/yaml_doc.h \
	src/engine/yaml_get.c src/engine/yaml_get.h \
	src/engine/dirlist.c src/engine/dirlist.h \
	src/engine/catalog.c src/engine/catalog.h \
	src/engine/profile.c src/engine/profile.h \
	src/engine/rules.c src/engine/rules.h \
	src/engine/engine.c src/engine/engine.h \
	src/engine/acks.c src/engine/acks.h \
	src/engine/allowlist.c src/engine/allowlist.h \
	src/engine/report.c src/engine/report.h \
	src/engine/severity.c src/engine/severity.h \
	src/engine/plan.c src/engine/plan.h
