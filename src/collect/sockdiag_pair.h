/* SPDX-License-Identifier: MIT */
/* sockdiag_pair.h: the IPv4 and IPv6 dumps of sock_diag at once, or in
 * one dump, with a receiver thread.
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

/* The same in one dump of both families (sockdiag_request_all(): one walk
 * of the kernel's hashes instead of two). With 'rsd', a receiver thread
 * reads it on that socket while the calling thread parses; else 'sd'
 * alone, receiving and parsing in turn. Callbacks in the kernel's order:
 * the listeners of both families, then the other sockets. A kernel
 * without the request answers an error: the caller falls back to
 * sockdiag_dump_pair(). */
int sockdiag_dump_single(struct sockdiag *sd, struct sockdiag *rsd, uint32_t states,
			 sockdiag_cb cb, void *data, struct tw_error *err);

/* How a live walk dumps (TWADVISE_DUMP): "single" (the default) one dump
 * of both families, "parallel" one per family at once, "sequential" one
 * per family in turn, without threads. *threads: whether a second thread
 * may be used (this process may run on two CPUs or more, and not
 * "sequential"). */
enum sockdiag_walk {
	SOCKDIAG_WALK_SINGLE,
	SOCKDIAG_WALK_PER_FAMILY,
};
enum sockdiag_walk sockdiag_walk_mode(bool *threads);

#endif
