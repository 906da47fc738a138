/* SPDX-License-Identifier: MIT */
/* sockdiag_pair.h: the IPv4 and IPv6 dumps of sock_diag at once.
 *
 * Most of a dump's time is the kernel's: tcp_diag_dump() walks the whole
 * established hash for each family (both families' sockets share it),
 * and fills the replies during recvmsg(). Two netlink sockets let two
 * CPUs do that at once: a receiver thread reads the IPv6 dump into a
 * small bounded queue of raw buffers while the calling thread reads the
 * IPv4 dump; the calling thread alone parses and calls back (the
 * callback needs no lock), taking queued IPv6 buffers between its own
 * and the rest at the end. */
#ifndef TW_COLLECT_SOCKDIAG_PAIR_H
#define TW_COLLECT_SOCKDIAG_PAIR_H

#include <stdbool.h>

#include "collect/sockdiag.h"

/* Dumps 'states' for AF_INET and AF_INET6 and calls 'cb' once per socket,
 * always from the calling thread. Sequential (sd4 alone, IPv4 then IPv6,
 * as two sockdiag_dump() calls) when 'sd6' is NULL or the thread cannot
 * start. In parallel, IPv6 sockets may be called back between IPv4 ones:
 * each family still comes listeners first, and the counts are the same.
 * Returns 0, SOCKDIAG_INTR when either dump was flagged inconsistent, or
 * a negative errno (the callback's, a parse error, netlink's). */
int sockdiag_dump_pair(struct sockdiag *sd4, struct sockdiag *sd6, uint32_t states,
		       sockdiag_cb cb, void *data, struct tw_error *err);

/* Whether a walk should use two sockets: not when TWADVISE_DUMP_SEQUENTIAL
 * is set (non-empty), nor when this process may run on one CPU only. */
bool sockdiag_pair_parallel(void);

#endif
