/* SPDX-License-Identifier: MIT */
/* snapshot.c: a snapshot folder into the fact table (see snapshot.h).
 *
 * The files come from the table of sources (sources.c), each opened
 * relative to the folder's descriptor so that nothing outside it is read
 * and no FIFO or device is opened (fileio.h). ss-tan.txt may hold
 * millions of lines: ss_reader.c reads it in one pass (two when a
 * listener is listed after sockets on its port; one more for ss -p's
 * owners), parsing on a second thread when it is large: listeners decide
 * each socket's side, the tuple aggregator keeps one counter per
 * distinct key. */
#include "collect/snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collect/owners.h"
#include "collect/parsers.h"
#include "collect/snapshot_archive.h"
#include "collect/sources.h"
#include "collect/ss_reader.h"
#include "util/fileio.h"
#include "util/xalloc.h"

struct ss_ctx {
	struct tw_facts *f;
	struct tw_aggregator *agg;
	bool stale;   /* a LISTEN line came after a socket on its port */
	bool users;   /* some line has ss -p's users:(...) column */
	/* the owners pass (after aggregation): */
	bool owners_pass;
	size_t ntargets;
	struct owners_tally tally[TW_OWNERS_TUPLES];
	size_t target;
	uint64_t sock;   /* the socket (line) being counted: 1, 2, ... */
};

/* One process of a socket's users:(...) column: counted once per
 * socket, however many of its descriptors hold it. */
static void ss_user(const char *comm, size_t comm_len, int pid, int fd, void *data)
{
	struct ss_ctx *c = data;

	(void)fd;
	owners_tally_add(&c->tally[c->target], pid, comm, comm_len, c->sock);
}

/* The owners pass: a live socket toward a looked-up destination, and its
 * users column (NULL without one). A column that does not parse leaves
 * the socket unowned. */
static void ss_owner(struct ss_ctx *c, const struct tw_sock *s, const char *users, size_t ulen)
{
	int t = owners_target_of(c->f, c->ntargets, s);

	if (t < 0)
		return;
	c->f->owners[t].live++;
	c->target = (size_t)t;
	c->sock++;
	if (!users || parse_ss_users(users, ulen, ss_user, c) <= 0)
		c->f->owners[t].unowned++;
}

static void ss_sock(const struct tw_sock *s, const char *users, size_t ulen, void *data)
{
	struct ss_ctx *c = data;

	if (c->owners_pass) {
		ss_owner(c, s, users, ulen);
		return;
	}
	if (s->state != TW_TCP_LISTEN) {
		aggregator_add(c->agg, s);
		return;
	}
	c->f->listeners++;
	if (!port_set_has(&c->f->listening, s->lport)) {
		port_set_add(&c->f->listening, s->lport);
		if (aggregator_lport_seen(c->agg, s->lport))
			c->stale = true;
	}
}

/* One pass over ss-tan.txt, every socket to ss_sock(); the users column
 * only in the owners pass (which reads it). */
static int ss_pass(const struct ss_source *src, struct ss_ctx *c, struct tw_error *err)
{
	bool users = false;
	unsigned flags = c->owners_pass ? SS_READ_USERS | SS_READ_LIVE_ONLY : 0;
	int r = ss_read(src, flags, ss_sock, c, &users, err);

	c->users |= users;
	return r;
}

/* Who holds the live connections toward the busiest client destinations,
 * from ss -p's column: one more pass, now that they are known, counting
 * per destination and process (memory: the number of owners). Filled
 * as a live run fills them (owners.c), but named by command alone: a
 * snapshot has no /proc of its host to find the unit or container. */
static int read_owners(const struct ss_source *src, struct ss_ctx *c, struct tw_error *err)
{
	int r;

	c->ntargets = owners_targets(c->f);
	if (c->ntargets == 0)
		return 0;
	c->owners_pass = true;
	r = ss_pass(src, c, err);
	for (size_t t = 0; t < c->ntargets; t++) {
		if (r == 0 && c->tally[t].dropped)
			facts_note(c->f, "ss-tan.txt: more than %u processes hold connections "
				   "toward one destination: %llu sockets of the others not counted",
				   TW_OWNERS_TALLY_MAX, (unsigned long long)c->tally[t].dropped);
		if (r == 0)
			owners_tally_finish(&c->tally[t], &c->f->owners[t]);
		owners_tally_free(&c->tally[t]);
	}
	return r;
}

static int read_sockets(const struct source_ctx *ctx, struct tw_facts *f, void *data,
			struct tw_error *err)
{
	char *mem = NULL;
	size_t memlen = 0;
	struct ss_ctx *c;
	struct ss_source src;
	struct tw_tw_stats discard;
	uint16_t lo, hi;
	char note[256];
	struct stat st;
	char *path = source_path(ctx, "ss-tan.txt");
	int fd, r;

	(void)data;
	if (ctx->archive) {
		/* The copy in memory; no descriptor. */
		fd = -1;
		r = snap_archive_take(ctx->archive, "ss-tan.txt", path, &mem, &memlen, err);
	} else {
		/* Beneath the folder, a regular file or nothing (fileio.h). */
		fd = tw_open_beneath(ctx->rootfd, "ss-tan.txt", &st);
		r = fd < 0 ? fd : 0;
		if (r < 0 && r != -ENOENT)
			tw_open_error(err, r, path);
	}
	if (r < 0) {
		if (r == -ENOENT)
			tw_error_set(err, r, "%s: missing (required in a snapshot)", path);
		free(path);
		return r;
	}
	if (!facts_port_range(f, &lo, &hi)) {
		lo = TW_DEFAULT_PORT_LOW;
		hi = TW_DEFAULT_PORT_HIGH;
	}
	port_set_clear(&f->listening);
	f->listeners = 0;
	/* One pass, listeners included: ss and netstat list a family's
	 * listeners before its other sockets. A listener found after a
	 * socket on its port needs a second pass with the complete set. */
	c = tw_xcalloc(1, sizeof(*c));
	c->f = f;
	c->agg = aggregator_new(&f->listening, lo, hi);
	src = (struct ss_source){ .fd = fd, .mem = mem, .len = memlen, .path = path };
	r = ss_pass(&src, c, err);
	if (r == 0 && c->stale) {
		aggregator_finish(c->agg, &discard);
		f->listeners = 0;
		c->agg = aggregator_new(&f->listening, lo, hi);
		r = ss_pass(&src, c, err);
	}
	/* Finished on failure too, to free it; the caller discards 'f'. */
	aggregator_finish(c->agg, &f->tw);
	if (r == 0 && c->users)
		r = read_owners(&src, c, err);
	free(c);
	if (fd >= 0)
		close(fd);
	free(mem);
	free(path);
	if (r < 0)
		return r;
	f->tw.inode_known = false;
	f->socket_source = "ss-tan.txt";
	if (f->listeners == 0)
		facts_note(f, "ss-tan.txt lists no listening socket (a state filter?): "
			      "TIME_WAIT sides are judged by the port range alone");
	if (tw_stats_capped_note(&f->tw, note, sizeof(note)))
		facts_note(f, "%s", note);
	return 0;
}

/* What meta.txt says about the host becomes the facts a live run of
 * that host (or namespace) would have: its name, the namespace (so the
 * per-namespace allow-list applies) and whether it is a container. */
static void apply_meta(struct tw_facts *f)
{
	const struct tw_snapshot_meta *m = &f->meta;

	if (!m->read)
		return;
	if (m->hostname && !f->hostname)
		f->hostname = tw_xstrdup(m->hostname);
	if (m->netns && !f->netns)
		f->netns = tw_xstrdup(m->netns);
	if (m->in_container.known)
		f->in_container = m->in_container;
	else if (m->netns)
		f->in_container = (struct tw_opt){ true, 1 };
}

int collect_snapshot(const char *dir, struct tw_facts *f, struct tw_error *err)
{
	struct source_ctx ctx = {
		.mode = SOURCE_MODE_SNAPSHOT,
		.root = dir,
		.sockets = read_sockets,
	};
	int r;

	/* The folder itself is the user's choice: following a link to it is
	 * fine; everything inside stays inside. */
	ctx.rootfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK);
	if (ctx.rootfd < 0) {
		if (errno == ENOTDIR)
			return tw_error_set(err, -ENOTDIR, "%s: not a snapshot folder", dir);
		return tw_error_set(err, -errno, "%s: %s", dir, strerror(errno));
	}
	f->source = TW_SOURCE_SNAPSHOT;
	free(f->snapshot_dir);
	f->snapshot_dir = tw_xstrdup(dir);
	f->persisted = NULL;
	f->memory.page_size.known = false;
	r = sources_collect(&ctx, f, err);
	close(ctx.rootfd);
	if (r == 0)
		apply_meta(f);
	return r;
}

int collect_snapshot_archive(struct snap_archive *a, struct tw_facts *f, struct tw_error *err)
{
	struct source_ctx ctx = {
		.mode = SOURCE_MODE_SNAPSHOT,
		.root = a->path,
		.rootfd = -1,
		.archive = a,
		.sockets = read_sockets,
	};
	int r;

	f->source = TW_SOURCE_SNAPSHOT;
	free(f->snapshot_dir);
	f->snapshot_dir = tw_xstrdup(a->path);
	f->persisted = NULL;
	f->memory.page_size.known = false;
	r = sources_collect(&ctx, f, err);
	if (r < 0)
		return r;
	apply_meta(f);
	if (a->skipped_outside)
		facts_note(f, "%s: %zu archive entr%s outside the snapshot (an absolute path or "
			   "'..') ignored", a->path, a->skipped_outside,
			   a->skipped_outside == 1 ? "y" : "ies");
	return 0;
}
