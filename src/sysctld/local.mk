libtwadvise_a_SOURCES += \
	src/sysctld/sysctld.c src/sysctld/sysctld.h src/sysctld/sysctld_parse.h \
	src/sysctld/diff.c src/sysctld/diff.h
