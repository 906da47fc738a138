/* SPDX-License-Identifier: MIT */
/* dynlib.h: a library loaded with dlopen() when its feature runs.
 *
 * libarchive (.tar.gz snapshots), jansson (--from-json, --format html),
 * ncursesw (--watch) and libbpf (--trace) each serve one feature, yet
 * linked at build time they cost every run about 2 ms of dynamic linking
 * (with their own dependencies: libxml2, ICU, libstdc++...), a third of
 * an idle run. So the program is not linked against them: a
 * src/util/lazy_LIB.c file defines each function of the library that the
 * program calls, with the library's own prototype, as a trampoline to
 * the real function, looked up once by dynlib_load(). Callers keep the
 * library's API; a feature calls its lazy_LIB_load() first, so that a
 * missing library is an error message (exit 1), never a crash. */
#ifndef TW_UTIL_DYNLIB_H
#define TW_UTIL_DYNLIB_H

#include <stddef.h>

#include "util/error.h"

struct dynlib {
	const char *soname;        /* "libarchive.so.13", from configure */
	const char *feature;       /* "snapshot archives (.tar.gz)": for messages */
	const char *const *names;  /* the functions to look up, n of them */
	void **fns;                /* their addresses, in the order of 'names' */
	size_t n;
	int state;                 /* 0 not tried, 1 loaded, <0 the failure */
	char why[512];             /* the failure, for a later call */
};

/* Loads the library and looks up every function (once; later calls
 * return the first outcome): 0, or -ENOENT with "FEATURE needs SONAME:
 * DLERROR" in 'err'. */
int dynlib_load(struct dynlib *lib, struct tw_error *err);

/* Function 'i' of a loaded library, for a trampoline. A feature that
 * forgot its dynlib_load() still gets it loaded here; should that fail,
 * this prints the error and exits 1 (the one way out of a trampoline). */
void *dynlib_fn(struct dynlib *lib, size_t i);

/* For the lazy_LIB.c files. A list macro LIST(X, V) names each function
 * as X(RET, NAME, (PARAMS), (ARGS)), or V(NAME, (PARAMS), (ARGS)) when it
 * returns void; DYNLIB_TABLE(LIST, var, SONAME, FEATURE) then defines
 * the struct dynlib 'var' and a trampoline per function. The name is in
 * parentheses where defined: a library may also have a macro of that
 * name (curses does). */
#define DYNLIB_X_INDEX(ret, name, params, args) DYNLIB_I_##name,
#define DYNLIB_V_INDEX(name, params, args) DYNLIB_I_##name,
#define DYNLIB_X_NAME(ret, name, params, args) #name,
#define DYNLIB_V_NAME(name, params, args) #name,
#define DYNLIB_TABLE(LIST, var, soname, feature)                                   \
	enum { LIST(DYNLIB_X_INDEX, DYNLIB_V_INDEX) DYNLIB_N_##var };              \
	static const char *const var##_names[] = { LIST(DYNLIB_X_NAME, DYNLIB_V_NAME) }; \
	static void *var##_fns[DYNLIB_N_##var];                                     \
	static struct dynlib var = { soname, feature, var##_names, var##_fns,       \
				     DYNLIB_N_##var, 0, "" }
#define DYNLIB_X_TRAMPOLINE(var, ret, name, params, args)                          \
	ret(name) params                                                           \
	{                                                                          \
		ret(*real) params = (ret(*) params)dynlib_fn(&var, DYNLIB_I_##name); \
		return real args;                                                  \
	}
#define DYNLIB_V_TRAMPOLINE(var, name, params, args)                               \
	void(name) params                                                          \
	{                                                                          \
		void(*real) params = (void(*) params)dynlib_fn(&var, DYNLIB_I_##name); \
		real args;                                                         \
	}

#endif
