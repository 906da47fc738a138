/* SPDX-License-Identifier: MIT */
/* parse_meta.c: a snapshot's meta.txt, what --capture recorded about the
 * host (see parsers.h). */
#include "collect/parsers.h"

#include <errno.h>
#include <string.h>

#include "collect/parse_text.h"
#include "util/xalloc.h"

/* A value longer than a host name or a date is not meta.txt. */
#define META_VALUE_MAX 255

static bool value_ok(const char *s, size_t n)
{
	if (n == 0 || n > META_VALUE_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

/* As `ip netns` names them: a file name under /run/netns. */
static bool netns_name_ok(const char *s, size_t n)
{
	if (memchr(s, '/', n) || (n == 1 && s[0] == '.') || (n == 2 && memcmp(s, "..", 2) == 0))
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] == ' ' || s[i] == '\t')
			return false;
	return true;
}

int parse_meta(const char *buf, size_t len, const char *name,
	       struct tw_snapshot_meta *out, struct tw_error *err)
{
	struct text_lines it;
	const char *line;
	size_t n;

	text_lines_init(&it, buf, len);
	while (text_lines_next(&it, &line, &n)) {
		const char *sp, *v;
		size_t kn, vn;
		char **slot = NULL;

		while (n > 0 && (line[0] == ' ' || line[0] == '\t')) {
			line++;
			n--;
		}
		while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
			n--;
		if (n == 0 || line[0] == '#')
			continue;
		sp = memchr(line, ' ', n);
		if (!sp)
			return tw_error_set(err, -EINVAL, "%s:%u: expected 'KEY VALUE'", name,
					    it.lineno);
		kn = (size_t)(sp - line);
		v = sp + 1;
		vn = n - kn - 1;
		while (vn > 0 && *v == ' ') {
			v++;
			vn--;
		}
		if (!value_ok(v, vn))
			return tw_error_set(err, -EINVAL,
					    "%s:%u: value empty, longer than %u bytes or with "
					    "control characters", name, it.lineno, META_VALUE_MAX);
#define KEY(word) (kn == sizeof(word) - 1 && memcmp(line, word, kn) == 0)
		if (KEY("hostname"))
			slot = &out->hostname;
		else if (KEY("captured_at"))
			slot = &out->captured_at;
		else if (KEY("netns"))
			slot = &out->netns;
		else if (KEY("kernel"))
			slot = &out->kernel;
		else if (KEY("twadvise_version"))
			slot = &out->version;
		else if (KEY("in_container")) {
			if (out->in_container.known)
				goto repeated;
			if (vn == 3 && memcmp(v, "yes", 3) == 0)
				out->in_container.v = 1;
			else if (vn == 2 && memcmp(v, "no", 2) == 0)
				out->in_container.v = 0;
			else
				return tw_error_set(err, -EINVAL, "%s:%u: in_container is yes or no",
						    name, it.lineno);
			out->in_container.known = true;
			continue;
		}
#undef KEY
		if (!slot)
			continue;   /* a key of a later version */
		if (*slot)
			goto repeated;
		if (slot == &out->netns && !netns_name_ok(v, vn))
			return tw_error_set(err, -EINVAL, "%s:%u: not a namespace name", name,
					    it.lineno);
		*slot = tw_xstrndup(v, vn);
		continue;
repeated:
		return tw_error_set(err, -EINVAL, "%s:%u: '%.*s' given twice", name, it.lineno,
				    (int)kn, line);
	}
	out->read = true;
	return 0;
}
