/* SPDX-License-Identifier: MIT */
/* tuples.c: the TIME_WAIT aggregator (see tuples.h).
 *
 * An open-addressing hash table keyed by the tuple key (side, local
 * address, remote address, port) holds one counter per distinct key; a
 * second one counts distinct peers of server-side sockets. Per local
 * address, a port bitmap records which local ports client-side sockets
 * use, for the bind()-before-connect() heuristic. Nothing is stored per
 * socket. */
#include "facts/tuples.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "util/xalloc.h"

/* A packed, padding-free key so it can be hashed and compared as bytes. */
struct tuple_key {
	uint8_t side;
	uint8_t lfamily;
	uint8_t rfamily;
	uint8_t port_hi, port_lo;
	uint8_t local[16];
	uint8_t remote[16];
};

struct slot {
	struct tuple_key key;
	uint8_t used;
	uint64_t count;
};

struct table {
	struct slot *slots;
	size_t cap;    /* power of two */
	size_t n;
};

#define MAX_LOCAL_ADDRS 64

struct local_track {
	struct tw_addr addr;
	uint64_t count;
	struct tw_port_set *ports;
};

struct tw_aggregator {
	const struct tw_port_set *listening;
	uint16_t range_low, range_high;
	struct table tuples;
	struct table peers;           /* server-side remote addresses (side/port zero) */
	struct local_track locals[MAX_LOCAL_ADDRS];
	size_t nlocals;
	size_t last_local;
	struct tw_tw_stats stats;
};

/* FNV-1a over the key bytes, then a final mix for the low bits. */
static uint64_t hash_key(const struct tuple_key *k)
{
	const uint8_t *p = (const uint8_t *)k;
	uint64_t h = UINT64_C(1469598103934665603);

	for (size_t i = 0; i < sizeof(*k); i++) {
		h ^= p[i];
		h *= UINT64_C(1099511628211);
	}
	h ^= h >> 29;
	h *= UINT64_C(0xbf58476d1ce4e5b9);
	h ^= h >> 32;
	return h;
}

static void table_grow(struct table *t);

static struct slot *table_upsert(struct table *t, const struct tuple_key *k)
{
	size_t i;

	if ((t->n + 1) * 10 > t->cap * 7)
		table_grow(t);
	i = (size_t)hash_key(k) & (t->cap - 1);
	for (;;) {
		struct slot *s = &t->slots[i];

		if (!s->used) {
			s->used = 1;
			s->key = *k;
			s->count = 0;
			t->n++;
			return s;
		}
		if (memcmp(&s->key, k, sizeof(*k)) == 0)
			return s;
		i = (i + 1) & (t->cap - 1);
	}
}

static void table_grow(struct table *t)
{
	struct table bigger = { .cap = t->cap ? t->cap * 2 : 256 };

	bigger.slots = tw_xcalloc(bigger.cap, sizeof(struct slot));
	for (size_t i = 0; i < t->cap; i++) {
		if (t->slots[i].used) {
			struct slot *s = table_upsert(&bigger, &t->slots[i].key);

			s->count = t->slots[i].count;
		}
	}
	free(t->slots);
	*t = bigger;
}

enum tw_side tuple_side(const struct tw_sock *s, const struct tw_port_set *listening,
			uint16_t range_low, uint16_t range_high)
{
	bool local_ephemeral = s->lport >= range_low && s->lport <= range_high;
	bool remote_ephemeral = s->rport >= range_low && s->rport <= range_high;

	if (listening && port_set_has(listening, s->lport))
		return TW_SIDE_SERVER;
	if (!local_ephemeral && remote_ephemeral)
		return TW_SIDE_SERVER;  /* a listener that has since closed */
	return TW_SIDE_CLIENT;
}

struct tw_aggregator *aggregator_new(const struct tw_port_set *listening,
				     uint16_t range_low, uint16_t range_high)
{
	struct tw_aggregator *agg = tw_xcalloc(1, sizeof(*agg));

	agg->listening = listening;
	agg->range_low = range_low;
	agg->range_high = range_high;
	agg->stats.known = true;
	return agg;
}

static struct local_track *track_local(struct tw_aggregator *agg, const struct tw_addr *a)
{
	if (agg->nlocals > 0 && tw_addr_equal(&agg->locals[agg->last_local].addr, a))
		return &agg->locals[agg->last_local];
	for (size_t i = 0; i < agg->nlocals; i++) {
		if (tw_addr_equal(&agg->locals[i].addr, a)) {
			agg->last_local = i;
			return &agg->locals[i];
		}
	}
	if (agg->nlocals == MAX_LOCAL_ADDRS)
		return NULL;  /* past this many source addresses the heuristic is moot */
	agg->locals[agg->nlocals].addr = *a;
	agg->locals[agg->nlocals].ports = tw_xcalloc(1, sizeof(struct tw_port_set));
	agg->last_local = agg->nlocals;
	return &agg->locals[agg->nlocals++];
}

void aggregator_add(struct tw_aggregator *agg, const struct tw_sock *s)
{
	struct tw_tw_stats *st = &agg->stats;
	struct tuple_key k;
	enum tw_side side;

	if (s->state != TW_TCP_TIME_WAIT)
		return;
	side = tuple_side(s, agg->listening, agg->range_low, agg->range_high);
	st->total++;
	if (s->local.family == AF_INET6)
		st->ipv6++;
	else
		st->ipv4++;
	if (tw_addr_is_loopback(&s->remote))
		st->loopback++;
	if (s->inode_known && s->inode != 0)
		st->with_inode++;

	memset(&k, 0, sizeof(k));
	k.side = (uint8_t)side;
	k.lfamily = s->local.family;
	k.rfamily = s->remote.family;
	memcpy(k.local, s->local.a, 16);
	memcpy(k.remote, s->remote.a, 16);
	if (side == TW_SIDE_CLIENT) {
		struct local_track *lt = track_local(agg, &s->local);

		st->client++;
		st->held_client++;
		k.port_hi = (uint8_t)(s->rport >> 8);
		k.port_lo = (uint8_t)(s->rport & 0xff);
		if (lt) {
			lt->count++;
			port_set_add(lt->ports, s->lport);
		}
	} else {
		struct tuple_key pk;

		st->server++;
		st->held_server++;
		k.port_hi = (uint8_t)(s->lport >> 8);
		k.port_lo = (uint8_t)(s->lport & 0xff);
		memset(&pk, 0, sizeof(pk));
		pk.rfamily = s->remote.family;
		memcpy(pk.remote, s->remote.a, 16);
		table_upsert(&agg->peers, &pk)->count++;
	}
	table_upsert(&agg->tuples, &k)->count++;
}

/* Count descending, then key bytes: the same input always gives the same top. */
static int cmp_slot_desc(const void *a, const void *b)
{
	const struct slot *x = *(const struct slot *const *)a;
	const struct slot *y = *(const struct slot *const *)b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return memcmp(&x->key, &y->key, sizeof(x->key));
}

static void key_to_tuple(const struct slot *s, struct tw_tuple *t)
{
	memset(t, 0, sizeof(*t));
	t->side = (enum tw_side)s->key.side;
	t->local.family = s->key.lfamily;
	memcpy(t->local.a, s->key.local, 16);
	t->remote.family = s->key.rfamily;
	memcpy(t->remote.a, s->key.remote, 16);
	t->port = (uint16_t)((s->key.port_hi << 8) | s->key.port_lo);
	t->count = s->count;
	t->held = s->count;  /* only TIME_WAIT is aggregated so far */
}

static int cmp_local_desc(const void *a, const void *b)
{
	const struct tw_local_usage *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return memcmp(x->local.a, y->local.a, 16);
}

void aggregator_finish(struct tw_aggregator *agg, struct tw_tw_stats *ret)
{
	struct tw_tw_stats *st = &agg->stats;
	struct slot **order = tw_xmalloc((agg->tuples.n ? agg->tuples.n : 1) * sizeof(*order));
	struct tw_local_usage locals[MAX_LOCAL_ADDRS];
	size_t n = 0;

	for (size_t i = 0; i < agg->tuples.cap; i++)
		if (agg->tuples.slots[i].used)
			order[n++] = &agg->tuples.slots[i];
	qsort(order, n, sizeof(*order), cmp_slot_desc);
	for (size_t i = 0; i < n; i++) {
		const struct slot *s = order[i];

		if (s->key.side == TW_SIDE_CLIENT) {
			st->tuples_client++;
			if (st->ntop_client < TW_TOP_MAX)
				key_to_tuple(s, &st->top_client[st->ntop_client++]);
		} else {
			st->tuples_server++;
			if (st->ntop_server < TW_TOP_MAX)
				key_to_tuple(s, &st->top_server[st->ntop_server++]);
		}
	}
	st->server_remote_addrs = agg->peers.n;

	/* Per local address: destinations are its client tuples. */
	for (size_t l = 0; l < agg->nlocals; l++) {
		struct local_track *lt = &agg->locals[l];

		memset(&locals[l], 0, sizeof(locals[l]));
		locals[l].local = lt->addr;
		locals[l].count = lt->count;
		locals[l].distinct_ports = port_set_count(lt->ports);
		for (size_t i = 0; i < n; i++) {
			const struct slot *s = order[i];

			if (s->key.side == TW_SIDE_CLIENT && s->key.lfamily == lt->addr.family &&
			    memcmp(s->key.local, lt->addr.a, 16) == 0)
				locals[l].destinations++;
		}
		free(lt->ports);
	}
	qsort(locals, agg->nlocals, sizeof(locals[0]), cmp_local_desc);
	for (size_t l = 0; l < agg->nlocals && l < TW_TOP_LOCAL_MAX; l++)
		st->top_local[st->ntop_local++] = locals[l];

	*ret = *st;
	free(order);
	free(agg->tuples.slots);
	free(agg->peers.slots);
	free(agg);
}
