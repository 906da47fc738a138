# SPDX-License-Identifier: MIT
# cost: what TIME_WAIT costs this host (pure computation over the facts)
libtwadvise_a_SOURCES += \
	src/cost/cost.c src/cost/cost.h
