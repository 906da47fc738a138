/* SPDX-License-Identifier: MIT */
/* ss_reader.h: every socket of a snapshot's ss-tan.txt, parsed, in the
 * order of the file.
 *
 * The file is read in large blocks from a descriptor, or walked in
 * memory (an archive's copy); lines are parsed in place. A large listing
 * is parsed on a second thread while the calling thread consumes its
 * sockets (when twadvise may run on two CPUs): the consumer sees the same
 * sockets in the same order either way, and needs no lock. */
#ifndef TW_COLLECT_SS_READER_H
#define TW_COLLECT_SS_READER_H

#include <stdbool.h>
#include <stddef.h>

#include "facts/tuples.h"
#include "util/error.h"

/* Where the listing is: a descriptor (mem NULL; read from its start) or
 * bytes in memory. 'path' names it in messages. */
struct ss_source {
	int fd;
	const char *mem;
	size_t len;
	const char *path;
};

/* One socket line. 'users' is its ss -p column (NULL without one), valid
 * during the call; always NULL unless SS_READ_USERS was asked for. */
typedef void (*ss_sock_fn)(const struct tw_sock *s, const char *users, size_t ulen,
			   void *data);

/* Pass each socket's users column to the callback. */
#define SS_READ_USERS 1u
/* Skip the lines of ss that start with the state TIME-WAIT, before they
 * are split (no process holds such a socket: the owners pass, on a
 * listing the first pass has read without error). */
#define SS_READ_LIVE_ONLY 2u

/* Calls 'fn' for each socket line, in order; '*saw_users' (may be NULL)
 * tells whether any line had a users column. 0, or the first error
 * ("FILE:LINE: what"), after which no more sockets are passed. */
int ss_read(const struct ss_source *src, unsigned flags, ss_sock_fn fn, void *data,
	    bool *saw_users, struct tw_error *err);

/* How ss_read() parses (TWADVISE_SS_PARSE): "inline" on the calling
 * thread; "pipelined" on a second thread whatever the size; unset, on a
 * second thread from SS_PIPE_MIN bytes when a CPU is free for it
 * (tw_spare_cpu(): sharing a busy CPU, the second thread made a run 1.25x
 * slower than one thread). */
#define SS_PIPE_MIN (1024u * 1024)

#endif
