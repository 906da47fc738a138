/* SPDX-License-Identifier: MIT */
/* dynlib.c: a library loaded with dlopen() when its feature runs (see
 * dynlib.h). */
#include "util/dynlib.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int dynlib_load(struct dynlib *lib, struct tw_error *err)
{
	void *h;

	if (lib->state > 0)
		return 0;
	if (lib->state < 0)
		return tw_error_set(err, lib->state, "%s", lib->why);
	/* RTLD_LOCAL: its symbols stay out of the global scope, where they
	 * would meet the trampolines of the same names. */
	h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *e = dlerror();

		snprintf(lib->why, sizeof(lib->why), "%s: needs %s, which cannot be loaded: %s",
			 lib->feature, lib->soname, e ? e : "unknown error");
		lib->state = -ENOENT;
		return tw_error_set(err, lib->state, "%s", lib->why);
	}
	for (size_t i = 0; i < lib->n; i++) {
		void *f;

		dlerror();
		f = dlsym(h, lib->names[i]);
		if (!f) {
			snprintf(lib->why, sizeof(lib->why), "%s: needs %s, which lacks %s()",
				 lib->feature, lib->soname, lib->names[i]);
			lib->state = -ENOENT;
			dlclose(h);
			return tw_error_set(err, lib->state, "%s", lib->why);
		}
		lib->fns[i] = f;
	}
	lib->state = 1;
	return 0;   /* the handle stays open until exit: the functions are in use */
}

void *dynlib_fn(struct dynlib *lib, size_t i)
{
	struct tw_error e;

	if (lib->state <= 0 && dynlib_load(lib, &e) < 0) {
		fprintf(stderr, "twadvise: %s\n", e.msg);
		exit(1);
	}
	return lib->fns[i];
}
