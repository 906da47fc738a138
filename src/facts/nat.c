/* SPDX-License-Identifier: MIT */
/* nat.c: the SNAT key aggregator (see nat.h).
 *
 * An open-addressing table of keys, each with its entry and TIME_WAIT
 * counts. It grows up to TW_NAT_KEYS_MAX keys; then the half holding the
 * fewest entries is evicted (sorted once, the index rebuilt), so memory
 * stays bounded and the busiest keys survive, as in tuples.c. */
#include "facts/nat.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "util/xalloc.h"

struct nat_entry {
	struct tw_nat_key k;
	bool used;
};

struct tw_nat_agg {
	struct nat_entry *slot;
	size_t cap;          /* power of two, at least twice the keys */
	size_t n;
	bool pruned;
	uint64_t floor;
	bool all_tuples;     /* every TCP entry came with both tuples */
	uint64_t masq, masq_tw;
};

static uint64_t hash_bytes(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = UINT64_C(0xcbf29ce484222325);

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * UINT64_C(0x100000001b3);
	return h ^ (h >> 29);
}

/* The key's bytes, padding-free, in tie-break order. */
static void key_bytes(const struct tw_nat_key *k, unsigned char out[36])
{
	out[0] = k->public_addr.family;
	memcpy(out + 1, k->public_addr.a, 16);
	out[17] = k->dst.family;
	memcpy(out + 18, k->dst.a, 16);
	out[34] = (unsigned char)(k->dport >> 8);
	out[35] = (unsigned char)(k->dport & 0xff);
}

static int key_cmp(const struct tw_nat_key *a, const struct tw_nat_key *b)
{
	unsigned char x[36], y[36];

	key_bytes(a, x);
	key_bytes(b, y);
	return memcmp(x, y, sizeof(x));
}

static size_t find_slot(const struct nat_entry *slot, size_t cap, const struct tw_nat_key *k)
{
	unsigned char b[36];
	size_t i;

	key_bytes(k, b);
	i = (size_t)hash_bytes(b, sizeof(b)) & (cap - 1);
	while (slot[i].used && key_cmp(&slot[i].k, k) != 0)
		i = (i + 1) & (cap - 1);
	return i;
}

struct tw_nat_agg *nat_agg_new(void)
{
	struct tw_nat_agg *a = tw_xcalloc(1, sizeof(*a));

	a->cap = 256;
	a->slot = tw_xcalloc(a->cap, sizeof(*a->slot));
	a->all_tuples = true;
	return a;
}

void nat_agg_free(struct tw_nat_agg *agg)
{
	if (!agg)
		return;
	free(agg->slot);
	free(agg);
}

/* Busiest first; ties by key bytes (deterministic output). */
static int cmp_busy(const void *pa, const void *pb)
{
	const struct tw_nat_key *a = pa, *b = pb;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	if (a->time_wait != b->time_wait)
		return a->time_wait > b->time_wait ? -1 : 1;
	return key_cmp(a, b);
}

/* The keys, packed into a new array (caller frees). */
static struct tw_nat_key *pack(const struct tw_nat_agg *a)
{
	struct tw_nat_key *v = tw_xcalloc(a->n ? a->n : 1, sizeof(*v));
	size_t j = 0;

	for (size_t i = 0; i < a->cap; i++)
		if (a->slot[i].used)
			v[j++] = a->slot[i].k;
	return v;
}

static void rebuild(struct tw_nat_agg *a, size_t cap, const struct tw_nat_key *v, size_t n)
{
	free(a->slot);
	a->cap = cap;
	a->slot = tw_xcalloc(cap, sizeof(*a->slot));
	a->n = n;
	for (size_t i = 0; i < n; i++) {
		size_t s = find_slot(a->slot, cap, &v[i]);

		a->slot[s].used = true;
		a->slot[s].k = v[i];
	}
}

/* Keeps the busier half of the keys. */
static void prune(struct tw_nat_agg *a)
{
	struct tw_nat_key *v = pack(a);
	size_t keep = a->n / 2;

	qsort(v, a->n, sizeof(*v), cmp_busy);
	for (size_t i = keep; i < a->n; i++)
		if (v[i].count > a->floor)
			a->floor = v[i].count;
	a->pruned = true;
	rebuild(a, a->cap, v, keep);
	free(v);
}

void nat_agg_add(struct tw_nat_agg *agg, const struct tw_ct_entry *e)
{
	struct tw_nat_key k = { 0 };
	size_t s;

	if (e->l4proto != 6)
		return;
	if (!e->tuples_known) {
		agg->all_tuples = false;
		return;
	}
	if (tw_addr_equal(&e->reply_dst, &e->orig_src))
		return;  /* not source-NATed */
	agg->masq++;
	agg->masq_tw += e->time_wait;
	k.public_addr = e->reply_dst;
	k.dst = e->orig_dst;
	k.dport = e->orig_dport;
	s = find_slot(agg->slot, agg->cap, &k);
	if (!agg->slot[s].used) {
		if (agg->n + 1 > TW_NAT_KEYS_MAX) {
			prune(agg);
			s = find_slot(agg->slot, agg->cap, &k);
		} else if (2 * (agg->n + 1) > agg->cap) {
			struct tw_nat_key *v = pack(agg);

			rebuild(agg, agg->cap * 2, v, agg->n);
			free(v);
			s = find_slot(agg->slot, agg->cap, &k);
		}
		agg->slot[s].used = true;
		agg->slot[s].k = k;
		agg->n++;
	}
	agg->slot[s].k.count++;
	agg->slot[s].k.time_wait += e->time_wait;
}

void nat_agg_finish(struct tw_nat_agg *agg, struct tw_nat_stats *ret)
{
	struct tw_nat_key *v = pack(agg);

	memset(ret, 0, sizeof(*ret));
	qsort(v, agg->n, sizeof(*v), cmp_busy);
	ret->known = agg->all_tuples;
	ret->masqueraded = agg->masq;
	ret->masqueraded_time_wait = agg->masq_tw;
	ret->keys = agg->n;
	ret->capped = agg->pruned;
	ret->capped_floor = agg->floor;
	ret->ntop = agg->n < TW_NAT_TOP_MAX ? agg->n : TW_NAT_TOP_MAX;
	memcpy(ret->top, v, ret->ntop * sizeof(*v));
	free(v);
	nat_agg_free(agg);
}
