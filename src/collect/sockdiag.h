/* SPDX-License-Identifier: MIT */
/* sockdiag.h: TCP sockets from the kernel through NETLINK_SOCK_DIAG.
 *
 * Three layers, as libmnl's dump examples and iproute2's ss do it:
 * sockdiag_request() builds one SOCK_DIAG_BY_FAMILY dump request
 * (inet_diag_req_v2, IPPROTO_TCP, a kernel-side state filter);
 * sockdiag_dump() sends it and reads the replies into one reusable buffer;
 * sockdiag_parse() is pure: it walks a buffer of netlink messages and
 * calls back once per socket, so recorded dumps (tests/fixtures/netlink)
 * are parsed exactly as live ones. No allocation per socket. */
#ifndef TW_COLLECT_SOCKDIAG_H
#define TW_COLLECT_SOCKDIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts/tuples.h"
#include "util/error.h"

/* Called once per socket; 's' is valid during the call only. Return 0 to
 * go on, a negative errno to stop (sockdiag_parse then returns it). */
typedef int (*sockdiag_cb)(const struct tw_sock *s, void *data);

/* Flags returned by sockdiag_parse(). */
#define SOCKDIAG_DONE 1u   /* NLMSG_DONE seen: the dump is complete */
#define SOCKDIAG_INTR 2u   /* NLM_F_DUMP_INTR seen: the table changed meanwhile */

/* Walks the netlink messages of 'buf' (one recv() worth or several
 * concatenated), validating every length before use. Returns a
 * combination of SOCKDIAG_DONE and SOCKDIAG_INTR (0: more to come), or a
 * negative errno: -EBADMSG for a truncated or malformed message, the
 * kernel's error for NLMSG_ERROR, or the callback's error. Messages after
 * NLMSG_DONE are still parsed (a recording holds several dumps). */
int sockdiag_parse(const void *buf, size_t len, sockdiag_cb cb, void *data,
		   struct tw_error *err);

/* Bit masks for sockdiag_dump()'s 'states'. */
#define SOCKDIAG_STATE(s) (1u << (s))
#define SOCKDIAG_ALL_STATES 0xfffu

/* Builds the dump request for 'family' (AF_INET or AF_INET6) and the
 * state mask into 'buf' (at least SOCKDIAG_REQ_SIZE bytes); returns its
 * length. */
#define SOCKDIAG_REQ_SIZE 128
size_t sockdiag_request(void *buf, int family, uint32_t states, uint32_t seq);

/* The same for both families in one dump: the older TCPDIAG_GETSOCK
 * request (struct inet_diag_req), which the kernel dumps with family
 * AF_UNSPEC (inet_diag_dump_compat()): one walk of the socket hashes
 * instead of one per family, listeners of both families first. Its
 * replies carry nlmsg_type TCPDIAG_GETSOCK; sockdiag_parse() takes them. */
size_t sockdiag_request_all(void *buf, uint32_t states, uint32_t seq);

/* Optional tap on the raw replies, for recording a dump as a test
 * fixture: called with each received buffer, unparsed. */
typedef int (*sockdiag_raw_cb)(const void *buf, size_t len, void *data);

struct sockdiag {
	int fd;
	uint32_t seq;
	void *buf;
	size_t bufsize;
};

/* Opens the netlink socket and its receive buffer ('bufsize' 0: default
 * 64 KiB). Errors: -EPROTONOSUPPORT/-EAFNOSUPPORT etc. when sock_diag is
 * unavailable. */
int sockdiag_open(struct sockdiag *sd, size_t bufsize, struct tw_error *err);
void sockdiag_close(struct sockdiag *sd);

/* Dumps the TCP sockets of 'family' whose state is in 'states', calling
 * 'cb' for each (and 'raw', when not NULL, with each buffer received).
 * Returns 0 when the dump completed consistently, SOCKDIAG_INTR (> 0)
 * when the kernel flagged NLM_F_DUMP_INTR: the callbacks already made
 * may have missed or repeated sockets, so the caller discards what it
 * counted and dumps again (bounded; see live.c). Negative errno on error. */
int sockdiag_dump(struct sockdiag *sd, int family, uint32_t states,
		  sockdiag_cb cb, void *data, sockdiag_raw_cb raw, void *rawdata,
		  struct tw_error *err);

#endif
