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

/* The states whose sockets hold a local port against new connect()s
 * (__inet_hash_connect() refuses a 4-tuple held in any of them): the
 * states counted in 'held'. Bit n is state n, as in sock_diag's
 * idiag_states. */
#define TW_STATE_BIT(s) (1u << (s))
#define TW_HOLD_STATES                                                              \
	(TW_STATE_BIT(TW_TCP_ESTABLISHED) | TW_STATE_BIT(TW_TCP_SYN_SENT) |          \
	 TW_STATE_BIT(TW_TCP_FIN_WAIT1) | TW_STATE_BIT(TW_TCP_FIN_WAIT2) |           \
	 TW_STATE_BIT(TW_TCP_TIME_WAIT) | TW_STATE_BIT(TW_TCP_CLOSE_WAIT) |          \
	 TW_STATE_BIT(TW_TCP_LAST_ACK) | TW_STATE_BIT(TW_TCP_CLOSING))
/* What the collectors ask for: the holding states and the listeners
 * (which decide the side). One dump, one pass. */
#define TW_COLLECT_STATES (TW_HOLD_STATES | TW_STATE_BIT(TW_TCP_LISTEN))

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
	/* When capped: no tuple left out of the table held more than this
	 * many sockets when it was evicted, and the 'held', 'count' and
	 * 'age' of a tuple in the top tables may be short by up to this. */
	uint64_t capped_floor;
	uint64_t server_remote_addrs;     /* distinct peers among server-side sockets */
	bool inode_known;                 /* the source reports inodes */
	uint64_t with_inode;              /* TIME_WAIT sockets holding an inode (expected 0) */
	/* Largest keys first (held descending, then count, then key order:
	 * deterministic); keys with TIME_WAIT sockets only (see
	 * TW_TOP_HELD_ONLY in tuples.c). */
	struct tw_tuple top_client[TW_TOP_MAX];
	size_t ntop_client;
	struct tw_tuple top_server[TW_TOP_MAX];
	size_t ntop_server;
	struct tw_local_usage top_local[TW_TOP_LOCAL_MAX];
	size_t ntop_local;
};

struct tw_aggregator;

/* The tuple table keeps at most this many distinct keys. Past it, the
 * lower half (by held) is evicted, so memory is bounded (64 bytes a key:
 * 2 MiB, and a 256 KiB index) whatever the input; totals stay exact. A
 * key can only be evicted while at most half the keys hold more sockets than it, so
 * an evicted key held at most total/16384 sockets: 61 of a million, 0.2 %
 * of a default port range. Any tuple under port pressure stays exact. */
#define TW_TUPLES_MAX 32768u

/* 'listening' is read (not copied) while the aggregator lives; the range
 * decides "ephemeral" (pass 32768..60999 when unknown). Caller frees with
 * aggregator_finish(). */
struct tw_aggregator *aggregator_new(const struct tw_port_set *listening,
				     uint16_t range_low, uint16_t range_high);
/* Counts one socket: every state of TW_HOLD_STATES in 'held', TIME_WAIT
 * also in 'count' and the TIME_WAIT statistics; other states (LISTEN,
 * SYN-RECV, CLOSE) are ignored. */
void aggregator_add(struct tw_aggregator *agg, const struct tw_sock *s);
/* True when a counted socket had local port 'port'. A collector that
 * reads listeners and other sockets in one pass calls it for each new
 * listening port: when true, a socket was already given a side without
 * knowing that listener, and the pass must be made again (with the now
 * complete 'listening' set and a new aggregator). */
bool aggregator_lport_seen(const struct tw_aggregator *agg, uint16_t port);
/* Fills *ret and frees the aggregator. */
void aggregator_finish(struct tw_aggregator *agg, struct tw_tw_stats *ret);

/* When st->capped, writes the collector's note about it into 'buf'
 * ("N distinct destinations ...") and returns true. */
bool tw_stats_capped_note(const struct tw_tw_stats *st, char *buf, size_t size);

/* The side a TIME_WAIT socket is counted on (exposed for tests). */
enum tw_side tuple_side(const struct tw_sock *s, const struct tw_port_set *listening,
			uint16_t range_low, uint16_t range_high);

#endif
