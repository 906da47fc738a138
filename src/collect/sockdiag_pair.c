/* SPDX-License-Identifier: MIT */
/* sockdiag_pair.c: a receiver thread for sock_diag dumps (see
 * sockdiag_pair.h): the IPv6 dump while the calling thread makes the IPv4
 * one, or the one dump of both families while the calling thread parses.
 *
 * The queue is bounded (QUEUE_SLOTS received buffers, each at most one
 * skb: 32 KiB), so memory does not grow with the number of sockets; the
 * calling thread empties it after each of its own buffers, so the
 * receiver rarely waits. Parsing stays on one thread: the aggregator and
 * the callback need no lock, and the receiver's buffers are parsed in
 * the order the kernel sent them. */
#include "collect/sockdiag_pair.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "collect/nl_dump.h"
#include "util/cpus.h"
#include "util/xalloc.h"

#define QUEUE_SLOTS 8
/* A parser with nothing to do waits for this many buffers (or the end):
 * one wake-up per batch, not per buffer. */
#define BATCH (QUEUE_SLOTS / 2)

struct pair {
	/* Receiver side (the thread). */
	struct sockdiag *sd6;       /* the receiver's socket */
	int family;                 /* AF_INET6, or AF_UNSPEC: both in one dump */
	uint32_t states;
	int result;                 /* nl_dump()'s, once done */
	struct tw_error rerr;
	/* The queue, under 'lock'. */
	pthread_mutex_t lock;
	pthread_cond_t filled;      /* BATCH slots filled, or done: the parser waits */
	pthread_cond_t freed;       /* a slot freed, or cancel set: the receiver waits */
	void *slot[QUEUE_SLOTS];    /* allocated on first use, sd6->bufsize each */
	size_t len[QUEUE_SLOTS];
	size_t head, count;
	bool done, cancel;
	/* Parser side (the calling thread). */
	sockdiag_cb cb;
	void *data;
	unsigned flags6;            /* flags of the receiver's buffers parsed */
};

/* The receiver's callback: one buffer into the queue (waits for room). */
static int enqueue(const void *buf, size_t len, void *data, struct tw_error *err)
{
	struct pair *p = data;
	size_t i;

	pthread_mutex_lock(&p->lock);
	while (p->count == QUEUE_SLOTS && !p->cancel)
		pthread_cond_wait(&p->freed, &p->lock);
	if (p->cancel) {
		pthread_mutex_unlock(&p->lock);
		return tw_error_set(err, -ECANCELED, "netlink sock_diag: cancelled");
	}
	i = (p->head + p->count) % QUEUE_SLOTS;
	pthread_mutex_unlock(&p->lock);
	/* Slot i is the receiver's until count covers it: no lock to fill. */
	if (!p->slot[i])
		p->slot[i] = tw_xmalloc(p->sd6->bufsize);
	memcpy(p->slot[i], buf, len);
	p->len[i] = len;
	pthread_mutex_lock(&p->lock);
	if (++p->count == BATCH)
		pthread_cond_signal(&p->filled);
	pthread_mutex_unlock(&p->lock);
	return (int)nl_dump_scan(buf, len);
}

static void *receiver(void *data)
{
	struct pair *p = data;
	unsigned char req[SOCKDIAG_REQ_SIZE];
	size_t rlen = p->family == AF_UNSPEC
			      ? sockdiag_request_all(req, p->states, p->sd6->seq++)
			      : sockdiag_request(req, p->family, p->states, p->sd6->seq++);
	int r = nl_dump(p->sd6->fd, req, rlen, p->sd6->buf, p->sd6->bufsize, "netlink sock_diag",
			enqueue, p, &p->rerr);

	pthread_mutex_lock(&p->lock);
	p->result = r;
	p->done = true;
	pthread_cond_signal(&p->filled);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* Parses the receiver's queued buffers; with 'wait', until the receiver
 * is done (waking per BATCH buffers). 0, or the first parse error. */
static int drain(struct pair *p, bool wait, struct tw_error *err)
{
	for (;;) {
		size_t i;
		int r;

		pthread_mutex_lock(&p->lock);
		if (wait && p->count == 0)
			while (p->count < BATCH && !p->done)
				pthread_cond_wait(&p->filled, &p->lock);
		if (p->count == 0) {
			pthread_mutex_unlock(&p->lock);
			return 0;
		}
		i = p->head;
		pthread_mutex_unlock(&p->lock);
		/* Slot i stays ours until count drops. */
		r = sockdiag_parse(p->slot[i], p->len[i], p->cb, p->data, err);
		pthread_mutex_lock(&p->lock);
		p->head = (p->head + 1) % QUEUE_SLOTS;
		if (p->count-- == QUEUE_SLOTS)
			pthread_cond_signal(&p->freed);
		pthread_mutex_unlock(&p->lock);
		if (r < 0)
			return r;
		p->flags6 |= (unsigned)r;
	}
}

/* The calling thread's IPv4 buffers, then whatever IPv6 has queued; the
 * flags returned are IPv4's alone (they end the IPv4 dump). */
static int on_v4_buffer(const void *buf, size_t len, void *data, struct tw_error *err)
{
	struct pair *p = data;
	int r = sockdiag_parse(buf, len, p->cb, p->data, err);
	int d;

	if (r < 0)
		return r;
	d = drain(p, false, err);
	return d < 0 ? d : r;
}

static int dump_sequential(struct sockdiag *sd, uint32_t states, sockdiag_cb cb, void *data,
			   struct tw_error *err)
{
	static const int families[2] = { AF_INET, AF_INET6 };
	bool intr = false;

	for (int i = 0; i < 2; i++) {
		int r = sockdiag_dump(sd, families[i], states, cb, data, NULL, NULL, err);

		if (r < 0)
			return r;
		intr |= r == SOCKDIAG_INTR;
	}
	return intr ? (int)SOCKDIAG_INTR : 0;
}

/* Starts the receiver on p->sd6; false when the thread cannot start. */
static bool start(struct pair *p, pthread_t *t)
{
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->filled, NULL);
	pthread_cond_init(&p->freed, NULL);
	if (pthread_create(t, NULL, receiver, p) == 0)
		return true;
	pthread_cond_destroy(&p->filled);
	pthread_cond_destroy(&p->freed);
	pthread_mutex_destroy(&p->lock);
	return false;
}

/* Stops (on error) and joins the receiver; returns r, or the receiver's
 * error, or SOCKDIAG_INTR when a dump was flagged. */
static int finish(struct pair *p, pthread_t t, int r, bool intr, struct tw_error *err)
{
	if (r < 0) {
		pthread_mutex_lock(&p->lock);
		p->cancel = true;
		pthread_cond_signal(&p->freed);
		pthread_mutex_unlock(&p->lock);
	}
	pthread_join(t, NULL);
	if (r >= 0 && p->result < 0) {
		*err = p->rerr;
		r = p->result;
	}
	if (r >= 0)
		r = (intr || p->result == (int)NL_DUMP_INTR || (p->flags6 & SOCKDIAG_INTR))
			    ? (int)SOCKDIAG_INTR : 0;
	for (size_t i = 0; i < QUEUE_SLOTS; i++)
		free(p->slot[i]);
	pthread_cond_destroy(&p->filled);
	pthread_cond_destroy(&p->freed);
	pthread_mutex_destroy(&p->lock);
	return r;
}

int sockdiag_dump_pair(struct sockdiag *sd4, struct sockdiag *sd6, uint32_t states,
		       sockdiag_cb cb, void *data, struct tw_error *err)
{
	struct pair p = { .sd6 = sd6, .family = AF_INET6, .states = states, .cb = cb, .data = data };
	unsigned char req[SOCKDIAG_REQ_SIZE];
	pthread_t t;
	int r, r4;

	if (!sd6 || !start(&p, &t))
		return dump_sequential(sd4, states, cb, data, err);
	r4 = nl_dump(sd4->fd, req, sockdiag_request(req, AF_INET, states, sd4->seq++), sd4->buf,
		     sd4->bufsize, "netlink sock_diag", on_v4_buffer, &p, err);
	r = r4 < 0 ? r4 : drain(&p, true, err);
	return finish(&p, t, r, r4 == SOCKDIAG_INTR, err);
}

static int parse_buffer(const void *buf, size_t len, void *data, struct tw_error *err)
{
	const struct pair *p = data;

	return sockdiag_parse(buf, len, p->cb, p->data, err);
}

int sockdiag_dump_single(struct sockdiag *sd, struct sockdiag *rsd, uint32_t states,
			 sockdiag_cb cb, void *data, struct tw_error *err)
{
	struct pair p = { .sd6 = rsd, .family = AF_UNSPEC, .states = states, .cb = cb, .data = data };
	unsigned char req[SOCKDIAG_REQ_SIZE];
	pthread_t t;

	if (!rsd || !start(&p, &t))
		return nl_dump(sd->fd, req, sockdiag_request_all(req, states, sd->seq++), sd->buf,
			       sd->bufsize, "netlink sock_diag", parse_buffer, &p, err);
	return finish(&p, t, drain(&p, true, err), false, err);
}

enum sockdiag_walk sockdiag_walk_mode(bool *threads)
{
	const char *mode = getenv("TWADVISE_DUMP");

	*threads = tw_second_cpu();
	if (mode && strcmp(mode, "sequential") == 0) {
		*threads = false;
		return SOCKDIAG_WALK_PER_FAMILY;
	}
	if (mode && strcmp(mode, "parallel") == 0)
		return SOCKDIAG_WALK_PER_FAMILY;
	return SOCKDIAG_WALK_SINGLE;
}
