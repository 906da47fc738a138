/* SPDX-License-Identifier: MIT */
/* lazy_jansson.c: jansson, loaded when report documents are read
 * (--from-json, --format html; see dynlib.h and lazy.h). */
#include "util/lazy.h"

#include <jansson.h>

#include "util/dynlib.h"

#define JANSSON_FUNCS(X, V)                                                          \
	X(json_t *, json_array_get, (const json_t *a, size_t i), (a, i))             \
	X(size_t, json_array_size, (const json_t *a), (a))                           \
	V(json_delete, (json_t * j), (j))                                            \
	X(json_int_t, json_integer_value, (const json_t *j), (j))                    \
	X(json_t *, json_loadb,                                                      \
	  (const char *buf, size_t len, size_t flags, json_error_t *error),          \
	  (buf, len, flags, error))                                                  \
	X(double, json_number_value, (const json_t *j), (j))                         \
	X(json_t *, json_object_get, (const json_t *o, const char *key), (o, key))   \
	X(const char *, json_string_value, (const json_t *j), (j))

DYNLIB_TABLE(JANSSON_FUNCS, jansson_lib, TW_SONAME_JANSSON, "--from-json and --format html");

int lazy_jansson_load(struct tw_error *err)
{
	return dynlib_load(&jansson_lib, err);
}

#define X(ret, name, params, args) DYNLIB_X_TRAMPOLINE(jansson_lib, ret, name, params, args)
#define V(name, params, args) DYNLIB_V_TRAMPOLINE(jansson_lib, name, params, args)
JANSSON_FUNCS(X, V)
