/* SPDX-License-Identifier: MIT */
/* nat.h: SNAT port use of a NAT gateway, from its conntrack entries.
 *
 * A masquerading gateway gives each forwarded connection a source port of
 * its own address; the reply tuple must stay unique, so the ports run out
 * per (translated source address, destination address, destination port),
 * as a client's ephemeral ports do per 4-tuple. The kernel's default
 * range without "to :PORTS" is 1024-65535 (doc/kernel-facts.md, "NAT
 * gateways"), and a conntrack TIME_WAIT entry keeps its port for
 * nf_conntrack_tcp_timeout_time_wait seconds (120 by default).
 *
 * A TCP entry is source-NATed when its reply tuple's destination (the
 * address the server answers to) differs from the original source (the
 * client). The aggregator counts those per key in a bounded table; the
 * totals stay exact whatever the number of keys. */
#ifndef TW_FACTS_NAT_H
#define TW_FACTS_NAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts/addr.h"

/* One conntrack entry, as a collector read it. */
struct tw_ct_entry {
	uint8_t l4proto;            /* IPPROTO_TCP = 6 */
	bool time_wait;             /* TCP state TIME_WAIT */
	struct tw_addr orig_src, orig_dst, reply_src, reply_dst;
	uint16_t orig_sport, orig_dport, reply_sport, reply_dport;
	bool tuples_known;          /* both tuples were read */
};

/* One (translated source, destination, port) key. */
struct tw_nat_key {
	struct tw_addr public_addr; /* the reply tuple's destination */
	struct tw_addr dst;         /* the original destination */
	uint16_t dport;
	uint64_t count;             /* SNATed TCP entries */
	uint64_t time_wait;         /* of which in TIME_WAIT */
};

#define TW_NAT_TOP_MAX 16
/* Distinct keys kept at most (as TW_TUPLES_MAX for sockets): past it,
 * the half holding the fewest entries is evicted; totals stay exact. */
#define TW_NAT_KEYS_MAX 32768u

struct tw_nat_stats {
	bool known;                 /* both tuples of every entry were read */
	uint64_t masqueraded;       /* SNATed TCP entries */
	uint64_t masqueraded_time_wait;
	uint64_t keys;              /* distinct keys (a lower bound when capped) */
	bool capped;                /* the key table was pruned */
	uint64_t capped_floor;      /* an evicted key held at most this many */
	/* Busiest keys first (count descending, then the key's bytes). */
	struct tw_nat_key top[TW_NAT_TOP_MAX];
	size_t ntop;
};

struct tw_nat_agg;

/* Caller frees with nat_agg_finish() or nat_agg_free(). */
struct tw_nat_agg *nat_agg_new(void);
/* Counts one entry: only TCP entries whose reply destination differs
 * from the original source. */
void nat_agg_add(struct tw_nat_agg *agg, const struct tw_ct_entry *e);
/* Fills *ret (known = true) and frees the aggregator. */
void nat_agg_finish(struct tw_nat_agg *agg, struct tw_nat_stats *ret);
/* Frees without results; NULL is fine. */
void nat_agg_free(struct tw_nat_agg *agg);

/* The SNAT ports of a masquerade rule without "to :PORTS" for a source
 * port >= 1024 (nf_nat_l4proto_unique_tuple): 1024-65535. */
#define TW_NAT_DEFAULT_PORTS 64512u

#endif
