/* SPDX-License-Identifier: MIT */
/* cost.h: what TIME_WAIT costs this host, measured item by item.
 *
 * Folklore blames TIME_WAIT for file descriptors (it holds none), memory
 * (about a quarter KB per socket) and a slow stack (lookups are hashed).
 * The real costs are ports per destination, the tcp_max_tw_buckets
 * ceiling, the conntrack table and, only at extreme counts, kernel memory.
 * cost_compute() turns a fact table into one item per cost, each with the
 * value measured (or estimated, and flagged so), its limit, the share of
 * the limit in use, a level and one line a person reads; the overall
 * verdict is the worst item's level, and the summary is one sentence a
 * person can repeat to their team, "harmless" included.
 *
 * Pure computation: no I/O, no allocation that outlives the call. An
 * input that is unknown never counts as zero: an item whose inputs are
 * unknown is estimated (measured == false, and its verdict says so) or
 * left out.
 *
 * Levels: share >= act_share is "act", >= watch_share is "watch", below is
 * "harmless" for the port items (client tuples count every socket that
 * holds a port; with tcp_tw_reuse their share is the ports out of reach,
 * see facts_tuple_pressure()). The tcp_max_tw_buckets and conntrack items
 * have thresholds of their own. Costs that never make anything fail stop
 * at "watch": server-side tuples (RFC 6191 lets a newer SYN through a
 * TIME_WAIT socket), the tcp_max_tw_buckets ceiling (TCPTimeWaitOverflow
 * > 0: sockets lose TIME_WAIT's protection, nothing fails), client tuples
 * under reuse whose rate is unknown, the load of the established hash
 * (longer chains, no refusal) and file descriptors. A conntrack table
 * 95% full is "act": a full one drops packets. */
#ifndef TW_COST_COST_H
#define TW_COST_COST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts/facts.h"

enum tw_cost_level {
	TW_COST_HARMLESS = 0,
	TW_COST_WATCH = 1,
	TW_COST_ACT = 2,
};

/* Stable item names (the JSON "name"), in the order items appear. */
#define TW_COST_TUPLES "tuples"                  /* busiest client destination vs its ports */
#define TW_COST_TUPLES_SERVER "tuples_server"    /* busiest peer vs the peer's port range */
#define TW_COST_CONNECT_RATE "connect_rate"      /* new connections/s to it vs capacity */
#define TW_COST_MAX_TW_BUCKETS "max_tw_buckets"  /* TIME_WAIT count vs the ceiling */
#define TW_COST_CONNTRACK "conntrack"            /* nf_conntrack_count vs nf_conntrack_max */
#define TW_COST_MEMORY "memory"                  /* slab bytes vs MemTotal */
#define TW_COST_EHASH "ehash"                    /* sockets vs established-hash buckets */
#define TW_COST_BHASH "bhash"                    /* bound ports vs bind-hash buckets */
#define TW_COST_FILE_DESCRIPTORS "file_descriptors"

#define TW_COST_MAX_ITEMS 10

/* The size of one slab object of tw_sock_TCP on x86_64 (measured on 6.x;
 * the structure itself is ~168 B, the slab rounds it up). Used only to
 * estimate memory when /proc/slabinfo cannot be read. */
#define TW_COST_TW_SOCK_BYTES 256

struct tw_cost_item {
	const char *name;         /* one of TW_COST_* (static string) */
	double value;             /* in 'unit' */
	bool limit_known;
	double limit;             /* the ceiling 'value' is measured against */
	bool share_known;
	double share;             /* value / limit, 0..1 (may exceed 1) */
	bool measured;            /* false: estimated (the verdict says from what) */
	enum tw_cost_level level;
	char verdict[256];        /* one line a person reads */
	char unit[16];            /* "bytes", "sockets", "entries", "conn/s", "fds" */
	/* One secondary quantity, named: memory "slab_bytes" (whole slab
	 * pages), tuples "capacity_per_s", tuples_server "peer_ports",
	 * connect_rate "active_opens_per_s" (host-wide), max_tw_buckets
	 * "overflows", conntrack "time_wait_entries", ehash
	 * "default_max_tw_buckets", file_descriptors "time_wait_sockets";
	 * bhash has none. */
	bool extra_known;
	const char *extra_name;   /* static string, NULL when !extra_known */
	double extra;
};

struct tw_cost {
	enum tw_cost_level verdict;   /* the worst item's level */
	char summary[512];            /* one sentence */
	struct tw_cost_item items[TW_COST_MAX_ITEMS];
	size_t n;
};

/* Thresholds come from the profile; cost_params_default() gives the
 * defaults (watch 0.5, act 0.8, peer ports 28,232 = Linux's default
 * 32768..60999 range). */
struct tw_cost_params {
	double watch_share;
	double act_share;
	uint64_t peer_ports;   /* ports of a peer's ephemeral range (server side) */
	/* Items with thresholds of their own (profile max_tw_buckets_share,
	 * conntrack_share): "watch" from these shares. */
	double tw_buckets_share;
	double conntrack_share;
};

void cost_params_default(struct tw_cost_params *p);
/* Adds the sysctl keys cost_compute() reads (sysctl_keys.h). */
void cost_sysctl_keys(struct tw_sysctl_keys *s);

/* Computes the cost of TIME_WAIT on the host described by 'f' (read only).
 * 'p' may be NULL for the defaults. 0 on success; -EINVAL when an
 * argument is NULL or the thresholds are not 0 < watch <= act, or
 * peer_ports is 0. *ret is untouched on failure. */
int cost_compute(const struct tw_facts *f, const struct tw_cost_params *p,
		 struct tw_cost *ret);

/* "harmless", "watch", "act" (the contract's enum). */
const char *cost_level_name(enum tw_cost_level l);

/* The item called 'name', or NULL. */
const struct tw_cost_item *cost_find(const struct tw_cost *c, const char *name);

#endif
