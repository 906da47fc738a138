libtwadvise_a_SOURCES += \
	src/sysctld/sysctld.c src/sysctld/sysctld.h
