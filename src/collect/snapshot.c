/* SPDX-License-Identifier: MIT */
/* snapshot.c: a snapshot folder into the fact table (see snapshot.h).
 *
 * Small files are read whole with a size cap and handed to the pure
 * parsers of parsers.h, each under its path so that errors read
 * "DIR/FILE:LINE: ...". ss-tan.txt may hold millions of lines, so it is
 * streamed with getline() in two passes: the first gathers the listening
 * ports (to tell server-side from client-side TIME_WAIT), the second feeds
 * every socket to the tuple aggregator, which keeps one counter per
 * distinct key. An optional file over the size cap (a busy host's
 * nf_conntrack) is left unknown with a note rather than failing. */
#include "collect/snapshot.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "collect/parsers.h"
#include "util/fileio.h"
#include "util/xalloc.h"

/* Caps for files read whole: a hostile snapshot cannot exhaust memory. */
#define SMALL_FILE_MAX (64u * 1024)
#define TEXT_FILE_MAX (16u * 1024 * 1024)
/* A longer ss line is not ss output. */
#define SS_LINE_MAX 4096

#define DEFAULT_RANGE_LOW 32768
#define DEFAULT_RANGE_HIGH 60999

typedef int (*whole_parser)(const char *buf, size_t len, const char *name, void *out,
			    struct tw_error *err);

static int join(char *buf, size_t size, const char *dir, const char *file,
		struct tw_error *err)
{
	int n = snprintf(buf, size, "%s/%s", dir, file);

	if (n < 0 || (size_t)n >= size)
		return tw_error_set(err, -ENAMETOOLONG, "%s/%s: path too long", dir, file);
	return 0;
}

/* Reads DIR/FILE whole. 1 when read, 0 when absent and optional. */
static int read_whole(const char *dir, const char *file, size_t max, bool required,
		      char **ret_buf, size_t *ret_len, char *path, size_t pathsize,
		      struct tw_error *err)
{
	int r;

	r = join(path, pathsize, dir, file, err);
	if (r < 0)
		return r;
	r = tw_read_file(path, max, ret_buf, ret_len, err);
	if (r == -ENOENT) {
		if (required)
			return tw_error_set(err, r, "%s: missing (required in a snapshot)", path);
		return 0;
	}
	if (r < 0)
		return r;   /* tw_read_file named the path */
	return 1;
}

static int read_kernel(const char *dir, struct tw_facts *f, struct tw_error *err)
{
	char path[PATH_MAX], *buf = NULL;
	size_t len;
	int r;

	r = read_whole(dir, "uname-r.txt", SMALL_FILE_MAX, true, &buf, &len, path,
		       sizeof(path), err);
	if (r < 0)
		return r;
	if (len == 0 || memchr(buf, '\0', len) != NULL ||
	    kernel_version_parse(buf, &f->kernel) < 0)
		r = tw_error_set(err, -EINVAL, "%s:1: not a kernel release (uname -r)", path);
	else
		r = 0;
	free(buf);
	return r;
}

static int read_sysctls(const char *dir, struct tw_facts *f, struct tw_error *err)
{
	char path[PATH_MAX], *buf = NULL;
	size_t len;
	int r;

	r = read_whole(dir, "sysctl-a.txt", TEXT_FILE_MAX, true, &buf, &len, path,
		       sizeof(path), err);
	if (r < 0)
		return r;
	r = parse_sysctl_a(buf, len, path, &f->sysctls, err);
	if (r == 0 && f->sysctls.n == 0)
		r = tw_error_set(err, -EINVAL, "%s: no 'key = value' lines", path);
	free(buf);
	return r;
}

/* One pass over ss-tan.txt. Pass 1 (agg == NULL) gathers listeners. */
static int ss_pass(FILE *fp, const char *path, struct tw_facts *f,
		   struct tw_aggregator *agg, struct tw_error *err)
{
	char *line = NULL;
	size_t cap = 0;
	unsigned lineno = 0;
	ssize_t n;
	int r = 0;

	while ((n = getline(&line, &cap, fp)) >= 0) {
		struct tw_sock s;

		lineno++;
		if (lineno == UINT_MAX) {
			r = tw_error_set(err, -EFBIG, "%s: too many lines", path);
			break;
		}
		if ((size_t)n > SS_LINE_MAX) {
			r = tw_error_set(err, -EINVAL, "%s:%u: line longer than %u bytes", path,
					 lineno, SS_LINE_MAX);
			break;
		}
		r = parse_ss_line(line, (size_t)n, path, lineno, &s, err);
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
	if (r == 0 && ferror(fp))
		r = tw_error_set(err, -EIO, "%s: read error", path);
	free(line);
	return r;
}

static int read_sockets(const char *dir, struct tw_facts *f, struct tw_error *err)
{
	struct tw_aggregator *agg;
	uint16_t lo, hi;
	char path[PATH_MAX];
	struct stat st;
	FILE *fp;
	int r;

	r = join(path, sizeof(path), dir, "ss-tan.txt", err);
	if (r < 0)
		return r;
	fp = fopen(path, "re");
	if (!fp) {
		if (errno == ENOENT)
			return tw_error_set(err, -ENOENT, "%s: missing (required in a snapshot)",
					    path);
		return tw_error_set(err, -errno, "%s: %s", path, strerror(errno));
	}
	if (fstat(fileno(fp), &st) < 0 || !S_ISREG(st.st_mode)) {
		fclose(fp);
		return tw_error_set(err, -EINVAL, "%s: not a regular file", path);
	}
	r = ss_pass(fp, path, f, NULL, err);
	if (r < 0)
		goto out;
	if (!facts_port_range(f, &lo, &hi)) {
		lo = DEFAULT_RANGE_LOW;
		hi = DEFAULT_RANGE_HIGH;
	}
	if (f->listeners == 0)
		facts_note(f, "ss-tan.txt lists no listening socket (a state filter?): "
			      "TIME_WAIT sides are judged by the port range alone");
	rewind(fp);
	agg = aggregator_new(&f->listening, lo, hi);
	r = ss_pass(fp, path, f, agg, err);
	/* Finished on failure too, to free it; the caller discards 'f'. */
	aggregator_finish(agg, &f->tw);
	f->tw.inode_known = false;
	f->socket_source = "ss-tan.txt";
out:
	fclose(fp);
	return r;
}

static int parse_sockstat_v(const char *buf, size_t len, const char *name, void *out,
			    struct tw_error *err)
{
	return parse_sockstat(buf, len, name, out, err);
}

static int parse_sockstat6_v(const char *buf, size_t len, const char *name, void *out,
			     struct tw_error *err)
{
	return parse_sockstat6(buf, len, name, out, err);
}

static int parse_tcpext_v(const char *buf, size_t len, const char *name, void *out,
			  struct tw_error *err)
{
	return parse_proc_net_pairs(buf, len, name, "TcpExt", out, err);
}

static int parse_tcp_v(const char *buf, size_t len, const char *name, void *out,
		       struct tw_error *err)
{
	return parse_proc_net_pairs(buf, len, name, "Tcp", out, err);
}

static int parse_slabinfo_v(const char *buf, size_t len, const char *name, void *out,
			    struct tw_error *err)
{
	return parse_slabinfo(buf, len, name, out, err);
}

static int parse_meminfo_v(const char *buf, size_t len, const char *name, void *out,
			   struct tw_error *err)
{
	return parse_meminfo(buf, len, name, out, err);
}

static int parse_dmesg_v(const char *buf, size_t len, const char *name, void *out,
			 struct tw_error *err)
{
	return parse_dmesg(buf, len, name, out, err);
}

static int parse_conntrack_v(const char *buf, size_t len, const char *name, void *out,
			     struct tw_error *err)
{
	return parse_nf_conntrack(buf, len, name, out, err);
}

/* Reads the optional files; appends the names of absent ones to 'missing'. */
static int read_optional(const char *dir, struct tw_facts *f, char *missing,
			 size_t missing_size, struct tw_error *err)
{
	const struct {
		const char *file;
		whole_parser parse;
		void *out;
	} files[] = {
		{ "proc/net/sockstat", parse_sockstat_v, &f->counters },
		{ "proc/net/sockstat6", parse_sockstat6_v, &f->counters },
		{ "proc/net/netstat", parse_tcpext_v, &f->counters.tcpext },
		{ "proc/net/snmp", parse_tcp_v, &f->counters.tcp },
		{ "proc/slabinfo", parse_slabinfo_v, &f->memory },
		{ "proc/meminfo", parse_meminfo_v, &f->memory },
		{ "proc/net/nf_conntrack", parse_conntrack_v, &f->conntrack },
		{ "dmesg.txt", parse_dmesg_v, &f->memory },
	};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[PATH_MAX], *buf = NULL;
		size_t len, used;
		int r;

		r = read_whole(dir, files[i].file, TEXT_FILE_MAX, false, &buf, &len, path,
			       sizeof(path), err);
		if (r == -EFBIG) {
			/* A busy host's nf_conntrack can be huge: unknown, not fatal. */
			facts_note(f, "%s is larger than %u bytes: not read", files[i].file,
				   TEXT_FILE_MAX);
			continue;
		}
		if (r < 0)
			return r;
		if (r == 0) {
			used = strlen(missing);
			snprintf(missing + used, missing_size - used, "%s%s", used ? ", " : "",
				 files[i].file);
			continue;
		}
		r = files[i].parse(buf, len, path, files[i].out, err);
		free(buf);
		if (r < 0)
			return r;
	}
	return 0;
}

int collect_snapshot(const char *dir, struct tw_facts *f, struct tw_error *err)
{
	char missing[512] = "";
	struct stat st;
	int r;

	if (stat(dir, &st) < 0)
		return tw_error_set(err, -errno, "%s: %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return tw_error_set(err, -ENOTDIR, "%s: not a snapshot folder", dir);
	f->source = TW_SOURCE_SNAPSHOT;
	free(f->snapshot_dir);
	f->snapshot_dir = tw_xstrdup(dir);
	f->persisted = NULL;
	f->memory.page_size.known = false;

	r = read_kernel(dir, f, err);
	if (r < 0)
		return r;
	r = read_sysctls(dir, f, err);
	if (r < 0)
		return r;
	sysctls_seal(&f->sysctls);
	r = read_sockets(dir, f, err);
	if (r < 0)
		return r;
	r = read_optional(dir, f, missing, sizeof(missing), err);
	if (r < 0)
		return r;
	if (missing[0])
		facts_note(f, "snapshot lacks %s: those facts are unknown", missing);
	return 0;
}
