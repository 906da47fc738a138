/* SPDX-License-Identifier: MIT */
/* tuples.h: TIME_WAIT aggregation per 4-tuple key, without storing sockets.
 *
 * Collectors feed every socket they see, one at a time, to an aggregator;
 * it keeps one counter per distinct key, so memory grows with the number
 * of distinct destinations, not with the number of sockets.
 *
 * Side: a TIME_WAIT socket whose local port is a listening port is
 * "server" (the peer connected in; key = local addr, local port, remote
 * addr). Otherwise, when the local port is inside the ephemeral range (or
 * the remote port is not), it is "client" (this host connected out; key =
 * local addr, remote addr, remote port). A socket whose local port is
 * outside the range and whose remote port is inside it is "server" too: a
 * listener that has since closed. */
#ifndef TW_FACTS_TUPLES_H
#define TW_FACTS_TUPLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts/addr.h"
#include "facts/port_set.h"

/* TCP states, numbered as the kernel does (include/net/tcp_states.h). */
enum tw_tcp_state {
	TW_TCP_ESTABLISHED = 1,
	TW_TCP_SYN_SENT = 2,
	TW_TCP_SYN_RECV = 3,
	TW_TCP_FIN_WAIT1 = 4,
	TW_TCP_FIN_WAIT2 = 5,
	TW_TCP_TIME_WAIT = 6,
	TW_TCP_CLOSE = 7,
	TW_TCP_CLOSE_WAIT = 8,
	TW_TCP_LAST_ACK = 9,
	TW_TCP_LISTEN = 10,
	TW_TCP_CLOSING = 11,
	TW_TCP_NEW_SYN_RECV = 12,
};

/* One socket as a collector saw it. */
struct tw_sock {
	uint8_t state;          /* enum tw_tcp_state */
	struct tw_addr local, remote;
	uint16_t lport, rport;
	bool inode_known;       /* netlink and /proc/net/tcp report it; ss -tan does not */
	uint32_t inode;
	/* TIME_WAIT only: time left before the kernel frees it (netlink
	 * idiag_expires, /proc/net/tcp tm->when, ss -tano timer:(timewait,..)).
	 * TIME_WAIT lasts TW_TIMEWAIT_S, so the age is TW_TIMEWAIT_S - expires. */
	bool expires_known;
	uint32_t expires_ms;
};

/* TCP_TIMEWAIT_LEN (include/net/tcp.h): fixed, not a sysctl. */
#define TW_TIMEWAIT_S 60
/* TIME_WAIT ages in buckets of TW_AGE_BUCKET_S seconds: age[0] holds the
 * sockets that entered TIME_WAIT in the last 10 s, so age[0] / 10 is the
 * current rate of new connections toward that tuple (closed by this side). */
#define TW_AGE_BUCKET_S 10
#define TW_AGE_BUCKETS (TW_TIMEWAIT_S / TW_AGE_BUCKET_S)

enum tw_side {
	TW_SIDE_CLIENT = 0,
	TW_SIDE_SERVER = 1,
};

struct tw_tuple {
	enum tw_side side;
	struct tw_addr local, remote;
	uint16_t port;          /* client: remote port; server: local port */
	uint64_t count;         /* TIME_WAIT sockets */
	/* Sockets in any state that holds this tuple's port (ESTABLISHED,
	 * SYN-SENT, FIN-WAIT-1/2, CLOSE-WAIT, LAST-ACK, CLOSING, TIME_WAIT):
	 * __inet_hash_connect() refuses a 4-tuple held in any of them, so this,
	 * not 'count', is the pressure on the tuple's ports. held >= count. */
	uint64_t held;
	uint64_t age[TW_AGE_BUCKETS]; /* TIME_WAIT sockets by age, when ages_known */
};

/* Client-side TIME_WAIT per local address: when one address's sockets
 * never share a local port across destinations, the application probably
 * bind()s before connect() without IP_BIND_ADDRESS_NO_PORT. */
struct tw_local_usage {
	struct tw_addr local;
	uint64_t count;          /* client TIME_WAIT sockets from this address */
	uint64_t distinct_ports; /* distinct local ports among them */
	uint64_t destinations;   /* distinct (remote addr, remote port) */
};

#define TW_TOP_MAX 32
#define TW_TOP_LOCAL_MAX 8

struct tw_tw_stats {
	bool known;                 /* sockets were read */
	uint64_t total, client, server;
	uint64_t ipv4, ipv6, loopback;
	uint64_t tuples_client, tuples_server;
	/* Port-holding sockets of every state (TIME_WAIT included) by side. */
	uint64_t held_client, held_server;
	/* Every TIME_WAIT socket came with its remaining time (age[] valid). */
	bool ages_known;
	/* The tuple table hit its memory cap: totals stay exact, the top
	 * tables are approximate for keys first seen after the cap. */
	bool capped;
	uint64_t server_remote_addrs;     /* distinct peers among server-side sockets */
	bool inode_known;                 /* the source reports inodes */
	uint64_t with_inode;              /* TIME_WAIT sockets holding an inode (expected 0) */
	/* Largest keys first (held descending, then count, then key order:
	 * deterministic). */
	struct tw_tuple top_client[TW_TOP_MAX];
	size_t ntop_client;
	struct tw_tuple top_server[TW_TOP_MAX];
	size_t ntop_server;
	struct tw_local_usage top_local[TW_TOP_LOCAL_MAX];
	size_t ntop_local;
};

struct tw_aggregator;

/* 'listening' is read (not copied) while the aggregator lives; the range
 * decides "ephemeral" (pass 32768..60999 when unknown). Caller frees with
 * aggregator_finish(). */
struct tw_aggregator *aggregator_new(const struct tw_port_set *listening,
				     uint16_t range_low, uint16_t range_high);
/* Counts one socket; sockets in other states than TIME_WAIT are ignored. */
void aggregator_add(struct tw_aggregator *agg, const struct tw_sock *s);
/* Fills *ret and frees the aggregator. */
void aggregator_finish(struct tw_aggregator *agg, struct tw_tw_stats *ret);

/* The side a TIME_WAIT socket is counted on (exposed for tests). */
enum tw_side tuple_side(const struct tw_sock *s, const struct tw_port_set *listening,
			uint16_t range_low, uint16_t range_high);

#endif
