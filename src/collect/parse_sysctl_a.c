/* SPDX-License-Identifier: MIT */
/* parse_sysctl_a.c: the output of `sysctl -a` into the sysctl table.
 *
 * Lines are "key = value" (procps) or "key=value" (busybox, -e); the value
 * keeps everything after the first '=' (it may itself hold '='), with
 * whitespace folded by sysctls_put(). sysctl's own complaints on keys it
 * could not read ("sysctl: permission denied on key 'x'", "sysctl:
 * reading key \"x\"") record the key as present but unreadable; other
 * "sysctl:" lines are ignored. Anything else without '=' is an error.
 * sysctl prints a multi-line value (kernel.core_modes, dev.cdrom.info)
 * as one "key = line" per line; consecutive lines of one key are joined
 * with a space, which is what reading the /proc/sys file and folding its
 * whitespace gives. */
#include "collect/parsers.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "collect/parse_text.h"
#include "util/strbuf.h"
#include "util/sysctl_text.h"
#include "util/xalloc.h"

static bool key_valid(const char *k, size_t n)
{
	return sysctl_text_key_valid(k, n);
}

static void trim(const char **s, size_t *n)
{
	sysctl_text_trim(s, n);
}

/* "sysctl: ... key 'x'...": the quoted key, when there is one. */
static int complaint(const char *s, size_t n, const char *name, unsigned lineno,
		     struct tw_sysctls *out, struct tw_error *err)
{
	const char *q = NULL, *e;
	char *key;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\'' || s[i] == '"') {
			q = s + i;
			break;
		}
	}
	if (!q)
		return 0;
	e = memchr(q + 1, *q, (size_t)(s + n - q - 1));
	if (!e || !key_valid(q + 1, (size_t)(e - q - 1)))
		return tw_error_set(err, -EINVAL, "%s:%u: malformed key in sysctl message",
				    name, lineno);
	key = tw_xstrndup(q + 1, (size_t)(e - q - 1));
	sysctls_put(out, key, NULL);
	free(key);
	return 0;
}

/* The key and value gathered from consecutive lines of one key. */
struct pending {
	struct strbuf key, value;
	bool any;
};

static void flush(struct pending *p, struct tw_sysctls *out)
{
	if (p->any)
		sysctls_put(out, sb_str(&p->key), sb_str(&p->value));
	sb_reset(&p->key);
	sb_reset(&p->value);
	p->any = false;
}

int parse_sysctl_a(const char *buf, size_t len, const char *name,
		   struct tw_sysctls *out, struct tw_error *err)
{
	struct pending p = { STRBUF_INIT, STRBUF_INIT, false };
	struct text_lines it;
	const char *line;
	size_t n;
	int r = 0;

	text_lines_init(&it, buf, len);
	while (text_lines_next(&it, &line, &n)) {
		const char *eq, *k, *v;
		size_t kn, vn;

		if (text_is_binary(line, n)) {
			r = tw_error_set(err, -EINVAL, "%s:%u: binary data", name, it.lineno);
			goto out;
		}
		if (text_is_blank(line, n))
			continue;
		if (n >= 8 && memcmp(line, "sysctl: ", 8) == 0) {
			flush(&p, out);
			r = complaint(line + 8, n - 8, name, it.lineno, out, err);
			if (r < 0)
				goto out;
			continue;
		}
		eq = memchr(line, '=', n);
		if (!eq) {
			r = tw_error_set(err, -EINVAL, "%s:%u: expected 'key = value'", name,
					 it.lineno);
			goto out;
		}
		k = line;
		kn = (size_t)(eq - line);
		trim(&k, &kn);
		if (!key_valid(k, kn)) {
			char ex[TW_EXCERPT_MAX + 4];

			r = tw_error_set(err, -EINVAL, "%s:%u: malformed key '%s'", name, it.lineno,
					 tw_excerpt(k, kn, ex));
			goto out;
		}
		v = eq + 1;
		vn = (size_t)(line + n - v);
		trim(&v, &vn);
		if (p.any && p.key.len == kn && memcmp(p.key.buf, k, kn) == 0) {
			sb_appendc(&p.value, ' ');
		} else {
			flush(&p, out);
			sb_appendn(&p.key, k, kn);
			p.any = true;
		}
		sb_appendn(&p.value, v, vn);
	}
	flush(&p, out);
	out->known = true;
out:
	sb_free(&p.key);
	sb_free(&p.value);
	return r;
}
