/* SPDX-License-Identifier: MIT */
/* macros.h: the few macros every part of twadvise may use. */
#ifndef TW_UTIL_MACROS_H
#define TW_UTIL_MACROS_H

#include <stddef.h>

/* Elements of an array (not of a pointer). */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
