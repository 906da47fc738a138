/* SPDX-License-Identifier: MIT */
/* kernel_version.c: uname -r parsing (see kernel_version.h). */
#include "facts/kernel_version.h"

#include <errno.h>
#include <string.h>

#include "util/parse_num.h"

/* Reads digits at *p into *ret (bounded), advancing *p. */
static int read_component(const char **p, unsigned *ret)
{
	const char *s = *p;
	uint64_t v;
	size_t n = 0;

	while (s[n] >= '0' && s[n] <= '9')
		n++;
	if (n == 0 || tw_parse_u64n(s, n, 0, 65535, &v) < 0)
		return -EINVAL;
	*ret = (unsigned)v;
	*p = s + n;
	return 0;
}

int kernel_version_parse(const char *text, struct tw_kernel_version *ret)
{
	struct tw_kernel_version v = { .known = true };
	const char *p = text, *end;
	size_t len;

	while (*p == ' ' || *p == '\t')
		p++;
	end = p;
	while (*end && *end != '\n' && *end != '\r')
		end++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	len = (size_t)(end - p);
	if (len == 0 || len >= sizeof(v.release))
		return -EINVAL;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)p[i] < 0x21 || (unsigned char)p[i] > 0x7e)
			return -EINVAL;
	memcpy(v.release, p, len);
	v.release[len] = '\0';

	if (read_component(&p, &v.major) < 0 || *p != '.')
		return -EINVAL;
	p++;
	if (read_component(&p, &v.minor) < 0)
		return -EINVAL;
	if (*p == '.' && p[1] >= '0' && p[1] <= '9') {
		p++;
		if (read_component(&p, &v.patch) < 0)
			return -EINVAL;
	}
	if (v.major == 0 || v.major > 99)
		return -EINVAL;
	*ret = v;
	return 0;
}

int kernel_version_cmp(const struct tw_kernel_version *v, unsigned major,
		       unsigned minor, unsigned patch)
{
	if (v->major != major)
		return v->major < major ? -1 : 1;
	if (v->minor != minor)
		return v->minor < minor ? -1 : 1;
	if (v->patch != patch)
		return v->patch < patch ? -1 : 1;
	return 0;
}
