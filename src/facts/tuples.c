/* SPDX-License-Identifier: MIT */
/* tuples.c: the socket aggregator (see tuples.h).
 *
 * An open-addressing index (uint32 slots) over a dense array of entries,
 * one entry per distinct tuple key (side, local address, remote address,
 * port) with its held and TIME_WAIT counts and TIME_WAIT ages. The table
 * is bounded (TW_TUPLES_MAX keys): when full, the half of the entries that
 * hold the fewest sockets is evicted in one O(n) pass (a quickselect), so
 * insertion stays amortised O(1) and the busiest tuples survive (the
 * batched form of Misra-Gries / Space-Saving). Distinct counts past the
 * cap come from HyperLogLog sketches. Per local address, a port bitmap
 * records which local ports client-side sockets use, for the
 * bind()-before-connect() heuristic. Nothing is stored per socket. */
#include "facts/tuples.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include "util/xalloc.h"

/* A packed, padding-free key compared as bytes; the field order gives
 * the tie-break order of the top tables. */
struct tuple_key {
	uint8_t side;
	uint8_t lfamily;
	uint8_t rfamily;
	uint8_t port_hi, port_lo;
	uint8_t local[16];
	uint8_t remote[16];
	uint8_t pad[3];   /* zero: the key is five 64-bit words */
};

/* One cache line: the lookup of a busy listing touches one per socket. */
struct entry {
	struct tuple_key key;
	uint32_t held, count;       /* saturating */
	uint32_t hash;              /* low bits of hash_key(): no rehash to grow */
	uint16_t age[TW_AGE_BUCKETS]; /* saturating; a tuple has at most 65,535 ports */
};

/* Index slots: entry index + 1 in the low 16 bits (0: empty), bits 16-31
 * of the key's hash above, so that a probe skips other keys without
 * touching their entries. */
#define SLOT_POS(v) ((v) & 0xffffu)
#define SLOT_TAG(h) ((uint32_t)(h) & 0xffff0000u)

struct table {
	uint32_t *idx;
	size_t idx_cap;     /* power of two, >= 2 * entries */
	struct entry *e;
	size_t n;
	bool pruned;
	uint32_t floor;     /* largest 'held' evicted */
};

/* HyperLogLog, 2^12 one-byte registers: 1.6 % standard error. */
#define HLL_BITS 12
#define HLL_M (1u << HLL_BITS)

struct hll {
	uint8_t reg[HLL_M];
};

/* A distinct counter: exact (a set of 64-bit hashes) up to DISTINCT_MAX
 * values, HyperLogLog beyond. */
#define DISTINCT_MAX 32768u

struct distinct {
	uint64_t *set;
	size_t cap, n;
	bool overflow;
	struct hll hll;
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
	struct hll tw_keys[2];        /* distinct TIME_WAIT keys by side, once pruned */
	/* Server-side remote addresses. Each socket feeds the sketch; the
	 * exact set is built from the table's server keys (which hold the
	 * remote address) at the end, or when the table first fills and
	 * must evict, from then on per socket: one set insertion per
	 * distinct key, not one random access per socket. */
	struct distinct peers;
	bool peers_per_socket;
	struct tw_port_set seen_lports;
	struct local_track locals[MAX_LOCAL_ADDRS];
	size_t nlocals;
	size_t last_local;
	uint64_t tw_no_timer;         /* TIME_WAIT sockets without a remaining time */
	struct tw_tw_stats stats;
};

static uint64_t mix64(uint64_t h)
{
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64_C(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return h;
}

static uint64_t hash_words(const void *p, size_t nwords)
{
	const unsigned char *b = p;
	uint64_t h = UINT64_C(0x9e3779b97f4a7c15);

	for (size_t i = 0; i < nwords; i++) {
		uint64_t w;

		memcpy(&w, b + 8 * i, 8);
		h = (h ^ w) * UINT64_C(0x100000001b3);
		h ^= h >> 29;
	}
	return mix64(h);
}

static uint64_t hash_key(const struct tuple_key *k)
{
	_Static_assert(sizeof(struct tuple_key) == 40, "tuple_key is five words");
	_Static_assert(sizeof(struct entry) == 64, "an entry is one cache line");
	return hash_words(k, 5);
}

/* ---- zeroed regions, prefaulted ------------------------------------------- */

/* Zeroed anonymous memory for the big, bounded arrays. Pages are faulted
 * in with one madvise(MADV_POPULATE_WRITE) per range rather than one
 * fault per page (a fault costs microseconds, more in a VM); on kernels
 * without it (< 5.14) they fault in as touched. */
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

static void *region_new(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		fputs("twadvise: out of memory\n", stderr);   /* as tw_xmalloc() */
		abort();
	}
	return p;
}

static void region_populate(void *p, size_t off, size_t len)
{
	(void)madvise((char *)p + off, len, MADV_POPULATE_WRITE);
}

static void region_free(void *p, size_t size)
{
	if (p)
		munmap(p, size);
}

/* ---- HyperLogLog --------------------------------------------------------- */

static void hll_add(struct hll *h, uint64_t hash)
{
	uint32_t j = (uint32_t)(hash >> (64 - HLL_BITS));
	uint64_t w = (hash << HLL_BITS) | (UINT64_C(1) << (HLL_BITS - 1));
	uint8_t rank = (uint8_t)(__builtin_clzll(w) + 1);

	if (h->reg[j] < rank)
		h->reg[j] = rank;
}

static uint64_t hll_estimate(const struct hll *h)
{
	double sum = 0, m = HLL_M, e;
	unsigned zeros = 0;

	for (unsigned j = 0; j < HLL_M; j++) {
		sum += ldexp(1.0, -h->reg[j]);
		zeros += h->reg[j] == 0;
	}
	e = 0.7213 / (1 + 1.079 / m) * m * m / sum;
	if (e <= 2.5 * m && zeros > 0)
		e = m * log(m / zeros);   /* linear counting for small sets */
	return (uint64_t)(e + 0.5);
}

/* ---- distinct counter ------------------------------------------------------ */

#define DISTINCT_SLOTS (2 * DISTINCT_MAX)

/* The exact set only: the sketch is fed by the caller. */
static void distinct_add_exact(struct distinct *d, uint64_t hash)
{
	size_t i;

	if (d->overflow)
		return;
	if (hash == 0)
		hash = 1;   /* 0 marks an empty slot */
	if (!d->set) {
		/* Final size at once (load <= 0.5): never rehashed. */
		d->set = region_new(DISTINCT_SLOTS * sizeof(*d->set));
		region_populate(d->set, 0, DISTINCT_SLOTS * sizeof(*d->set));
		d->cap = DISTINCT_SLOTS;
	}
	for (i = hash & (d->cap - 1); d->set[i]; i = (i + 1) & (d->cap - 1))
		if (d->set[i] == hash)
			return;
	if (d->n == DISTINCT_MAX) {
		d->overflow = true;
		return;
	}
	d->set[i] = hash;
	d->n++;
}

static uint64_t distinct_count(const struct distinct *d)
{
	return d->overflow ? hll_estimate(&d->hll) : d->n;
}

/* ---- the tuple table ------------------------------------------------------- */

/* The index position of a hash: its high bits (the tag uses bits 16-31). */
static size_t slot_of(uint32_t h, size_t cap)
{
	return (size_t)(h * UINT32_C(0x9e3779b1)) >> 16 & (cap - 1);
}

static void index_insert(struct table *t, uint32_t h, uint32_t pos)
{
	size_t i = slot_of(h, t->idx_cap);

	while (t->idx[i])
		i = (i + 1) & (t->idx_cap - 1);
	t->idx[i] = SLOT_TAG(h) | (pos + 1);
}

static void index_rebuild(struct table *t)
{
	memset(t->idx, 0, t->idx_cap * sizeof(*t->idx));
	for (size_t k = 0; k < t->n; k++)
		index_insert(t, t->e[k].hash, (uint32_t)k);
}

static uint32_t rank_of(const struct entry *e)
{
	return e->held;
}

/* Moves the 'k' entries of lowest rank to the front of order[0..n). */
static void select_lowest(const struct entry *e, uint32_t *order, size_t n, size_t k)
{
	size_t lo = 0, hi = n;

	while (hi - lo > 1) {
		uint32_t pivot = rank_of(&e[order[lo + (hi - lo) / 2]]);
		size_t a = lo, b = hi, i = lo;

		/* Three-way partition: [lo,a) < pivot, [a,b) == pivot, [b,hi) > pivot. */
		while (i < b) {
			uint32_t r = rank_of(&e[order[i]]);
			uint32_t tmp;

			if (r < pivot) {
				tmp = order[a]; order[a] = order[i]; order[i] = tmp;
				a++;
				i++;
			} else if (r > pivot) {
				b--;
				tmp = order[b]; order[b] = order[i]; order[i] = tmp;
			} else {
				i++;
			}
		}
		if (k < a)
			hi = a;
		else if (k <= b)
			return;
		else
			lo = b;
	}
}

/* Evicts the half of the entries holding the fewest sockets. */
static void table_prune(struct table *t)
{
	size_t n = t->n, evict = n / 2, w = 0;
	uint32_t *order = tw_xmalloc(n * sizeof(*order));
	uint8_t *gone = tw_xcalloc(n, 1);

	for (size_t k = 0; k < n; k++)
		order[k] = (uint32_t)k;
	select_lowest(t->e, order, n, evict);
	for (size_t k = 0; k < evict; k++) {
		gone[order[k]] = 1;
		if (t->e[order[k]].held > t->floor)
			t->floor = t->e[order[k]].held;
	}
	for (size_t k = 0; k < n; k++)
		if (!gone[k])
			t->e[w++] = t->e[k];
	t->n = w;
	t->pruned = true;
	free(order);
	free(gone);
	index_rebuild(t);
}

/* Both arrays at their final size, once: the kernel maps pages as they
 * are first touched, so a few keys cost a few pages, and the table never
 * moves or rehashes while it fills. Entries are cache-line aligned. */
#define ENTRIES_SIZE ((size_t)TW_TUPLES_MAX * sizeof(struct entry))
#define INDEX_SIZE (2 * (size_t)TW_TUPLES_MAX * sizeof(uint32_t))
#define ENTRY_CHUNK 1024   /* entries prefaulted at a time (64 KiB) */

#define INDEX_MIN 1024   /* slots; the index doubles up to INDEX_SIZE */

static void table_init(struct table *t)
{
	t->e = region_new(ENTRIES_SIZE);       /* page-aligned: whole cache lines */
	t->idx = region_new(INDEX_SIZE);
	t->idx_cap = INDEX_MIN;
	region_populate(t->idx, 0, INDEX_MIN * sizeof(*t->idx));
	region_populate(t->e, 0, ENTRY_CHUNK * sizeof(struct entry));
}

/* The index stays twice the keys, no larger: a small index stays in the
 * cache (few keys is the common case). Growing rehashes nothing: each
 * entry keeps its hash. */
static void index_grow(struct table *t)
{
	size_t cap = t->idx_cap * 2;

	region_populate(t->idx, t->idx_cap * sizeof(*t->idx), (cap - t->idx_cap) * sizeof(*t->idx));
	t->idx_cap = cap;
	index_rebuild(t);
}

static struct entry *table_upsert(struct table *t, const struct tuple_key *k, uint32_t h)
{
	struct entry *e;
	size_t i;

	if (!t->idx)
		table_init(t);
	for (i = slot_of(h, t->idx_cap); t->idx[i]; i = (i + 1) & (t->idx_cap - 1)) {
		if ((t->idx[i] & 0xffff0000u) != SLOT_TAG(h))
			continue;
		e = &t->e[SLOT_POS(t->idx[i]) - 1];
		if (memcmp(&e->key, k, sizeof(*k)) == 0)
			return e;
	}
	if (t->n == TW_TUPLES_MAX)
		table_prune(t);   /* rebuilds the index: insert anew */
	else if ((t->n + 1) * 2 > t->idx_cap)
		index_grow(t);
	if (t->n % ENTRY_CHUNK == 0 && t->n > 0)
		region_populate(t->e, t->n * sizeof(struct entry), ENTRY_CHUNK * sizeof(struct entry));
	e = &t->e[t->n];
	memset(e, 0, sizeof(*e));
	e->key = *k;
	e->hash = h;
	index_insert(t, h, (uint32_t)t->n++);
	return e;
}

/* ---- the aggregator ---------------------------------------------------------- */

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

bool aggregator_lport_seen(const struct tw_aggregator *agg, uint16_t port)
{
	return port_set_has(&agg->seen_lports, port);
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

static void inc32(uint32_t *v)
{
	if (*v != UINT32_MAX)
		(*v)++;
}

static void inc16(uint16_t *v)
{
	if (*v != UINT16_MAX)
		(*v)++;
}

/* The age bucket of a TIME_WAIT socket with 'left_ms' to live. */
static unsigned age_bucket(uint32_t left_ms)
{
	uint32_t age_ms;

	if (left_ms > TW_TIMEWAIT_S * 1000u)
		left_ms = TW_TIMEWAIT_S * 1000u;
	age_ms = TW_TIMEWAIT_S * 1000u - left_ms;
	if (age_ms >= TW_TIMEWAIT_S * 1000u)
		age_ms = TW_TIMEWAIT_S * 1000u - 1;
	return age_ms / (TW_AGE_BUCKET_S * 1000u);
}

static uint64_t peer_hash(uint8_t family, const uint8_t addr[16])
{
	uint8_t pk[24] = { 0 };

	pk[0] = family;
	memcpy(pk + 8, addr, 16);
	return hash_words(pk, 3);
}

/* The remote addresses of the table's server keys with TIME_WAIT into
 * the exact peer set: while nothing was evicted, those are every peer
 * seen so far. */
static void peers_from_table(struct tw_aggregator *agg)
{
	const struct table *t = &agg->tuples;

	for (size_t i = 0; i < t->n; i++) {
		const struct entry *e = &t->e[i];

		if (e->key.side == TW_SIDE_SERVER && e->count > 0)
			distinct_add_exact(&agg->peers, peer_hash(e->key.rfamily, e->key.remote));
	}
}

void aggregator_add(struct tw_aggregator *agg, const struct tw_sock *s)
{
	struct tw_tw_stats *st = &agg->stats;
	struct tuple_key k;
	struct entry *e;
	enum tw_side side;
	bool tw = s->state == TW_TCP_TIME_WAIT;
	uint64_t h;

	if (s->state >= 32 || !(TW_HOLD_STATES & TW_STATE_BIT(s->state)))
		return;
	port_set_add(&agg->seen_lports, s->lport);
	side = tuple_side(s, agg->listening, agg->range_low, agg->range_high);

	memset(&k, 0, sizeof(k));
	k.side = (uint8_t)side;
	k.lfamily = s->local.family;
	k.rfamily = s->remote.family;
	memcpy(k.local, s->local.a, 16);
	memcpy(k.remote, s->remote.a, 16);
	if (side == TW_SIDE_CLIENT) {
		st->held_client++;
		k.port_hi = (uint8_t)(s->rport >> 8);
		k.port_lo = (uint8_t)(s->rport & 0xff);
	} else {
		st->held_server++;
		k.port_hi = (uint8_t)(s->lport >> 8);
		k.port_lo = (uint8_t)(s->lport & 0xff);
	}
	h = hash_key(&k);
	if (agg->tuples.n == TW_TUPLES_MAX && !agg->peers_per_socket) {
		peers_from_table(agg);   /* before the first eviction */
		agg->peers_per_socket = true;
	}
	e = table_upsert(&agg->tuples, &k, (uint32_t)h);
	inc32(&e->held);
	if (!tw)
		return;

	/* TIME_WAIT only from here. */
	inc32(&e->count);
	hll_add(&agg->tw_keys[side], h);
	if (s->expires_known)
		inc16(&e->age[age_bucket(s->expires_ms)]);
	else
		agg->tw_no_timer++;
	st->total++;
	if (s->local.family == AF_INET6)
		st->ipv6++;
	else
		st->ipv4++;
	if (tw_addr_is_loopback(&s->remote))
		st->loopback++;
	if (s->inode_known && s->inode != 0)
		st->with_inode++;
	if (side == TW_SIDE_CLIENT) {
		struct local_track *lt = track_local(agg, &s->local);

		st->client++;
		if (lt) {
			lt->count++;
			port_set_add(lt->ports, s->lport);
		}
	} else {
		uint64_t ph = peer_hash(s->remote.family, s->remote.a);

		st->server++;
		hll_add(&agg->peers.hll, ph);
		if (agg->peers_per_socket)
			distinct_add_exact(&agg->peers, ph);
	}
}

/* Held descending, then count, then key bytes: the same input always
 * gives the same top. */
static int cmp_entry_desc(const void *a, const void *b)
{
	const struct entry *x = *(const struct entry *const *)a;
	const struct entry *y = *(const struct entry *const *)b;

	if (x->held != y->held)
		return x->held > y->held ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return memcmp(&x->key, &y->key, sizeof(x->key));
}

static void entry_to_tuple(const struct entry *e, struct tw_tuple *t)
{
	memset(t, 0, sizeof(*t));
	t->side = (enum tw_side)e->key.side;
	t->local.family = e->key.lfamily;
	memcpy(t->local.a, e->key.local, 16);
	t->remote.family = e->key.rfamily;
	memcpy(t->remote.a, e->key.remote, 16);
	t->port = (uint16_t)((e->key.port_hi << 8) | e->key.port_lo);
	t->count = e->count;
	t->held = e->held;
	for (unsigned i = 0; i < TW_AGE_BUCKETS; i++)
		t->age[i] = e->age[i];
}

static int cmp_local_desc(const void *a, const void *b)
{
	const struct tw_local_usage *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return memcmp(x->local.a, y->local.a, 16);
}

/* Whether the top tables list tuples with held sockets but no TIME_WAIT.
 * Off while the JSON contract requires time_wait.top[].count >= 1
 * (twadvise.schema.json): such tuples count in held_client/held_server,
 * and every listed tuple's held includes its sockets of all states. */
#define TW_TOP_HELD_ONLY 0

/* Keeps the TW_TOP_MAX best entries of one side in top[0..*n), sorted:
 * one pass over the table, no sort of all of it. */
static void top_insert(const struct entry **top, size_t *n, const struct entry *e)
{
	size_t i;

	if (*n == TW_TOP_MAX && cmp_entry_desc(&e, &top[TW_TOP_MAX - 1]) >= 0)
		return;
	i = *n < TW_TOP_MAX ? (*n)++ : TW_TOP_MAX - 1;
	while (i > 0 && cmp_entry_desc(&e, &top[i - 1]) < 0) {
		top[i] = top[i - 1];
		i--;
	}
	top[i] = e;
}

void aggregator_finish(struct tw_aggregator *agg, struct tw_tw_stats *ret)
{
	struct tw_tw_stats *st = &agg->stats;
	struct table *t = &agg->tuples;
	const struct entry *top[2][TW_TOP_MAX];
	size_t ntop[2] = { 0, 0 };
	struct tw_local_usage locals[MAX_LOCAL_ADDRS];

	memset(locals, 0, sizeof(locals));
	for (size_t l = 0; l < agg->nlocals; l++) {
		locals[l].local = agg->locals[l].addr;
		locals[l].count = agg->locals[l].count;
		locals[l].distinct_ports = port_set_count(agg->locals[l].ports);
		free(agg->locals[l].ports);
	}
	for (size_t i = 0; i < t->n; i++) {
		const struct entry *e = &t->e[i];
		int side = e->key.side == TW_SIDE_CLIENT ? 0 : 1;

		if (e->count > 0 || TW_TOP_HELD_ONLY)
			top_insert(top[side], &ntop[side], e);
		if (side == 0) {
			st->tuples_client += e->count > 0;
			/* Per local address: destinations are its client tuples. */
			for (size_t l = 0; e->count > 0 && l < agg->nlocals; l++) {
				if (e->key.lfamily == locals[l].local.family &&
				    memcmp(e->key.local, locals[l].local.a, 16) == 0) {
					locals[l].destinations++;
					break;
				}
			}
		} else {
			st->tuples_server += e->count > 0;
		}
	}
	for (size_t i = 0; i < ntop[0]; i++)
		entry_to_tuple(top[0][i], &st->top_client[st->ntop_client++]);
	for (size_t i = 0; i < ntop[1]; i++)
		entry_to_tuple(top[1][i], &st->top_server[st->ntop_server++]);
	st->capped = t->pruned;
	if (t->pruned) {
		uint64_t c = hll_estimate(&agg->tw_keys[TW_SIDE_CLIENT]);
		uint64_t s = hll_estimate(&agg->tw_keys[TW_SIDE_SERVER]);

		/* The sketch can err low; the table's own keys are a floor. */
		st->tuples_client = c > st->tuples_client ? c : st->tuples_client;
		st->tuples_server = s > st->tuples_server ? s : st->tuples_server;
		st->capped_floor = t->floor;
	}
	if (!agg->peers_per_socket)
		peers_from_table(agg);
	st->server_remote_addrs = distinct_count(&agg->peers);
	st->ages_known = st->total > 0 && agg->tw_no_timer == 0;

	qsort(locals, agg->nlocals, sizeof(locals[0]), cmp_local_desc);
	for (size_t l = 0; l < agg->nlocals && l < TW_TOP_LOCAL_MAX; l++)
		st->top_local[st->ntop_local++] = locals[l];

	*ret = *st;
	region_free(t->idx, INDEX_SIZE);
	region_free(t->e, ENTRIES_SIZE);
	region_free(agg->peers.set, DISTINCT_SLOTS * sizeof(*agg->peers.set));
	free(agg);
}

bool tw_stats_capped_note(const struct tw_tw_stats *st, char *buf, size_t size)
{
	if (!st->capped)
		return false;
	snprintf(buf, size,
		 "more than %u distinct destinations: totals are exact, the number of "
		 "destinations is an estimate (about 2%%), and the busiest destinations' "
		 "counts may be short by up to %llu socket%s (the most a dropped one held)",
		 TW_TUPLES_MAX, (unsigned long long)st->capped_floor,
		 st->capped_floor == 1 ? "" : "s");
	return true;
}
