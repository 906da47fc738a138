/* SPDX-License-Identifier: MIT */
/* ss_reader.c: the sockets of ss-tan.txt, in file order (ss_reader.h).
 *
 * Pipelined, the second thread reads the file into a ring of batches and
 * splits their lines (parse_ss_split(): fields, state, local end) while
 * the calling thread parses each peer and timer (parse_ss_sock()) and
 * hands the socket to the callback (the aggregator): two halves of about
 * the same cost (perf record). The ring is bounded, so memory does not
 * grow with the file; batches are consumed in the order they were
 * filled, and a bad line found by either thread stops the reading at the
 * first one in the file, with the message the one-thread reading gives. */
#include "collect/ss_reader.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collect/parsers.h"
#include "util/cpus.h"
#include "util/xalloc.h"

/* A longer ss line is not ss output (ss -p lists every process holding a
 * socket: a listener shared by hundreds of workers makes a long line). */
#define SS_LINE_MAX 65536

/* Read in large blocks, lines split in place: no per-line allocation or
 * copy. */
#define SS_BLOCK (256u * 1024)

/* Pipelined, the ring: RING_SLOTS batches of at most BATCH_LINES lines
 * and BATCH_BYTES bytes (more than SS_LINE_MAX: a batch holds any line
 * whole), about 800 KiB in all. */
#define BATCH_LINES 1536
#define BATCH_BYTES (96u * 1024)
#define RING_SLOTS 4
/* A consumer with nothing to do waits for this many batches (or the
 * end): one wake-up per WAKE_BATCHES, not per batch. */
#define WAKE_BATCHES (RING_SLOTS / 2)
/* A thread that must wait yields its CPU up to this many times before it
 * sleeps: the two halves take about as long, so the wait is short, and a
 * thread woken from sleep tends to be woken on its waker's CPU, where the
 * two then share one core until the scheduler moves one (runs alternated
 * between 27 and 44 ms at 250,000 lines). */
#define SPIN_YIELDS 2000

/* One line (without its '\n') and its number: 0 walks on, 1 stops the
 * walk after this line, <0 (an error) stops it. */
typedef int (*line_fn)(const char *p, size_t n, unsigned lineno, void *data,
		       struct tw_error *err);

struct walk {
	const char *path;
	unsigned lineno;
	line_fn fn;
	void *data;
};

/* A line that runs past SS_LINE_MAX bytes: line 'lineno' of w's file. */
static int too_long(const struct walk *w, unsigned lineno, struct tw_error *err)
{
	return tw_error_set(err, -EINVAL, "%s:%u: line longer than %u bytes", w->path, lineno,
			    SS_LINE_MAX);
}

/* Back to the start of the source's file. */
static int rewind_source(const struct ss_source *src, struct tw_error *err)
{
	if (lseek(src->fd, 0, SEEK_SET) < 0)
		return tw_error_set(err, -errno, "%s: %s", src->path, strerror(errno));
	return 0;
}

/* Up to 'len' bytes of the source's file: how many (0 at its end), or
 * <0 with 'err' set. */
static ssize_t read_some(const struct ss_source *src, char *buf, size_t len,
			 struct tw_error *err)
{
	for (;;) {
		ssize_t n = read(src->fd, buf, len);

		if (n >= 0)
			return n;
		if (errno != EINTR)
			return tw_error_set(err, -errno, "%s: read error: %s", src->path,
					    strerror(errno));
	}
}

/* The complete lines of [p, end) to w->fn ('eof': the last one may lack
 * its '\n'); *rest is where the lines not walked start (a partial line,
 * or those after the one w->fn stopped at). 0, 1 (stopped), or <0. */
static int walk_lines(struct walk *w, const char *p, const char *end, bool eof,
		      const char **rest, struct tw_error *err)
{
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		int r;

		if (!nl && !eof)
			break;   /* a partial line: read on */
		if (!nl)
			nl = end;
		if (++w->lineno == UINT_MAX)
			return tw_error_set(err, -EFBIG, "%s: too many lines", w->path);
		if ((size_t)(nl - p) + 1 > SS_LINE_MAX)
			return too_long(w, w->lineno, err);
		r = w->fn(p, (size_t)(nl - p), w->lineno, w->data, err);
		if (r < 0)
			return r;
		p = nl + 1;
		if (r == 1) {
			*rest = p;
			return 1;
		}
	}
	*rest = p;
	return 0;
}

/* Every line of the source, from its start. */
static int each_line(const struct ss_source *src, line_fn fn, void *data, struct tw_error *err)
{
	struct walk w = { .path = src->path, .fn = fn, .data = data };
	const char *rest;
	char *buf;
	size_t have = 0;
	int r = 0;

	if (src->mem)
		return walk_lines(&w, src->mem, src->mem + src->len, true, &rest, err);
	r = rewind_source(src, err);
	if (r < 0)
		return r;
	buf = tw_xmalloc(SS_BLOCK + SS_LINE_MAX);
	for (;;) {
		ssize_t n = read_some(src, buf + have, SS_BLOCK, err);
		bool eof;

		if (n < 0) {
			r = (int)n;
			break;
		}
		eof = n == 0;
		have += (size_t)n;
		r = walk_lines(&w, buf, buf + have, eof, &rest, err);
		if (r < 0 || eof)
			break;
		have = (size_t)(buf + have - rest);
		if (have >= SS_LINE_MAX) {
			r = too_long(&w, w.lineno + 1, err);
			break;
		}
		memmove(buf, rest, have);
	}
	free(buf);
	return r;
}

/* "TIME-WAIT" then a blank, at the start of the line. */
static bool time_wait_line(const char *p, size_t n)
{
	return n > 9 && memcmp(p, "TIME-WAIT", 9) == 0 && (p[9] == ' ' || p[9] == '\t');
}

/* ---- on the calling thread ----------------------------------------------- */

struct direct {
	const char *path;
	ss_sock_fn fn;
	void *data;
	unsigned flags;
	bool saw_users;
};

static int parse_direct(const char *p, size_t n, unsigned lineno, void *data,
			struct tw_error *err)
{
	struct direct *d = data;
	struct tw_sock s;
	const char *users;
	size_t ulen;
	int r;

	if ((d->flags & SS_READ_LIVE_ONLY) && time_wait_line(p, n))
		return 0;
	r = parse_ss_line_users(p, n, d->path, lineno, &s, &users, &ulen, err);
	if (r <= 0)
		return r;
	if (users)
		d->saw_users = true;
	if (!(d->flags & SS_READ_USERS))
		users = NULL;
	d->fn(&s, users, users ? ulen : 0, d->data);
	return 0;
}

/* ---- on a second thread -------------------------------------------------- */

/* A batch: split lines, and (from a descriptor) the bytes they point
 * into, so that the consumer parses addresses and reads the users column
 * in place. */
struct batch {
	char *buf;                  /* BATCH_BYTES; NULL for a source in memory */
	size_t len, off;            /* bytes read, bytes walked */
	size_t n;
	struct ss_line line[BATCH_LINES];
};

struct pipe {
	const struct ss_source *src;
	unsigned flags;
	struct batch *ring;         /* RING_SLOTS */
	/* Under 'lock': slots head .. head+count-1 are filled, the
	 * consumer's; slot head+count is the parser's. */
	pthread_mutex_t lock;
	pthread_cond_t filled;      /* WAKE_BATCHES filled, or done: the consumer waits */
	pthread_cond_t freed;       /* a slot freed, or cancel: the parser waits */
	size_t head;
	_Atomic size_t count;       /* also read unlocked, to spin */
	bool done, cancel;
	/* The parser's (the consumer reads them once it has joined). */
	struct batch *cur;
	int result;
	bool saw_users;
	struct tw_error perr;
};

/* The parser's batch becomes the consumer's; the parser gets the next
 * slot (waiting for one) with the bytes of cur from 'off' on, not yet
 * walked, copied to its start. -ECANCELED when the consumer stopped. */
static int rotate(struct pipe *p, struct tw_error *err)
{
	struct batch *old = p->cur, *b;

	for (int i = 0; i < SPIN_YIELDS && atomic_load(&p->count) == RING_SLOTS - 1; i++)
		sched_yield();
	pthread_mutex_lock(&p->lock);
	if (++p->count == WAKE_BATCHES)
		pthread_cond_signal(&p->filled);
	while (p->count == RING_SLOTS && !p->cancel)
		pthread_cond_wait(&p->freed, &p->lock);
	b = &p->ring[(p->head + p->count) % RING_SLOTS];
	if (p->cancel) {
		pthread_mutex_unlock(&p->lock);
		return tw_error_set(err, -ECANCELED, "%s: cancelled", p->src->path);
	}
	pthread_mutex_unlock(&p->lock);
	/* 'old' is the consumer's now, but it only reads it. */
	b->n = 0;
	b->len = b->off = 0;
	if (b->buf) {
		b->len = old->len - old->off;
		memcpy(b->buf, old->buf + old->off, b->len);
	}
	p->cur = b;
	return 0;
}

static int split_into_batch(const char *line, size_t n, unsigned lineno, void *data,
			    struct tw_error *err)
{
	struct pipe *p = data;
	struct batch *b = p->cur;
	int r;

	if ((p->flags & SS_READ_LIVE_ONLY) && time_wait_line(line, n))
		return 0;
	r = parse_ss_split(line, n, p->src->path, lineno, &b->line[b->n], err);
	if (r <= 0)
		return r;
	if (b->line[b->n].users)
		p->saw_users = true;
	return ++b->n == BATCH_LINES;   /* 1: full, stop the walk here */
}

/* The source in memory: the lines point into it. */
static int split_mem(struct pipe *p, struct tw_error *err)
{
	struct walk w = { .path = p->src->path, .fn = split_into_batch, .data = p };
	const char *at = p->src->mem, *end = at + p->src->len;

	for (;;) {
		const char *rest;
		int r = walk_lines(&w, at, end, true, &rest, err);

		if (r <= 0)
			return r;
		at = rest;
		r = rotate(p, err);
		if (r < 0)
			return r;
	}
}

/* From the descriptor into each batch's buffer: read, walk the complete
 * lines; a full batch (lines or bytes) passes its partial line on. */
static int split_fd(struct pipe *p, struct tw_error *err)
{
	struct walk w = { .path = p->src->path, .fn = split_into_batch, .data = p };
	int r = rewind_source(p->src, err);

	if (r < 0)
		return r;
	for (;;) {
		struct batch *b = p->cur;
		const char *rest;
		ssize_t n = read_some(p->src, b->buf + b->len, BATCH_BYTES - b->len, err);
		bool eof;

		if (n < 0)
			return (int)n;
		eof = n == 0;
		b->len += (size_t)n;
		r = walk_lines(&w, b->buf + b->off, b->buf + b->len, eof, &rest, err);
		if (r < 0 || (r == 0 && eof))
			return r;
		b->off = (size_t)(rest - b->buf);
		if (r == 0 && b->len - b->off >= SS_LINE_MAX)
			return too_long(&w, w.lineno + 1, err);
		if (r == 1 || b->len == BATCH_BYTES) {
			r = rotate(p, err);
			if (r < 0)
				return r;
		}
	}
}

static void *parser(void *data)
{
	struct pipe *p = data;

	p->result = p->src->mem ? split_mem(p, &p->perr) : split_fd(p, &p->perr);
	/* The last batch (maybe empty), then done. */
	pthread_mutex_lock(&p->lock);
	p->count++;
	p->done = true;
	pthread_cond_signal(&p->filled);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* Parses the batches' sockets and hands them to 'fn' until the parser is
 * done; on the first bad line, stops the parser. */
static int consume(struct pipe *p, ss_sock_fn fn, void *data, bool want_users,
		   struct tw_error *err)
{
	for (;;) {
		const struct batch *b;
		bool last;

		for (int i = 0; i < SPIN_YIELDS && atomic_load(&p->count) == 0; i++)
			sched_yield();
		pthread_mutex_lock(&p->lock);
		if (p->count == 0)
			while (p->count < WAKE_BATCHES && !p->done)
				pthread_cond_wait(&p->filled, &p->lock);
		b = &p->ring[p->head];
		last = p->done && p->count == 1;
		pthread_mutex_unlock(&p->lock);
		/* Slot 'head' stays ours until count drops. */
		for (size_t i = 0; i < b->n; i++) {
			const struct ss_line *l = &b->line[i];
			struct tw_sock s;
			int r = parse_ss_sock(l, p->src->path, &s, err);

			if (r < 0) {
				pthread_mutex_lock(&p->lock);
				p->cancel = true;
				pthread_cond_signal(&p->freed);
				pthread_mutex_unlock(&p->lock);
				return r;
			}
			if (want_users)
				fn(&s, l->users, l->users_len, data);
			else
				fn(&s, NULL, 0, data);
		}
		if (last)
			return 0;
		pthread_mutex_lock(&p->lock);
		p->head = (p->head + 1) % RING_SLOTS;
		if (p->count-- == RING_SLOTS)
			pthread_cond_signal(&p->freed);
		pthread_mutex_unlock(&p->lock);
	}
}

/* Starts the parser on a CPU other than this thread's: started beside
 * it, the two may stay on one CPU, taking turns (perf stat: about 110
 * context switches and no migration in a run as slow as one thread; 6 in
 * a run 1.5x faster). The parser keeps that mask for its short life
 * (given back the whole mask once started, it was pulled back beside the
 * other in a third of the runs); the calling thread stays free to move. */
static bool start_parser(pthread_t *t, struct pipe *p)
{
	pthread_attr_t attr;
	cpu_set_t cpus;
	int cpu = sched_getcpu();
	bool ok;

	if (pthread_attr_init(&attr) != 0)
		return false;
	if (cpu >= 0 && cpu < CPU_SETSIZE && sched_getaffinity(0, sizeof(cpu_set_t), &cpus) == 0 &&
	    CPU_ISSET(cpu, &cpus) && CPU_COUNT(&cpus) > 1) {
		CPU_CLR(cpu, &cpus);
		pthread_attr_setaffinity_np(&attr, sizeof(cpu_set_t), &cpus);
	}
	ok = pthread_create(t, &attr, parser, p) == 0;
	pthread_attr_destroy(&attr);
	return ok;
}

/* False when the thread could not start (then nothing was read). */
static bool read_pipelined(const struct ss_source *src, unsigned flags, ss_sock_fn fn,
			   void *data, bool *saw_users, int *result, struct tw_error *err)
{
	struct pipe p = { .src = src, .flags = flags };
	pthread_t t;
	bool started;

	p.ring = tw_xcalloc(RING_SLOTS, sizeof(*p.ring));
	for (size_t i = 0; i < RING_SLOTS && !src->mem; i++)
		p.ring[i].buf = tw_xmalloc(BATCH_BYTES);
	p.cur = &p.ring[0];
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.filled, NULL);
	pthread_cond_init(&p.freed, NULL);
	started = start_parser(&t, &p);
	if (started) {
		*result = consume(&p, fn, data, flags & SS_READ_USERS, err);
		pthread_join(t, NULL);
		/* A bad line the consumer found comes before the parser's. */
		if (*result == 0 && p.result < 0) {
			*err = p.perr;
			*result = p.result;
		}
		*saw_users = p.saw_users;
	}
	pthread_cond_destroy(&p.filled);
	pthread_cond_destroy(&p.freed);
	pthread_mutex_destroy(&p.lock);
	for (size_t i = 0; i < RING_SLOTS; i++)
		free(p.ring[i].buf);
	free(p.ring);
	return started;
}

/* ---- the choice ---------------------------------------------------------- */

static bool want_pipeline(const struct ss_source *src)
{
	const char *mode = getenv("TWADVISE_SS_PARSE");
	size_t size = src->len;
	struct stat st;

	if (mode && strcmp(mode, "inline") == 0)
		return false;
	if (mode && strcmp(mode, "pipelined") == 0)
		return true;
	if (!src->mem) {
		if (fstat(src->fd, &st) < 0 || !S_ISREG(st.st_mode))
			return false;
		size = (size_t)st.st_size;
	}
	return size >= SS_PIPE_MIN && tw_spare_cpu();
}

int ss_read(const struct ss_source *src, unsigned flags, ss_sock_fn fn, void *data,
	    bool *saw_users, struct tw_error *err)
{
	struct direct d = { .path = src->path, .fn = fn, .data = data, .flags = flags };
	bool saw = false;
	int r;

	if (!want_pipeline(src) || !read_pipelined(src, flags, fn, data, &saw, &r, err)) {
		r = each_line(src, parse_direct, &d, err);
		saw = d.saw_users;
	}
	if (saw_users)
		*saw_users = saw;
	return r;
}
