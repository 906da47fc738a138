/* SPDX-License-Identifier: MIT */
/* capture.c: capture_snapshot(), a snapshot folder written from live
 * sources (see capture.h).
 *
 * The files are the rows of the table of sources (sources.c), in the form
 * `uname -r`, `sysctl -a`, `ss -tan` and `cp` would produce them, so
 * collect_snapshot() reads them with the same parsers as a snapshot made
 * by hand, and analyses them exactly as collect_live()
 * analyses the live host: same sysctl values (folded the same way), same
 * sockets (same netlink walk, v4-mapped addresses already shown as IPv4).
 * Unreadable sysctls are written as sysctl's own "permission denied on
 * key" complaint so that they stay present-but-unknown. Queue sizes are
 * not part of the fact table and are written as 0. */
#include "collect/capture.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "collect/proc_fds.h"
#include "collect/sources.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "util/macros.h"

/* ---- files in the temporary folder ------------------------------------- */

/* Creates the parent folders of 'rel' under 'dfd'. */
static int make_parents(int dfd, const char *rel)
{
	char buf[4096];
	size_t n = strlen(rel);

	if (n >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, rel, n + 1);
	for (char *p = buf; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdirat(dfd, buf, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return 0;
}

static int put_file(int dfd, const char *rel, const char *data, size_t len,
		    struct tw_error *err)
{
	int fd, r = make_parents(dfd, rel);

	if (r < 0)
		return tw_error_set(err, r, "capture: %s: %s", rel, strerror(-r));
	fd = openat(dfd, rel, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return tw_error_set(err, -errno, "capture: %s: %s", rel, strerror(errno));
	r = tw_write_all(fd, data, len);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r < 0)
		return tw_error_set(err, r, "capture: %s: %s", rel, strerror(-r));
	return 0;
}

/* Copies 'src' to 'rel' by streaming (nf_conntrack can be large). 1 when
 * copied; 0 when 'src' is absent or unreadable and 'optional'. */
static int copy_file(int dfd, const char *src, const char *rel, bool optional,
		     struct tw_error *err)
{
	char buf[65536];
	int in, out, r = 0;

	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		if (optional)
			return 0;
		return tw_error_set(err, -errno, "capture: %s: %s", src, strerror(errno));
	}
	r = make_parents(dfd, rel);
	if (r < 0) {
		close(in);
		return tw_error_set(err, r, "capture: %s: %s", rel, strerror(-r));
	}
	out = openat(dfd, rel, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (out < 0) {
		r = -errno;
		close(in);
		return tw_error_set(err, r, "capture: %s: %s", rel, strerror(-r));
	}
	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = tw_error_set(err, -errno, "capture: %s: %s", src, strerror(errno));
			break;
		}
		if (n == 0)
			break;
		r = tw_write_all(out, buf, (size_t)n);
		if (r < 0) {
			tw_error_set(err, r, "capture: %s: %s", rel, strerror(-r));
			break;
		}
	}
	if (r == 0 && fsync(out) < 0)
		r = tw_error_set(err, -errno, "capture: %s: %s", rel, strerror(errno));
	close(out);
	close(in);
	return r < 0 ? r : 1;
}

static void remove_tree(int dfd, const char *name)
{
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);

	if (fd >= 0) {
		DIR *d = fdopendir(fd);
		struct dirent *de;

		if (d) {
			while ((de = readdir(d)) != NULL) {
				if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
					continue;
				if (unlinkat(dirfd(d), de->d_name, 0) < 0 && errno == EISDIR)
					remove_tree(dirfd(d), de->d_name);
			}
			closedir(d);
		} else {
			close(fd);
		}
		unlinkat(dfd, name, AT_REMOVEDIR);
	} else {
		unlinkat(dfd, name, 0);
	}
}

void capture_remove_tree(const char *path)
{
	remove_tree(AT_FDCWD, path);
}

/* ---- the files ---------------------------------------------------------- */

static const char *ss_state_name(uint8_t st)
{
	static const char *const names[] = {
		[TW_TCP_ESTABLISHED] = "ESTAB",     [TW_TCP_SYN_SENT] = "SYN-SENT",
		[TW_TCP_SYN_RECV] = "SYN-RECV",     [TW_TCP_FIN_WAIT1] = "FIN-WAIT-1",
		[TW_TCP_FIN_WAIT2] = "FIN-WAIT-2",  [TW_TCP_TIME_WAIT] = "TIME-WAIT",
		[TW_TCP_CLOSE] = "UNCONN",          [TW_TCP_CLOSE_WAIT] = "CLOSE-WAIT",
		[TW_TCP_LAST_ACK] = "LAST-ACK",     [TW_TCP_LISTEN] = "LISTEN",
		[TW_TCP_CLOSING] = "CLOSING",       [TW_TCP_NEW_SYN_RECV] = "SYN-RECV",
	};

	if (st < ARRAY_SIZE(names) && names[st])
		return names[st];
	return "UNKNOWN";
}

/* "127.0.0.1:80", "[::1]:80", "0.0.0.0:*" as ss prints them. */
static void append_endpoint(struct strbuf *sb, const struct tw_addr *a, uint16_t port)
{
	char text[TW_ADDR_STRLEN];

	tw_addr_format(a, text);
	if (a->family == AF_INET6)
		sb_appendf(sb, "[%s]", text);
	else
		sb_append(sb, text);
	if (port)
		sb_appendf(sb, ":%u", (unsigned)port);
	else
		sb_append(sb, ":*");
}

/* A socket some process may hold: where its line ends in the text. */
struct ss_owned {
	uint32_t inode;
	size_t eol;       /* offset of the line's '\n' */
};

/* A descriptor holding one of them (from the /proc pass). */
struct ss_holder {
	size_t sock;      /* index in ss_ctx.owned */
	int pid, fd;
	size_t comm;      /* index in ss_ctx.comms */
};

struct ss_ctx {
	struct strbuf *sb;
	size_t mark;      /* length before this walk: reset point */
	struct ss_owned *owned;
	size_t nowned, capowned, owned_mark;
	/* inode -> 1 + index in owned; a power of two over 2 x nowned */
	size_t *slots, nslots;
	struct ss_holder *holders;
	size_t nholders, capholders;
	char (*comms)[32];      /* one per process holding one of them */
	size_t ncomms, capcomms;
	int comm_pid;           /* the process comms[ncomms - 1] is of */
	int procfd;
};

/* Descriptors listed in users:(...) columns, at most: a bound on the
 * capture's memory (a descriptor costs ~32 bytes). */
#define CAPTURE_HOLDERS_MAX (4u << 20)
/* Bytes of one users:(...) column, about: later holders are left out. */
#define CAPTURE_USERS_MAX 60000u

/* The time left as ss's print_ms_timer() prints it: "59sec", "1min",
 * "5.123sec", "123ms", "" for 0 (parse_ss_timer_ms() reads it back). */
static void append_ms_timer(struct strbuf *sb, uint32_t timeout)
{
	unsigned secs = timeout / 1000, minutes = secs / 60, msecs = timeout % 1000;

	secs %= 60;
	if (minutes) {
		msecs = 0;
		sb_appendf(sb, "%umin", minutes);
		if (minutes > 9)
			secs = 0;
	}
	if (secs) {
		if (secs > 9)
			msecs = 0;
		sb_appendf(sb, "%u%s", secs, msecs ? "." : "sec");
	}
	if (msecs)
		sb_appendf(sb, "%03u%s", msecs, secs ? "sec" : "ms");
}

static size_t slot_of(const struct ss_ctx *c, uint32_t inode)
{
	size_t i = (inode * 2654435761u) & (c->nslots - 1);

	while (c->slots[i] && c->owned[c->slots[i] - 1].inode != inode)
		i = (i + 1) & (c->nslots - 1);
	return i;
}

static void slots_rebuild(struct ss_ctx *c, size_t nslots)
{
	free(c->slots);
	c->nslots = nslots;
	c->slots = tw_xcalloc(nslots, sizeof(*c->slots));
	for (size_t k = 0; k < c->nowned; k++) {
		size_t i = slot_of(c, c->owned[k].inode);

		if (!c->slots[i])
			c->slots[i] = k + 1;
	}
}

/* Remembers a socket whose holders go in its users:(...) column. */
static void add_owned(struct ss_ctx *c, uint32_t inode)
{
	size_t i;

	c->owned = tw_xgrow(c->owned, &c->capowned, c->nowned + 1, sizeof(*c->owned));
	c->owned[c->nowned++] = (struct ss_owned){ inode, c->sb->len };
	if (2 * c->nowned > c->nslots) {
		slots_rebuild(c, c->nslots ? 2 * c->nslots : 1024);
		return;
	}
	i = slot_of(c, inode);
	if (!c->slots[i])
		c->slots[i] = c->nowned;
}

/* One line as `ss -tano` prints it; the timer only for TIME_WAIT, the
 * one twadvise reads back (TIME_WAIT ages). The users:(...) column of
 * -p is added after the /proc pass (add_users()). */
static int on_sock(const struct tw_sock *s, void *data)
{
	struct ss_ctx *c = data;

	sb_appendf(c->sb, "%-10s 0      0      ", ss_state_name(s->state));
	append_endpoint(c->sb, &s->local, s->lport);
	sb_appendc(c->sb, ' ');
	append_endpoint(c->sb, &s->remote, s->rport);
	if (s->state == TW_TCP_TIME_WAIT && s->expires_known) {
		sb_append(c->sb, " timer:(timewait,");
		append_ms_timer(c->sb, s->expires_ms);
		sb_append(c->sb, ",0)");
	}
	if (s->state != TW_TCP_TIME_WAIT && s->inode_known && s->inode)
		add_owned(c, s->inode);
	sb_appendc(c->sb, '\n');
	return 0;
}

static void on_reset(void *data)
{
	struct ss_ctx *c = data;

	c->nowned = c->owned_mark;
	if (c->nslots)
		slots_rebuild(c, c->nslots);
	c->sb->len = c->mark;
	if (c->sb->buf)
		c->sb->buf[c->mark] = '\0';
}

/* A descriptor of process 'pid' holding socket 'inode' (proc_fds.h):
 * kept when the socket is one of the listing's. */
static void on_socket_fd(int pid, int fd, uint32_t inode, void *data)
{
	struct ss_ctx *c = data;
	size_t i = slot_of(c, inode);

	if (!c->slots[i] || c->nholders >= CAPTURE_HOLDERS_MAX)
		return;
	if (c->ncomms == 0 || c->comm_pid != pid) {
		c->comms = tw_xgrow(c->comms, &c->capcomms, c->ncomms + 1, sizeof(*c->comms));
		proc_read_line(c->procfd, pid, "comm", c->comms[c->ncomms],
			       sizeof(c->comms[c->ncomms]));
		c->ncomms++;
		c->comm_pid = pid;
	}
	c->holders = tw_xgrow(c->holders, &c->capholders, c->nholders + 1, sizeof(*c->holders));
	c->holders[c->nholders++] = (struct ss_holder){ c->slots[i] - 1, pid, fd, c->ncomms - 1 };
}

static int by_sock(const void *a, const void *b)
{
	const struct ss_holder *x = a, *y = b;

	if (x->sock != y->sock)
		return x->sock < y->sock ? -1 : 1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->fd > y->fd) - (x->fd < y->fd);
}

/* The listing again, each held socket's line ending with ss -p's column
 * 'users:(("comm",pid=N,fd=M),...)' (the name from /proc/PID/comm). */
static void add_users(struct ss_ctx *c, struct strbuf *out)
{
	const char *text = sb_str(c->sb);
	size_t from = 0, h = 0;

	c->procfd = c->nowned ? open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (c->procfd >= 0) {
		proc_socket_fds(c->procfd, on_socket_fd, c);
		close(c->procfd);
	}
	if (c->nholders > 1)
		qsort(c->holders, c->nholders, sizeof(*c->holders), by_sock);
	while (h < c->nholders) {
		size_t k = c->holders[h].sock;

		sb_appendn(out, text + from, c->owned[k].eol - from);
		from = c->owned[k].eol;
		sb_append(out, " users:(");
		for (size_t first = h, col = out->len; h < c->nholders && c->holders[h].sock == k;
		     h++) {
			/* A listener shared by thousands of workers: the line
			 * stays within what a snapshot reader takes (64 KiB). */
			if (out->len - col > CAPTURE_USERS_MAX)
				continue;
			sb_appendf(out, "%s(\"%s\",pid=%d,fd=%d)", h > first ? "," : "",
				   c->comms[c->holders[h].comm], c->holders[h].pid,
				   c->holders[h].fd);
		}
		sb_appendc(out, ')');
	}
	sb_appendn(out, text + from, c->sb->len - from);
}

static int capture_sockets(int dfd, const struct tw_live_opts *o, struct tw_error *err)
{
	struct strbuf sb = STRBUF_INIT, full = STRBUF_INIT;
	struct ss_ctx c = { .sb = &sb };
	struct live_walk_result res;
	int r;

	sb_append(&sb, "State      Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n");
	c.mark = sb.len;
	r = live_walk_sockets(SOCKDIAG_STATE(TW_TCP_LISTEN), o->force_proc_fallback, on_sock,
			      on_reset, &c, &res, err);
	if (r < 0)
		goto out;
	c.mark = sb.len;
	c.owned_mark = c.nowned;
	r = live_walk_sockets(SOCKDIAG_ALL_STATES & ~SOCKDIAG_STATE(TW_TCP_LISTEN),
			      o->force_proc_fallback || res.used_proc, on_sock, on_reset, &c,
			      &res, err);
	if (r < 0)
		goto out;
	add_users(&c, &full);
	{
		/* The text and its length taken apart from the call. */
		const char *text = sb_str(&full);
		size_t len = full.len;

		r = put_file(dfd, "ss-tan.txt", text, len, err);
	}
out:
	sb_free(&full);
	sb_free(&sb);
	free(c.owned);
	free(c.slots);
	free(c.holders);
	free(c.comms);
	return r;
}

/* The sysctl.d folders systemd-sysctl reads, in the contract's order. */
static const char *const sysctld_dirs[] = {
	"etc/sysctl.d", "run/sysctl.d", "usr/local/lib/sysctl.d", "usr/lib/sysctl.d",
	"lib/sysctl.d",
};

static int capture_sysctld(int dfd, struct tw_error *err)
{
	int r = copy_file(dfd, "/etc/sysctl.conf", "etc/sysctl.conf", true, err);

	if (r < 0)
		return r;
	for (size_t i = 0; i < ARRAY_SIZE(sysctld_dirs); i++) {
		char src[4096], rel[4096];
		struct dirent **names;
		int n;

		snprintf(src, sizeof(src), "/%s", sysctld_dirs[i]);
		n = scandir(src, &names, NULL, alphasort);
		if (n < 0)
			continue;   /* absent folder */
		r = 0;
		for (int j = 0; j < n; j++) {
			struct stat st;
			const char *name = names[j]->d_name;
			char path[8192];

			if (r == 0 && fnmatch("*.conf", name, FNM_PERIOD) == 0) {
				snprintf(path, sizeof(path), "%s/%s", src, name);
				/* Follows links: a link to /dev/null (masking) copies
				 * as an empty file, which masks the same way. */
				if (stat(path, &st) == 0 &&
				    (S_ISREG(st.st_mode) || S_ISCHR(st.st_mode))) {
					snprintf(rel, sizeof(rel), "%s/%s", sysctld_dirs[i], name);
					r = copy_file(dfd, path, rel, true, err);
					if (r > 0)
						r = 0;
				}
			}
			free(names[j]);
		}
		free(names);
		if (r < 0)
			return r;
	}
	return 0;
}

/* meta.txt: what the files cannot say about the host (its name, when,
 * which namespace), in the form parse_meta() reads back. */
static int capture_meta(int dfd, const struct tw_live_opts *o, struct tw_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	char host[256], when[32];
	struct utsname u;
	struct tw_opt cont;
	time_t now = time(NULL);
	struct tm tm;
	int r;

	sb_append(&sb, "# twadvise --capture: lines KEY VALUE (doc/snapshot-format.md)\n");
	if (gethostname(host, sizeof(host)) == 0) {
		host[sizeof(host) - 1] = '\0';
		if (host[0])
			sb_appendf(&sb, "hostname %s\n", host);
	}
	when[0] = '\0';
	if (gmtime_r(&now, &tm))
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (when[0])
		sb_appendf(&sb, "captured_at %s\n", when);
	if (uname(&u) == 0)
		sb_appendf(&sb, "kernel %s\n", u.release);
	sb_appendf(&sb, "twadvise_version %s\n", PACKAGE_VERSION);
	if (o->netns)
		sb_appendf(&sb, "netns %s\n", o->netns);
	live_detect_container(o, &cont);
	if (cont.known)
		sb_appendf(&sb, "in_container %s\n", cont.v ? "yes" : "no");
	{
		/* The text and its length taken apart from the call. */
		const char *text = sb_str(&sb);
		size_t len = sb.len;

		r = put_file(dfd, "meta.txt", text, len, err);
	}
	sb_free(&sb);
	return r;
}

/* Every row of the table of sources, as the live host has it, then the
 * sysctl.d copies. */
static int capture_into(int dfd, const struct tw_live_opts *o, struct tw_error *err)
{
	struct source_ctx ctx = { .mode = SOURCE_MODE_LIVE, .root = "/" };
	int r = 0;

	ctx.rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (ctx.rootfd < 0)
		return tw_error_set(err, -errno, "/: %s", strerror(errno));
	for (size_t i = 0; i < tw_nsources && r == 0; i++) {
		const struct source_row *s = &tw_sources[i];
		char *buf = NULL;
		size_t len = 0;

		if (s->live == SOURCE_LIVE_SOCKETS) {
			r = capture_sockets(dfd, o, err);
			continue;
		}
		if (s->live == SOURCE_LIVE_META) {
			r = capture_meta(dfd, o, err);
			continue;
		}
		r = source_live_bytes(&ctx, s, &buf, &len, err);
		if (r == 1)
			r = put_file(dfd, s->rel, buf, len, err);
		free(buf);
	}
	close(ctx.rootfd);
	if (r < 0)
		return r;
	return capture_sysctld(dfd, err);
}

/* ---- the folder dance ---------------------------------------------------- */

static int check_target(const char *dir, struct tw_error *err)
{
	struct stat st;
	DIR *d;
	struct dirent *de;

	if (lstat(dir, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		return tw_error_set(err, -errno, "%s: %s", dir, strerror(errno));
	}
	if (!S_ISDIR(st.st_mode))
		return tw_error_set(err, -EEXIST, "%s exists and is not a folder", dir);
	d = opendir(dir);
	if (!d)
		return tw_error_set(err, -errno, "%s: %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			closedir(d);
			return tw_error_set(err, -ENOTEMPTY, "%s exists and is not empty", dir);
		}
	}
	closedir(d);
	return 0;
}

int capture_snapshot(const char *dir, const struct tw_live_opts *o, struct tw_error *err)
{
	char target[4096], tmp[4096 + 16];
	size_t n;
	int dfd, r;

	n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (n == 0 || n >= sizeof(target))
		return tw_error_set(err, -EINVAL, "invalid snapshot folder '%s'", dir);
	memcpy(target, dir, n);
	target[n] = '\0';
	r = check_target(target, err);
	if (r < 0)
		return r;
	if (access("/proc/self/net", R_OK) < 0)
		return tw_error_set(err, -errno, "/proc is not readable (%s): is it mounted?",
				    strerror(errno));
	snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", target);
	if (!mkdtemp(tmp))
		return tw_error_set(err, -errno, "%s: %s", tmp, strerror(errno));
	dfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		r = tw_error_set(err, -errno, "%s: %s", tmp, strerror(errno));
		rmdir(tmp);
		return r;
	}
	r = capture_into(dfd, o, err);
	if (r == 0 && fsync(dfd) < 0)
		r = tw_error_set(err, -errno, "%s: %s", tmp, strerror(errno));
	close(dfd);
	if (r == 0 && rename(tmp, target) < 0)
		r = tw_error_set(err, -errno, "%s: %s", target, strerror(errno));
	if (r < 0)
		remove_tree(AT_FDCWD, tmp);
	return r;
}
