/* SPDX-License-Identifier: MIT */
/* dirlist.c: sorted *.yaml listing of a folder (see dirlist.h). */
#include "engine/dirlist.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int dirlist_yaml(const char *dir, char ***ret, size_t *ret_n, struct tw_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **v = NULL;
	size_t n = 0, cap = 0;

	if (!d) {
		if (errno == ENOENT || errno == ENOTDIR) {
			*ret = NULL;
			*ret_n = 0;
			return 0;
		}
		return tw_error_set(err, -errno, "%s: %s", dir, strerror(errno));
	}
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		size_t plen;
		char *path;

		if (de->d_name[0] == '.' || len < 6 || strcmp(de->d_name + len - 5, ".yaml") != 0)
			continue;
		plen = strlen(dir) + len + 2;
		path = tw_xmalloc(plen);
		snprintf(path, plen, "%s/%s", dir, de->d_name);
		v = tw_xgrow(v, &cap, n + 1, sizeof(*v));
		v[n++] = path;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), cmp_str);
	*ret = v;
	*ret_n = n;
	return 0;
}

int dirlist_yaml_each(const char *dir, int (*load)(void *ctx, const char *path,
						   struct tw_error *err),
		      void *ctx, struct tw_error *err)
{
	char **files;
	size_t n;
	int r = dirlist_yaml(dir, &files, &n, err);

	if (r < 0)
		return r;
	for (size_t i = 0; i < n && r == 0; i++)
		r = load(ctx, files[i], err);
	for (size_t i = 0; i < n; i++)
		free(files[i]);
	free(files);
	return r;
}
