/* SPDX-License-Identifier: MIT */
/* nl_dump.h: one netlink dump request and its replies, for every
 * netlink family twadvise reads (sock_diag, ctnetlink).
 *
 * The send, the receive loop (EINTR, truncation, replies not from the
 * kernel, an empty reply) and the end of the dump are the same whatever
 * the messages carry; the caller's callback gets each received buffer
 * and says, by its return value, when it has seen NLMSG_DONE. */
#ifndef TW_COLLECT_NL_DUMP_H
#define TW_COLLECT_NL_DUMP_H

#include <stddef.h>

#include "util/error.h"

/* Flags a buffer callback returns (and nl_dump_scan()). */
#define NL_DUMP_DONE 1u   /* NLMSG_DONE seen: the dump is complete */
#define NL_DUMP_INTR 2u   /* NLM_F_DUMP_INTR seen: the table changed meanwhile */

/* Called with each buffer received, unparsed; returns a combination of
 * NL_DUMP_DONE and NL_DUMP_INTR (0: more to come), or a negative errno
 * with 'err' set, which stops the dump. */
typedef int (*nl_dump_buf_cb)(const void *buf, size_t len, void *data, struct tw_error *err);

/* Sends the request 'req' (rlen bytes) on the netlink socket 'fd', then
 * receives the replies into 'buf' (bufsize bytes: larger than any one
 * reply) and hands each to 'cb' until it reports NL_DUMP_DONE. Returns 0
 * for a consistent dump, NL_DUMP_INTR when some buffer was flagged, or a
 * negative errno; error messages start with 'what' ("netlink sock_diag"). */
int nl_dump(int fd, const void *req, size_t rlen, void *buf, size_t bufsize, const char *what,
	    nl_dump_buf_cb cb, void *data, struct tw_error *err);

/* The flags of the netlink messages in 'buf', from their headers alone
 * (no payload is read): for a receiver that passes buffers on unparsed.
 * A malformed chain reports NL_DUMP_DONE: the receiver stops, and the
 * parser that reads the buffer later finds the fault and says so. */
unsigned nl_dump_scan(const void *buf, size_t len);

#endif
