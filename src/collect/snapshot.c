/* snapshot.c: a snapshot folder into the fact table (see snapshot.h).
 *
 * The files come from the table of sources (sources.c), each opened
 * relative to the folder's descriptor so that nothing outside it is read
 * and no FIFO or device is opened (fileio.h). ss-tan.txt may hold
 * millions of lines, so it is streamed with a bounded line reader in two
 * passes: the first gathers the listening ports (to tell server-side
 * from client-side TIME_WAIT), the second feeds every socket to the tuple
 * aggregator, which keeps one counter per distinct key. */
#include "collect/snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collect/parsers.h"
#include "collect/sources.h"
#include "util/fileio.h"
#include "util/xalloc.h"

/* A longer ss line is not ss output. */
#define SS_LINE_MAX 4096

/* One pass over ss-tan.txt. Pass 1 (agg == NULL) gathers listeners. */
static int ss_pass(struct tw_line_reader *lr, const char *path, struct tw_facts *f,
		   struct tw_aggregator *agg, struct tw_error *err)
{
	char *line;
	size_t n;
	int r = 0;

	while ((r = tw_line_reader_next(lr, &line, &n, err)) > 0) {
		struct tw_sock s;

		r = parse_ss_line(line, n, path, lr->lineno, &s, err);
		if (r < 0)
			break;
		if (r == 0)
			continue;
		r = 0;
		if (!agg) {
			if (s.state == TW_TCP_LISTEN) {
				port_set_add(&f->listening, s.lport);
				f->listeners++;
			}
		} else {
			aggregator_add(agg, &s);
		}
	}
	return r;
}

static int read_sockets(const struct source_ctx *ctx, struct tw_facts *f, void *data,
			struct tw_error *err)
{
	struct tw_line_reader lr;
	struct tw_aggregator *agg;
	uint16_t lo, hi;
	struct stat st;
	char *path = source_path(ctx, "ss-tan.txt");
	int fd, r;

	(void)data;
	fd = tw_open_beneath(ctx->rootfd, "ss-tan.txt", &st);
	if (fd < 0) {
		if (fd == -ENOENT)
			r = tw_error_set(err, fd, "%s: missing (required in a snapshot)", path);
		else
			r = tw_open_error(err, fd, path);
		free(path);
		return r;
	}
	tw_line_reader_init(&lr, fd, path, SS_LINE_MAX);
	r = ss_pass(&lr, path, f, NULL, err);
	if (r < 0)
		goto out;
	if (!facts_port_range(f, &lo, &hi)) {
		lo = TW_DEFAULT_PORT_LOW;
		hi = TW_DEFAULT_PORT_HIGH;
	}
	if (f->listeners == 0)
		facts_note(f, "ss-tan.txt lists no listening socket (a state filter?): "
			      "TIME_WAIT sides are judged by the port range alone");
	r = tw_line_reader_rewind(&lr, err);
	if (r < 0)
		goto out;
	agg = aggregator_new(&f->listening, lo, hi);
	r = ss_pass(&lr, path, f, agg, err);
	/* Finished on failure too, to free it; the caller discards 'f'. */
	aggregator_finish(agg, &f->tw);
	f->tw.inode_known = false;
	f->socket_source = "ss-tan.txt";
out:
	tw_line_reader_free(&lr);
	close(fd);
	free(path);
	return r;
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
	return r;
}
