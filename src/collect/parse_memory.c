/* SPDX-License-Identifier: MIT */
/* parse_memory.c: what TIME_WAIT costs in memory, from three sources.
 *
 * /proc/slabinfo (version 2.x): the rows tw_sock_TCP, tw_sock_TCPv6 and
 * tcp_bind_bucket ("name active num objsize objperslab pagesperslab :
 * tunables ... : slabdata active_slabs num_slabs sharedavail"); every row
 * is checked, a row missing on this kernel (merged caches) stays unknown.
 * /proc/meminfo: "Key:   N kB" lines, MemTotal kept. The kernel log
 * (dmesg, or journalctl -k with its own prefixes): the boot-time lines
 * "TCP established hash table entries: N" and "TCP bind hash table
 * entries: N", matched anywhere in a line; the last one wins, so a log
 * spanning several boots gives the latest boot's sizes. */
#include "collect/parsers.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "collect/parse_text.h"
#include "util/parse_num.h"
#include "util/macros.h"

#define SLAB_MAX_FIELDS 32

static int parse_u64_field(const struct text_field *f, uint64_t *ret)
{
	return tw_parse_u64n(f->s, f->n, 0, INT64_MAX, ret);
}

static int slab_row(const struct text_field *f, size_t nf, struct tw_slab *s)
{
	size_t sd = 0;

	if (nf < 6 || nf > SLAB_MAX_FIELDS)
		return -EINVAL;
	for (size_t i = 6; i < nf; i++) {
		if (text_field_is(&f[i], "slabdata")) {
			sd = i;
			break;
		}
	}
	if (sd == 0 || sd + 2 >= nf)
		return -EINVAL;
	if (parse_u64_field(&f[1], &s->active_objs) < 0 ||
	    parse_u64_field(&f[2], &s->num_objs) < 0 ||
	    parse_u64_field(&f[3], &s->objsize) < 0 ||
	    parse_u64_field(&f[4], &s->objperslab) < 0 ||
	    parse_u64_field(&f[5], &s->pagesperslab) < 0 ||
	    parse_u64_field(&f[sd + 1], &s->active_slabs) < 0 ||
	    parse_u64_field(&f[sd + 2], &s->num_slabs) < 0)
		return -EINVAL;
	if (s->active_objs > s->num_objs)
		return -EINVAL;
	return 0;
}

int parse_slabinfo(const char *buf, size_t len, const char *name,
		   struct tw_memory *out, struct tw_error *err)
{
	static const char version[] = "slabinfo - version: 2.";
	struct text_field f[SLAB_MAX_FIELDS];
	struct text_lines it;
	const char *line;
	size_t n;

	text_lines_init(&it, buf, len);
	if (!text_lines_next(&it, &line, &n) || n < sizeof(version) - 1 ||
	    memcmp(line, version, sizeof(version) - 1) != 0)
		return tw_error_set(err, -EINVAL, "%s:1: not 'slabinfo - version: 2.x'", name);
	while (text_lines_next(&it, &line, &n)) {
		struct tw_slab s, *dst = NULL;
		size_t nf;

		if (text_is_binary(line, n))
			return tw_error_set(err, -EINVAL, "%s:%u: binary data", name, it.lineno);
		if (n > 0 && line[0] == '#')
			continue;
		nf = text_split(line, n, f, SLAB_MAX_FIELDS);
		if (nf == 0)
			continue;
		memset(&s, 0, sizeof(s));
		if (slab_row(f, nf, &s) < 0)
			return tw_error_set(err, -EINVAL, "%s:%u: malformed slab row", name,
					    it.lineno);
		if (text_field_is(&f[0], "tw_sock_TCP"))
			dst = &out->tw_sock_tcp;
		else if (text_field_is(&f[0], "tw_sock_TCPv6"))
			dst = &out->tw_sock_tcpv6;
		else if (text_field_is(&f[0], "tcp_bind_bucket"))
			dst = &out->tcp_bind_bucket;
		if (dst) {
			s.known = true;
			*dst = s;
		}
	}
	out->slabinfo_known = true;
	return 0;
}

int parse_meminfo(const char *buf, size_t len, const char *name,
		  struct tw_memory *out, struct tw_error *err)
{
	struct text_field f[4];
	struct text_lines it;
	const char *line;
	bool found = false;
	size_t n;

	text_lines_init(&it, buf, len);
	while (text_lines_next(&it, &line, &n)) {
		uint64_t v;
		size_t nf;

		if (text_is_binary(line, n))
			return tw_error_set(err, -EINVAL, "%s:%u: binary data", name, it.lineno);
		nf = text_split(line, n, f, 4);
		if (nf == 0)
			continue;
		if (nf < 2 || nf > 3 || f[0].n < 2 || f[0].s[f[0].n - 1] != ':' ||
		    (nf == 3 && !text_field_is(&f[2], "kB")) || parse_u64_field(&f[1], &v) < 0)
			return tw_error_set(err, -EINVAL, "%s:%u: expected 'Key: N [kB]'", name,
					    it.lineno);
		if (text_field_is(&f[0], "MemTotal:")) {
			if (nf != 3 || v == 0)
				return tw_error_set(err, -EINVAL, "%s:%u: bad MemTotal", name,
						    it.lineno);
			out->mem_total_kb.known = true;
			out->mem_total_kb.v = v;
			found = true;
		}
	}
	if (!found)
		return tw_error_set(err, -EINVAL, "%s: no MemTotal line", name);
	return 0;
}

/* The decimal number right after 'what' in the line, when 'what' occurs. */
static int log_number(const char *line, size_t n, const char *what, bool *found,
		      uint64_t *ret)
{
	size_t wn = strlen(what), d, i;
	const char *at;

	*found = false;
	/* memmem, not a memcmp at every offset: the whole kernel log goes
	 * through here on every live run. */
	at = memmem(line, n, what, wn);
	if (!at)
		return 0;
	i = (size_t)(at - line);
	for (d = i + wn; d < n && line[d] >= '0' && line[d] <= '9'; d++)
		;
	*found = true;
	return tw_parse_u64n(line + i + wn, d - i - wn, 1, UINT32_MAX, ret) < 0 ? -EINVAL : 0;
}

int parse_dmesg(const char *buf, size_t len, const char *name,
		struct tw_memory *out, struct tw_error *err)
{
	static const struct {
		const char *what;
		size_t offset;
	} keys[] = {
		{ "TCP established hash table entries: ",
		  offsetof(struct tw_memory, ehash_entries) },
		{ "TCP bind hash table entries: ", offsetof(struct tw_memory, bhash_entries) },
	};
	struct text_lines it;
	const char *line;
	size_t n;

	text_lines_init(&it, buf, len);
	while (text_lines_next(&it, &line, &n)) {
		if (text_is_binary(line, n))
			return tw_error_set(err, -EINVAL, "%s:%u: binary data", name, it.lineno);
		for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
			struct tw_opt *o = (struct tw_opt *)((char *)out + keys[k].offset);
			bool found;
			uint64_t v;

			if (log_number(line, n, keys[k].what, &found, &v) < 0)
				return tw_error_set(err, -EINVAL, "%s:%u: bad number after '%s'",
						    name, it.lineno, keys[k].what);
			if (found) {
				o->known = true;
				o->v = v;
			}
		}
	}
	return 0;
}
