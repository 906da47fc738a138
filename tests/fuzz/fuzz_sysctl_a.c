/* SPDX-License-Identifier: MIT */
/* fuzz_sysctl_a.c: fuzz target for parse_sysctl_a() (`sysctl -a` output).
 *
 * The input is parsed as a whole file; on success the table is sealed and
 * every key is looked up again (it must be found, its value must be
 * folded: no tab, newline or double space, no leading or trailing space)
 * and converted to a /proc/sys path and back (the round trip must give the
 * key). A put after the seal must win over the parsed value. */
#include "tests/fuzz/fuzz_common.h"

#include "collect/parsers.h"
#include "facts/sysctls.h"

static void check_value(const char *v)
{
	size_t n;

	if (!v)
		return;
	n = strlen(v);
	if (strchr(v, '\t') || strchr(v, '\n') || strstr(v, "  ") ||
	    (n > 0 && (v[0] == ' ' || v[n - 1] == ' ')))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tw_sysctls t = { 0 };
	struct tw_error err;
	int r;

	r = parse_sysctl_a((const char *)data, size, "sysctl-a.txt", &t, &err);
	fuzz_check_error(r, &err, "sysctl-a.txt");
	if (r == 0) {
		if (!t.known)
			abort();
		sysctls_seal(&t);
		for (size_t i = 0; i < t.n; i++) {
			const struct tw_sysctl_entry *e = sysctls_find(&t, t.v[i].key);
			char *path, *back;
			int64_t v;

			if (e != &t.v[i])
				abort();
			check_value(e->value);
			r = sysctls_get_i64(&t, e->key, INT64_MIN, INT64_MAX, &v);
			if (r == -EACCES && e->value)
				abort();
			path = sysctl_key_to_path(e->key);
			back = sysctl_path_to_key(path);
			if (strcmp(back, e->key) != 0)
				abort();
			free(path);
			free(back);
		}
		if (t.n > 0) {
			char *key = strdup(t.v[t.n / 2].key);
			const char *v;

			if (!key)
				abort();
			sysctls_put(&t, key, "  fuzz\tvalue ");
			v = sysctls_get(&t, key);
			if (!v || strcmp(v, "fuzz value") != 0)
				abort();
			free(key);
		}
	}
	sysctls_free(&t);
	return 0;
}
