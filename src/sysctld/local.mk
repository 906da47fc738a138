# SPDX-License-Identifier: MIT
libtwadvise_a_SOURCES += \
	src/sysctld/sysctld.c src/sysctld/sysctld.h src/sysctld/sysctld_parse.h \
	src/sysctld/apply.c src/sysctld/apply.h \
	src/sysctld/applystate.c src/sysctld/applystate.h
