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
#include "facts/nat.h"
#include "facts/port_set.h"
#include "facts/sysctl_keys.h"
#include "facts/sysctls.h"
#include "facts/tuples.h"

/* Linux's default ephemeral port range (net.ipv4.ip_local_port_range,
 * 32768..60999 since 4.2): assumed for a peer's range, and for this
 * host's only where a side must be told with the range unknown. The one
 * copy in the tree. */
#define TW_DEFAULT_PORT_LOW 32768
#define TW_DEFAULT_PORT_HIGH 60999
#define TW_DEFAULT_PORT_COUNT (TW_DEFAULT_PORT_HIGH - TW_DEFAULT_PORT_LOW + 1)

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
	/* TcpExt TWRecycled (a connect() took a TIME_WAIT port: reuse at
	 * work) and TCPTimeWaitOverflow (closed without TIME_WAIT: the
	 * tcp_max_tw_buckets ceiling) per second. */
	double tw_recycled_per_s, tw_overflow_per_s;
};

/* One /proc/slabinfo row. */
struct tw_slab {
	bool known;
	uint64_t active_objs, num_objs, objsize, objperslab, pagesperslab, active_slabs, num_slabs;
};

struct tw_memory {
	bool slabinfo_known;               /* /proc/slabinfo (or /sys/kernel/slab) was readable */
	const char *slab_source;           /* where the slab rows came from; NULL: "/proc/slabinfo" */
	struct tw_slab tw_sock_tcp, tw_sock_tcpv6, tcp_bind_bucket;
	struct tw_opt mem_total_kb;        /* /proc/meminfo MemTotal */
	struct tw_opt page_size;           /* bytes; live: sysconf, snapshot: 4096 assumed unless known */
	struct tw_opt ehash_entries;       /* dmesg "TCP established hash table entries: N" */
	struct tw_opt bhash_entries;       /* dmesg "TCP bind hash table entries: N" */
};

/* Per-CPU conntrack statistics, summed (conntrack -S,
 * /proc/net/stat/nf_conntrack): entries that lost an insertion race or
 * found no unique NAT tuple (insert_failed), and packets dropped for it
 * (drop). Counters since boot. */
struct tw_ct_stats {
	bool known;
	uint64_t cpus, insert_failed, drop, early_drop;
};

struct tw_conntrack {
	bool table_known;                  /* the table was read (netlink, /proc/net/nf_conntrack, conntrack -L) */
	uint64_t entries, tcp_entries, tcp_time_wait;
	const char *source;                /* "netlink ctnetlink", "/proc/net/nf_conntrack", ... */
	struct tw_nat_stats nat;           /* SNAT port use, known with both tuples */
};

/* The source NAT statements (masquerade, snat) of the nftables ruleset:
 * live through libnftables, in a snapshot from nft-ruleset.json
 * (`nft -j list ruleset`); collect/parse_nft.c. iptables-legacy rules
 * are not in it. */
struct tw_nft_nat {
	bool known;             /* the ruleset was read */
	uint64_t rules;         /* masquerade and snat statements */
	uint64_t ports;         /* the narrowest one's port range (TW_NAT_DEFAULT_PORTS without one) */
	uint64_t random_fully;  /* statements with the fully-random flag */
};

/* A process holding live connections toward a client destination
 * (collect/owners.c). */
#define TW_OWNERS_TUPLES 5      /* top client destinations looked up */
#define TW_OWNERS_MAX 3         /* processes kept per destination */
struct tw_owner {
	int pid;
	char comm[32];          /* /proc/PID/comm */
	char service[128];      /* "api.service", "docker NAME", "pod NS/NAME", or "" */
	uint64_t sockets;       /* its live sockets toward the destination */
};

struct tw_tuple_owners {
	bool known;             /* looked up (live, with the processes readable) */
	uint64_t live;          /* live sockets toward the destination seen by the lookup */
	uint64_t unowned;       /* of those, held by no process found (ended, or not visible) */
	struct tw_owner v[TW_OWNERS_MAX];  /* most sockets first, then pid */
	size_t n;
};

/* --trace SECONDS (src/trace/): connect() attempts and EADDRNOTAVAIL
 * failures counted by eBPF in this namespace over the interval. */
#define TW_TRACE_TOP 5          /* destinations and failing processes kept */
struct tw_trace_dest {
	struct tw_addr remote;
	uint16_t port;
	uint64_t connects;      /* connect() attempts toward it (failed ones too) */
	int pid;                /* the process making most of them */
	char comm[32];          /* its /proc/PID/comm at the end ("" if gone) */
	char service[128];      /* its unit, container or pod, or "" */
	uint64_t pid_connects;  /* that process's attempts toward it */
};
struct tw_trace_proc {
	int pid;
	char comm[32];
	char service[128];
	uint64_t connects;      /* all its connect() attempts */
	uint64_t eaddrnotavail; /* its connect() calls that failed with EADDRNOTAVAIL */
};
struct tw_trace {
	bool known;             /* traced (live, --trace) */
	double seconds;         /* measured length of the interval */
	uint64_t connects;      /* every attempt seen */
	uint64_t eaddrnotavail; /* every EADDRNOTAVAIL failure seen */
	uint64_t drops;         /* events lost to full maps (counts are then low) */
	struct tw_trace_dest dest[TW_TRACE_TOP];   /* most attempts first */
	size_t ndest;
	/* processes with EADDRNOTAVAIL failures, most first */
	struct tw_trace_proc proc[TW_TRACE_TOP];
	size_t nproc;
};

enum tw_source {
	TW_SOURCE_LIVE,
	TW_SOURCE_SNAPSHOT,
};

struct tw_sysctld;  /* persisted configuration: src/sysctld/sysctld.h */

#define TW_MAX_NOTES 16

/* What --capture recorded about the host in a snapshot's meta.txt
 * (doc/snapshot-format.md); each NULL or unknown when absent. */
struct tw_snapshot_meta {
	bool read;                  /* meta.txt was present and well-formed */
	char *hostname;
	char *captured_at;          /* RFC 3339 */
	char *netns;                /* the --netns the capture ran in */
	char *kernel;               /* uname -r at capture time */
	char *version;              /* twadvise's version that captured */
	struct tw_opt in_container; /* as detected at capture time */
};
void snapshot_meta_free(struct tw_snapshot_meta *m);

struct tw_facts {
	enum tw_source source;
	char *snapshot_dir;         /* snapshot folder, or NULL */
	char *netns;                /* --netns name (or a snapshot's meta.txt netns), or NULL */
	char *hostname;             /* the analysed host's name when known (live: NULL, asked at render) */
	struct tw_snapshot_meta meta;
	bool all_namespaces;        /* part of an --all-namespaces run */
	/* --all-namespaces: the command prefix that runs a command inside
	 * this namespace ("ip netns exec NAME", "nsenter -t PID -n"), or NULL. */
	char *netns_enter;
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
	/* owners[i]: who holds the live connections toward tw.top_client[i]
	 * (i < TW_OWNERS_TUPLES). */
	struct tw_tuple_owners owners[TW_OWNERS_TUPLES];
	struct tw_ct_stats ct_stats;
	struct tw_nft_nat nft;
	struct tw_trace trace;          /* --trace; known == false otherwise */
	/* sysctl.d view; NULL when not read. Owned by whoever loaded it,
	 * which also sets persisted_free (facts know nothing of sysctl.d). */
	struct tw_sysctld *persisted;
	void (*persisted_free)(struct tw_sysctld *);

	/* Short sentences about how facts were obtained ("netlink
	 * unavailable, read /proc/net/tcp instead"); shown in reports. */
	char *notes[TW_MAX_NOTES];
	size_t nnotes;
};

void facts_init(struct tw_facts *f);
/* Frees what 'f' holds and zeroes it; NULL is fine (as for every _free). */
void facts_free(struct tw_facts *f);
/* Adds a note (copied); silently drops notes past TW_MAX_NOTES. */
void facts_note(struct tw_facts *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Counter lookup: 0 and *ret on success, -ENOENT when absent. */
int counter_list_get(const struct tw_counter_list *l, const char *name, int64_t *ret);
void counter_list_set(struct tw_counter_list *l, const char *name, int64_t value);
void counter_list_free(struct tw_counter_list *l);

/* Who holds the live connections toward client tuple 't' (one of
 * f->tw.top_client, matched by its ends): NULL when not looked up. */
const struct tw_tuple_owners *facts_tuple_owners(const struct tw_facts *f,
						 const struct tw_tuple *t);

/* SNAT ports per (public address, destination, port): the narrowest
 * port range of the ruleset's masquerade/snat statements when it was
 * read, else 'threshold' (the profile's snat_ports; 0: none), else
 * TW_NAT_DEFAULT_PORTS. */
uint64_t facts_snat_ports(const struct tw_facts *f, uint64_t threshold);

/* The ephemeral range from net.ipv4.ip_local_port_range; false when the
 * sysctl is absent or malformed. */
/* Adds the sysctl keys the functions of facts.c read (sysctl_keys.h). */
void facts_sysctl_keys(struct tw_sysctl_keys *s);
bool facts_port_range(const struct tw_facts *f, uint16_t *ret_low, uint16_t *ret_high);
/* Ports usable for one client tuple: range size minus reserved ports
 * inside it (net.ipv4.ip_local_reserved_ports). 0 when unknown. */
uint64_t facts_ports_available(const struct tw_facts *f);

/* Default tcp_tw_reuse_delay (ms): the fixed delay before the key existed. */
#define TW_REUSE_DELAY_DEFAULT_MS 1000

/* The ports a tuple can use: the local range (minus reserved ports) for a
 * client tuple, 'peer_ports' for a server-side one. 0 when unknown. */
uint64_t facts_tuple_ports(const struct tw_facts *f, const struct tw_tuple *t, uint64_t peer_ports);
/* held / facts_tuple_ports(); false when the ports are unknown. */
bool facts_tuple_utilization(const struct tw_facts *f, const struct tw_tuple *t,
			     uint64_t peer_ports, double *ret);
/* Whether connect() reuses this client tuple's TIME_WAIT ports:
 * tcp_tw_reuse 1 (or 2 toward loopback) and timestamps on. False when
 * the sysctls are unknown. */
bool facts_tuple_reuse(const struct tw_facts *f, const struct tw_tuple *t, bool *ret);
/* tcp_tw_reuse_delay in seconds (1 when the key is absent). */
double facts_reuse_delay_s(const struct tw_facts *f);
/* New connections/s toward the tuple closed by this side, from the
 * TIME_WAIT ages of the last TW_AGE_BUCKET_S seconds; false without ages. */
bool facts_tuple_rate(const struct tw_facts *f, const struct tw_tuple *t, double *ret);
/* Share of a client tuple's ports that connect() cannot use: held / ports
 * without reuse; (held - count + rate x reuse delay) / ports with reuse,
 * the rate from --interval (host-wide ActiveOpens, an upper bound) or the
 * TIME_WAIT ages. False when unknown (not a client tuple, range unknown,
 * or reuse at work and no rate). */
bool facts_tuple_pressure(const struct tw_facts *f, const struct tw_tuple *t, double *ret);

#endif
