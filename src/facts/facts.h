/* SPDX-License-Identifier: MIT */
/* facts.h: the typed fact table, everything twadvise knows about one host.
 *
 * Collectors (src/collect/) fill it from the live host, a network
 * namespace or a snapshot folder; the engine, the cost model and the
 * renderers only read it. A value that could not be read is "unknown"
 * (known == false), never zero. */
#ifndef TW_FACTS_FACTS_H
#define TW_FACTS_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts/addr.h"
#include "facts/kernel_version.h"
#include "facts/port_set.h"
#include "facts/sysctls.h"
#include "facts/tuples.h"

/* An optional number: known == false means "could not be read". */
struct tw_opt {
	bool known;
	uint64_t v;
};

/* name -> value pairs of a /proc/net counter line (TcpExt:, Tcp:). */
struct tw_counter {
	char *name;
	int64_t value;
};
struct tw_counter_list {
	bool known;           /* the source file was read */
	struct tw_counter *v;
	size_t n, cap;
};

struct tw_counters {
	/* /proc/net/sockstat "TCP:" line; sockstat6 "TCP6:" inuse. */
	struct tw_opt tcp_inuse, tcp_orphan, tcp_tw, tcp_alloc, tcp_mem_pages;
	struct tw_opt tcp6_inuse;
	struct tw_counter_list tcpext;  /* /proc/net/netstat TcpExt: */
	struct tw_counter_list tcp;     /* /proc/net/snmp Tcp: */
	/* Rates measured over --interval; known only when sampled. */
	double interval_s;
	bool rates_known;
	double active_opens_per_s, passive_opens_per_s, tw_per_s;
};

/* One /proc/slabinfo row. */
struct tw_slab {
	bool known;
	uint64_t active_objs, num_objs, objsize, objperslab, pagesperslab, active_slabs, num_slabs;
};

struct tw_memory {
	bool slabinfo_known;               /* /proc/slabinfo was readable */
	struct tw_slab tw_sock_tcp, tw_sock_tcpv6, tcp_bind_bucket;
	struct tw_opt mem_total_kb;        /* /proc/meminfo MemTotal */
	struct tw_opt page_size;           /* bytes; live: sysconf, snapshot: 4096 assumed unless known */
	struct tw_opt ehash_entries;       /* dmesg "TCP established hash table entries: N" */
	struct tw_opt bhash_entries;       /* dmesg "TCP bind hash table entries: N" */
};

struct tw_conntrack {
	bool table_known;                  /* /proc/net/nf_conntrack was readable */
	uint64_t entries, tcp_entries, tcp_time_wait;
};

enum tw_source {
	TW_SOURCE_LIVE,
	TW_SOURCE_SNAPSHOT,
};

struct tw_sysctld;  /* persisted configuration: src/sysctld/sysctld.h */

#define TW_MAX_NOTES 16

struct tw_facts {
	enum tw_source source;
	char *snapshot_dir;         /* snapshot folder, or NULL */
	char *netns;                /* --netns name, or NULL */
	/* Whether this is a container or non-initial namespace, where the
	 * host's sysctl.d does not apply; known == false when undecidable. */
	struct tw_opt in_container;

	struct tw_kernel_version kernel;
	struct tw_sysctls sysctls;

	/* Sockets: listeners are gathered before TIME_WAIT sockets so that
	 * each TIME_WAIT socket's side can be decided as it is counted. */
	struct tw_port_set listening;   /* listening TCP ports (any address) */
	uint64_t listeners;             /* listening sockets seen */
	struct tw_tw_stats tw;          /* TIME_WAIT aggregate */
	const char *socket_source;      /* "netlink sock_diag", "/proc/net/tcp", "ss-tan.txt", ... */

	struct tw_counters counters;
	struct tw_memory memory;
	struct tw_conntrack conntrack;
	struct tw_sysctld *persisted;   /* sysctl.d view; NULL when not read */

	/* Short sentences about how facts were obtained ("netlink
	 * unavailable, read /proc/net/tcp instead"); shown in reports. */
	char *notes[TW_MAX_NOTES];
	size_t nnotes;
};

void facts_init(struct tw_facts *f);
void facts_free(struct tw_facts *f);
/* Adds a note (copied); silently drops notes past TW_MAX_NOTES. */
void facts_note(struct tw_facts *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Counter lookup: 0 and *ret on success, -ENOENT when absent. */
int counter_list_get(const struct tw_counter_list *l, const char *name, int64_t *ret);
void counter_list_set(struct tw_counter_list *l, const char *name, int64_t value);
void counter_list_free(struct tw_counter_list *l);

/* The ephemeral range from net.ipv4.ip_local_port_range; false when the
 * sysctl is absent or malformed. */
bool facts_port_range(const struct tw_facts *f, uint16_t *ret_low, uint16_t *ret_high);
/* Ports usable for one client tuple: range size minus reserved ports
 * inside it (net.ipv4.ip_local_reserved_ports). 0 when unknown. */
uint64_t facts_ports_available(const struct tw_facts *f);

#endif
