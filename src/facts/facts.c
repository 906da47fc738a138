/* SPDX-License-Identifier: MIT */
/* facts.c: life cycle of the fact table and small derived facts (see facts.h). */
#include "facts/facts.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysctld/sysctld.h"
#include "util/parse_num.h"
#include "util/xalloc.h"

void facts_init(struct tw_facts *f)
{
	memset(f, 0, sizeof(*f));
}

void counter_list_free(struct tw_counter_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void facts_free(struct tw_facts *f)
{
	free(f->snapshot_dir);
	free(f->netns);
	sysctls_free(&f->sysctls);
	counter_list_free(&f->counters.tcpext);
	counter_list_free(&f->counters.tcp);
	sysctld_free(f->persisted);
	for (size_t i = 0; i < f->nnotes; i++)
		free(f->notes[i]);
	memset(f, 0, sizeof(*f));
}

void facts_note(struct tw_facts *f, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (f->nnotes >= TW_MAX_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	f->notes[f->nnotes++] = tw_xstrdup(buf);
}

int counter_list_get(const struct tw_counter_list *l, const char *name, int64_t *ret)
{
	for (size_t i = 0; i < l->n; i++) {
		if (strcmp(l->v[i].name, name) == 0) {
			*ret = l->v[i].value;
			return 0;
		}
	}
	return -ENOENT;
}

void counter_list_set(struct tw_counter_list *l, const char *name, int64_t value)
{
	for (size_t i = 0; i < l->n; i++) {
		if (strcmp(l->v[i].name, name) == 0) {
			l->v[i].value = value;
			return;
		}
	}
	l->v = tw_xgrow(l->v, &l->cap, l->n + 1, sizeof(l->v[0]));
	l->v[l->n].name = tw_xstrdup(name);
	l->v[l->n].value = value;
	l->n++;
}

bool facts_port_range(const struct tw_facts *f, uint16_t *ret_low, uint16_t *ret_high)
{
	const char *v = sysctls_get(&f->sysctls, "net.ipv4.ip_local_port_range");
	uint64_t lo, hi;
	const char *sp;

	if (!v)
		return false;
	sp = strchr(v, ' ');
	if (!sp || tw_parse_u64n(v, (size_t)(sp - v), 1, 65535, &lo) < 0 ||
	    tw_parse_u64(sp + 1, 1, 65535, &hi) < 0 || lo > hi)
		return false;
	*ret_low = (uint16_t)lo;
	*ret_high = (uint16_t)hi;
	return true;
}

uint64_t facts_ports_available(const struct tw_facts *f)
{
	struct tw_port_set reserved;
	const char *rv;
	uint16_t lo, hi;
	uint64_t n;

	if (!facts_port_range(f, &lo, &hi))
		return 0;
	n = (uint64_t)hi - lo + 1;
	rv = sysctls_get(&f->sysctls, "net.ipv4.ip_local_reserved_ports");
	if (rv && port_set_parse(rv, &reserved) == 0)
		n -= port_set_count_in(&reserved, lo, hi);
	return n;
}
