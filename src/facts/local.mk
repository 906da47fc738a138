# SPDX-License-Identifier: MIT
libtwadvise_a_SOURCES += \
	src/facts/facts.c src/facts/facts.h \
	src/facts/addr.c src/facts/addr.h \
	src/facts/port_set.c src/facts/port_set.h \
	src/facts/kernel_version.c src/facts/kernel_version.h \
	src/facts/sysctls.c src/facts/sysctls.h \
	src/facts/sysctl_keys.c src/facts/sysctl_keys.h \
	src/facts/tuples.c src/facts/tuples.h \
	src/facts/nat.c src/facts/nat.h
