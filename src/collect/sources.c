/* SPDX-License-Identifier: MIT */
/* sources.c: the table of sources and the loop that reads it (see
 * sources.h).
 *
 * Every row is parsed into a copy of its destination and copied back only
 * when the parser succeeded, so a malformed optional file leaves its
 * facts exactly as unknown as an absent one. */
#include "collect/sources.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collect/ctnetlink.h"
#include "collect/slab_sysfs.h"
#include "collect/live.h"
#include "collect/parse_text.h"
#include "collect/nft_live.h"
#include "collect/parsers.h"
#include "collect/procsys.h"
#include "collect/snapshot_archive.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/sysctl_text.h"
#include "util/xalloc.h"
#include "util/macros.h"

/* Caps for files read whole: a hostile snapshot cannot exhaust memory. */
#define SMALL_FILE_MAX (64u * 1024)
#define TEXT_FILE_MAX (16u * 1024 * 1024)
#define CONNTRACK_MAX (128u * 1024 * 1024)
/* How many duplicate keys of sysctl-a.txt a note names. */
#define DUP_EXAMPLES 3

/* ---- parsers, each bound to its destination ---------------------------- */

static int parse_kernel_v(const char *buf, size_t len, const char *name, void *out,
			  struct tw_facts *f, struct tw_error *err)
{
	(void)f;
	if (len == 0 || memchr(buf, '\0', len) != NULL || kernel_version_parse(buf, out) < 0)
		return tw_error_set(err, -EINVAL, "%s:1: not a kernel release (uname -r)", name);
	return 0;
}

struct key_line {
	const char *k;
	size_t kn;
	unsigned line;
	unsigned run;      /* consecutive lines of one key share a run */
};

static int key_line_cmp(const void *a, const void *b)
{
	const struct key_line *x = a, *y = b;
	size_t n = x->kn < y->kn ? x->kn : y->kn;
	int c = memcmp(x->k, y->k, n);

	if (c)
		return c;
	if (x->kn != y->kn)
		return x->kn < y->kn ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* A key on more than one line of sysctl-a.txt: lines apart, the last wins
 * (sysctl never prints that); consecutive, they are one multi-line value
 * (dev.cdrom.info does that), worth a note only for the net keys that
 * twadvise reads. One note names a few; O(n log n). */
static void note_duplicate_keys(const char *buf, size_t len, const char *name,
				struct tw_facts *f)
{
	struct key_line *v = NULL;
	size_t n = 0, cap = 0, ndup = 0;
	struct strbuf ex = STRBUF_INIT;
	struct text_lines it;
	const char *line;
	size_t ln;
	unsigned run = 0;

	text_lines_init(&it, buf, len);
	while (text_lines_next(&it, &line, &ln)) {
		const char *eq = memchr(line, '=', ln), *k = line;
		size_t kn;

		if (!eq || (ln >= 8 && memcmp(line, "sysctl: ", 8) == 0))
			continue;
		kn = (size_t)(eq - line);
		sysctl_text_trim(&k, &kn);
		if (n == 0 || v[n - 1].kn != kn || memcmp(v[n - 1].k, k, kn) != 0)
			run++;
		v = tw_xgrow(v, &cap, n + 1, sizeof(*v));
		v[n++] = (struct key_line){ k, kn, it.lineno, run };
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), key_line_cmp);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		bool apart = false;

		while (j < n && v[j].kn == v[i].kn && memcmp(v[j].k, v[i].k, v[i].kn) == 0) {
			apart |= v[j].run != v[i].run;
			j++;
		}
		if (j - i > 1 && (apart || (v[i].kn > 4 && memcmp(v[i].k, "net.", 4) == 0))) {
			if (ndup < DUP_EXAMPLES)
				sb_appendf(&ex, "%s%.*s (lines %u%s%u%s)", ndup ? ", " : "",
					   (int)(v[i].kn > 80 ? 80 : v[i].kn), v[i].k, v[i].line,
					   j - i > 2 ? ", ..., " : " and ", v[j - 1].line,
					   apart ? ", the last wins" : ", joined as one value");
			ndup++;
		}
		i = j;
	}
	if (ndup > DUP_EXAMPLES)
		sb_appendf(&ex, " and %zu more", ndup - DUP_EXAMPLES);
	if (ndup)
		facts_note(f, "%s: keys on more than one line: %s", name, sb_str(&ex));
	sb_free(&ex);
	free(v);
}

static int parse_sysctls_v(const char *buf, size_t len, const char *name, void *out,
			   struct tw_facts *f, struct tw_error *err)
{
	struct tw_sysctls *t = out;
	int r = parse_sysctl_a(buf, len, name, t, err);

	if (r == 0 && t->n == 0)
		r = tw_error_set(err, -EINVAL, "%s: no 'key = value' lines", name);
	if (r == 0)
		note_duplicate_keys(buf, len, name, f);
	return r;
}

static void discard_sysctls(void *p)
{
	sysctls_free(p);
}

static int parse_sockstat_v(const char *buf, size_t len, const char *name, void *out,
			    struct tw_facts *f, struct tw_error *err)
{
	(void)f;
	return parse_sockstat(buf, len, name, out, err);
}

static int parse_sockstat6_v(const char *buf, size_t len, const char *name, void *out,
			     struct tw_facts *f, struct tw_error *err)
{
	(void)f;
	return parse_sockstat6(buf, len, name, out, err);
}

static int parse_tcpext_v(const char *buf, size_t len, const char *name, void *out,
			  struct tw_facts *f, struct tw_error *err)
{
	(void)f;
	return parse_proc_net_pairs(buf, len, name, "TcpExt", out, err);
}

static int parse_tcp_v(const char *buf, size_t len, const char *name, void *out,
		       struct tw_facts *f, struct tw_error *err)
{
	(void)f;
	return parse_proc_net_pairs(buf, len, name, "Tcp", out, err);
}

static void discard_counter_list(void *p)
{
	counter_list_free(p);
}

static int parse_slabinfo_v(const char *buf, size_t len, const char *name, void *out,
			    struct tw_facts *f, struct tw_error *err)
{
	(void)f;
	return parse_slabinfo(buf, len, name, out, err);
}

static int parse_meminfo_v(const char *buf, size_t len, const char *name, void *out,
			   struct tw_facts *f, struct tw_error *err)
{
	(void)f;
	return parse_meminfo(buf, len, name, out, err);
}

static int parse_dmesg_v(const char *buf, size_t len, const char *name, void *out,
			 struct tw_facts *f, struct tw_error *err)
{
	(void)f;
	return parse_dmesg(buf, len, name, out, err);
}

static int parse_conntrack_v(const char *buf, size_t len, const char *name, void *out,
			     struct tw_facts *f, struct tw_error *err)
{
	struct tw_conntrack *ct = out;
	int r;

	(void)f;
	r = parse_nf_conntrack(buf, len, name, ct, err);
	if (r == 0)
		ct->source = "/proc/net/nf_conntrack";
	return r;
}

/* conntrack -L output, when the snapshot has no nf_conntrack copy. */
static int parse_conntrack_l_v(const char *buf, size_t len, const char *name, void *out,
			       struct tw_facts *f, struct tw_error *err)
{
	struct tw_conntrack *ct = out;
	int r;

	(void)f;
	if (ct->table_known)
		return 0;   /* proc/net/nf_conntrack was read: it is the kernel's own text */
	r = parse_nf_conntrack(buf, len, name, ct, err);
	if (r == 0)
		ct->source = "conntrack -L";
	return r;
}

static int parse_ct_stat_v(const char *buf, size_t len, const char *name, void *out,
			   struct tw_facts *f, struct tw_error *err)
{
	(void)f;
	return parse_conntrack_stat(buf, len, name, out, err);
}

static int parse_meta_v(const char *buf, size_t len, const char *name, void *out,
			struct tw_facts *f, struct tw_error *err)
{
	(void)f;
	return parse_meta(buf, len, name, out, err);
}

static int parse_nft_v(const char *buf, size_t len, const char *name, void *out,
		       struct tw_facts *f, struct tw_error *err)
{
	(void)f;
	return parse_nft_ruleset(buf, len, name, out, err);
}

static void discard_meta(void *p)
{
	snapshot_meta_free(p);
}

/* ---- the table ----------------------------------------------------------- */

#define DEST(field) offsetof(struct tw_facts, field), sizeof(((struct tw_facts *)0)->field)

/* In reading order: the kernel and sysctls (the port range) come before
 * the sockets, which need the range to tell a socket's side. */
const struct source_row tw_sources[] = {
	{ "uname-r.txt", "proc/sys/kernel/osrelease", SOURCE_LIVE_FILE, parse_kernel_v,
	  DEST(kernel), NULL, true, SMALL_FILE_MAX, false },
	{ "sysctl-a.txt", "proc/sys", SOURCE_LIVE_SYSCTLS, parse_sysctls_v,
	  DEST(sysctls), discard_sysctls, true, TEXT_FILE_MAX, false },
	/* sockstat before the sockets: a namespace without a TCP socket is
	 * not dumped (live.c). */
	{ "proc/net/sockstat", "proc/net/sockstat", SOURCE_LIVE_FILE, parse_sockstat_v,
	  DEST(counters), NULL, false, SMALL_FILE_MAX, false },
	{ "proc/net/sockstat6", "proc/net/sockstat6", SOURCE_LIVE_FILE, parse_sockstat6_v,
	  DEST(counters), NULL, false, SMALL_FILE_MAX, false },
	{ "ss-tan.txt", NULL, SOURCE_LIVE_SOCKETS, NULL, 0, 0, NULL, true, 0, false },
	{ "proc/net/netstat", "proc/net/netstat", SOURCE_LIVE_FILE, parse_tcpext_v,
	  DEST(counters.tcpext), discard_counter_list, false, SMALL_FILE_MAX, false },
	{ "proc/net/snmp", "proc/net/snmp", SOURCE_LIVE_FILE, parse_tcp_v,
	  DEST(counters.tcp), discard_counter_list, false, SMALL_FILE_MAX, false },
	{ "proc/slabinfo", "proc/slabinfo", SOURCE_LIVE_FILE, parse_slabinfo_v,
	  DEST(memory), NULL, false, TEXT_FILE_MAX, false },
	{ "proc/meminfo", "proc/meminfo", SOURCE_LIVE_FILE, parse_meminfo_v,
	  DEST(memory), NULL, false, SMALL_FILE_MAX, false },
	{ "proc/net/nf_conntrack", "proc/net/nf_conntrack", SOURCE_LIVE_FILE, parse_conntrack_v,
	  DEST(conntrack), NULL, false, CONNTRACK_MAX, true },
	{ "conntrack-L.txt", NULL, SOURCE_LIVE_FILE, parse_conntrack_l_v,
	  DEST(conntrack), NULL, false, CONNTRACK_MAX, true },
	{ "proc/net/stat/nf_conntrack", "proc/net/stat/nf_conntrack", SOURCE_LIVE_FILE,
	  parse_ct_stat_v, DEST(ct_stats), NULL, false, SMALL_FILE_MAX, true },
	{ "dmesg.txt", NULL, SOURCE_LIVE_KLOG, parse_dmesg_v, DEST(memory), NULL, false,
	  TEXT_FILE_MAX, false },
	/* nft -j list ruleset: the SNAT port range; often absent (iptables,
	 * older captures), and its facts say "unknown" themselves. */
	{ "nft-ruleset.json", NULL, SOURCE_LIVE_NFT, parse_nft_v, DEST(nft), NULL, false,
	  TEXT_FILE_MAX, true },
	/* meta.txt is --capture's: a snapshot made by hand lacks it. */
	{ "meta.txt", NULL, SOURCE_LIVE_META, parse_meta_v, DEST(meta), discard_meta, false,
	  SMALL_FILE_MAX, true },
};
const size_t tw_nsources = ARRAY_SIZE(tw_sources);

const struct source_row *source_find(const char *rel)
{
	for (size_t i = 0; i < tw_nsources; i++)
		if (strcmp(tw_sources[i].rel, rel) == 0)
			return &tw_sources[i];
	return NULL;
}

char *source_path(const struct source_ctx *ctx, const char *rel)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n = strlen(ctx->root);

	while (n > 0 && ctx->root[n - 1] == '/')
		n--;
	sb_appendn(&sb, ctx->root, n);
	sb_appendc(&sb, '/');
	sb_append(&sb, rel);
	return sb_steal(&sb);
}

static bool root_is_slash(const struct source_ctx *ctx)
{
	return strspn(ctx->root, "/") == strlen(ctx->root);
}

/* ---- reading one row -------------------------------------------------------- */

/* The live conntrack table through ctnetlink, with both tuples, when
 * connection tracking is loaded here (its sysctls exist: a dump never
 * loads it) and we may dump it; else the caller reads the text file.
 * A namespace whose nf_conntrack_count is 0 has an empty table: no dump,
 * which would walk the host-wide hash under one lock per bucket (half
 * of an idle run's time). */
static bool live_conntrack_netlink(struct tw_facts *f)
{
	struct tw_error e = { "" };
	int64_t count;

	if (!sysctls_has(&f->sysctls, "net.netfilter.nf_conntrack_count"))
		return false;
	if (sysctls_get_i64(&f->sysctls, "net.netfilter.nf_conntrack_count", 0, INT64_MAX,
			    &count) == 0 && count == 0) {
		ctnetlink_empty(&f->conntrack, "nf_conntrack_count = 0");
		return true;
	}
	return ctnetlink_read(&f->conntrack, &e) == 0;
}

/* sysctl -a's text for the tree under the live root. */
static int live_sysctl_text(const struct source_ctx *ctx, char **ret_buf, size_t *ret_len,
			    struct tw_error *err)
{
	struct tw_sysctls t = { 0 };
	struct strbuf sb = STRBUF_INIT;
	char *path = source_path(ctx, "proc/sys");
	int r = procsys_read(path, NULL, &t, err);

	free(path);
	if (r < 0)
		return r;
	sysctls_seal(&t);
	for (size_t i = 0; i < t.n; i++) {
		if (t.v[i].value)
			sb_appendf(&sb, "%s = %s\n", t.v[i].key, t.v[i].value);
		else
			sb_appendf(&sb, "sysctl: permission denied on key '%s'\n", t.v[i].key);
	}
	sysctls_free(&t);
	*ret_len = sb.len;
	*ret_buf = sb.buf ? sb_steal(&sb) : tw_xstrdup("");
	return 1;
}

int source_live_bytes(const struct source_ctx *ctx, const struct source_row *s,
		      char **ret_buf, size_t *ret_len, struct tw_error *err)
{
	int r;

	switch (s->live) {
	case SOURCE_LIVE_FILE: {
		char *name;

		if (!s->live_rel)
			return 0;   /* a snapshot-only spelling (conntrack-L.txt) */
		name = source_path(ctx, s->live_rel);

		r = tw_read_beneath(ctx->rootfd, s->live_rel, name, s->max, ret_buf, ret_len, err);
		free(name);
		if (r < 0)
			return s->required ? r : 0;
		return 1;
	}
	case SOURCE_LIVE_SYSCTLS:
		return live_sysctl_text(ctx, ret_buf, ret_len, err);
	case SOURCE_LIVE_KLOG:
		if (!root_is_slash(ctx) || live_read_kmsg(ret_buf, ret_len, NULL) < 0)
			return 0;   /* dmesg_restrict, or a fake root: optional */
		return 1;
	case SOURCE_LIVE_NFT:
		if (!root_is_slash(ctx) || nft_live_ruleset(ret_buf, ret_len) < 0)
			return 0;   /* no libnftables, not root, no nf_tables: optional */
		return 1;
	case SOURCE_LIVE_SOCKETS:
	case SOURCE_LIVE_META:
		break;
	}
	return tw_error_set(err, -EINVAL, "%s: not a file source", s->rel);
}

/* Opens and reads one row for collection: 1 read, 0 absent or left
 * unknown (with a note, or listed in 'missing'), <0 error. */
static int read_row(const struct source_ctx *ctx, const struct source_row *s,
		    struct tw_facts *f, struct strbuf *missing, char **ret_buf, size_t *ret_len,
		    char **ret_name, struct tw_error *err)
{
	const char *rel = ctx->mode == SOURCE_MODE_LIVE ? s->live_rel : s->rel;
	struct tw_error e = { "" };
	char *name;
	int r;

	if (ctx->mode == SOURCE_MODE_LIVE && s->live == SOURCE_LIVE_NFT) {
		*ret_name = tw_xstrdup("nftables ruleset");
		if (!root_is_slash(ctx) || nft_live_ruleset(ret_buf, ret_len) < 0)
			return 0;   /* quietly unknown, as without nftables */
		return 1;
	}
	if (ctx->mode == SOURCE_MODE_LIVE && s->live == SOURCE_LIVE_KLOG) {
		*ret_name = tw_xstrdup("kernel log");
		if (!root_is_slash(ctx) || live_read_kmsg(ret_buf, ret_len, &e) < 0)
			return 0;   /* often restricted (dmesg_restrict): quietly unknown */
		return 1;
	}
	if (!rel)
		return 0;
	name = source_path(ctx, rel);
	if (ctx->archive)
		r = snap_archive_take(ctx->archive, rel, name, ret_buf, ret_len, &e);
	else
		r = tw_read_beneath(ctx->rootfd, rel, name, s->max, ret_buf, ret_len, &e);
	if (r == 0) {
		*ret_name = name;
		return 1;
	}
	if (s->required) {
		if (r == -ENOENT && ctx->mode == SOURCE_MODE_SNAPSHOT)
			tw_error_set(err, r, "%s: missing (required in a snapshot)", name);
		else
			*err = e;
		free(name);
		return r;
	}
	if (r == -ENOENT) {
		if (ctx->mode == SOURCE_MODE_SNAPSHOT && !s->quiet_absent)
			sb_appendf(missing, "%s%s", missing->len ? ", " : "", s->rel);
	} else if ((r == -EACCES || r == -EPERM) && ctx->mode == SOURCE_MODE_LIVE) {
		facts_note(f, "%s needs root: those facts are unknown", name);
	} else {
		facts_note(f, "%s; those facts are unknown", e.msg);
	}
	free(name);
	return 0;
}

/* Parses into a copy of the destination; copies back on success. */
static int parse_row(const struct source_row *s, const char *buf, size_t len,
		     const char *name, struct tw_facts *f, struct tw_error *err)
{
	void *dest = (char *)f + s->dest;
	void *copy = tw_xmalloc(s->dest_size);
	int r;

	memcpy(copy, dest, s->dest_size);
	r = s->parse(buf, len, name, copy, f, err);
	if (r == 0)
		memcpy(dest, copy, s->dest_size);
	else if (s->discard)
		s->discard(copy);
	free(copy);
	return r;
}

static int collect_row(const struct source_ctx *ctx, const struct source_row *s,
		       struct tw_facts *f, struct strbuf *missing, struct tw_error *err)
{
	struct tw_error e = { "" };
	char *buf = NULL, *name = NULL;
	size_t len = 0;
	int r;

	if (s->live == SOURCE_LIVE_SOCKETS)
		return ctx->sockets ? ctx->sockets(ctx, f, ctx->sockets_data, err) : 0;
	if (ctx->mode == SOURCE_MODE_LIVE && s->live == SOURCE_LIVE_META)
		return 0;
	if (ctx->mode == SOURCE_MODE_LIVE && s->parse == parse_conntrack_v && root_is_slash(ctx) &&
	    live_conntrack_netlink(f))
		return 0;
	/* Three caches from sysfs, not every cache of the host (slab_sysfs.h). */
	if (ctx->mode == SOURCE_MODE_LIVE && s->parse == parse_slabinfo_v && root_is_slash(ctx) &&
	    slab_sysfs_read("/sys/kernel/slab", &f->memory) == 0)
		return 0;
	if (ctx->mode == SOURCE_MODE_LIVE && s->live == SOURCE_LIVE_SYSCTLS) {
		/* Straight into the table: no text round trip for 1,000 keys,
		 * and only the keys the run uses when it says which. */
		char *path = source_path(ctx, s->live_rel);

		if (ctx->sysctl_keys && !ctx->sysctl_keys->all) {
			r = procsys_read_keys(path, ctx->sysctl_keys, &f->sysctls, err);
			if (r == 0)
				sysctls_mark_subset(&f->sysctls, ctx->sysctl_keys);
		} else {
			r = procsys_read(path, NULL, &f->sysctls, err);
		}
		free(path);
		return r;
	}
	r = read_row(ctx, s, f, missing, &buf, &len, &name, err);
	if (r <= 0) {
		free(name);
		return r;
	}
	r = parse_row(s, buf, len, name, f, &e);
	free(buf);
	free(name);
	if (r == -ENOMEM || (r < 0 && s->required)) {
		*err = e;
		return r;
	}
	if (r < 0)
		facts_note(f, "%s; those facts are unknown", e.msg);
	return 0;
}

/* Whether either conntrack file exists (a malformed one is noted apart). */
static bool conntrack_present(const struct source_ctx *ctx)
{
	struct stat st;

	return fstatat(ctx->rootfd, "proc/net/nf_conntrack", &st, AT_SYMLINK_NOFOLLOW) == 0 ||
	       fstatat(ctx->rootfd, "conntrack-L.txt", &st, AT_SYMLINK_NOFOLLOW) == 0;
}

int sources_collect(const struct source_ctx *ctx, struct tw_facts *f, struct tw_error *err)
{
	struct strbuf missing = STRBUF_INIT;
	int r = 0;

	for (size_t i = 0; i < tw_nsources; i++) {
		r = collect_row(ctx, &tw_sources[i], f, &missing, err);
		if (r < 0)
			break;
		if (tw_sources[i].live == SOURCE_LIVE_SYSCTLS)
			sysctls_seal(&f->sysctls);
	}
	/* The conntrack table has two spellings: missing only without both. */
	if (r == 0 && ctx->mode == SOURCE_MODE_SNAPSHOT && !f->conntrack.table_known &&
	    !conntrack_present(ctx))
		sb_appendf(&missing, "%sproc/net/nf_conntrack", missing.len ? ", " : "");
	if (r == 0 && missing.len)
		facts_note(f, "snapshot lacks %s: those facts are unknown", sb_str(&missing));
	sb_free(&missing);
	return r;
}
