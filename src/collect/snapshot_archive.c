/* SPDX-License-Identifier: MIT */
/* snapshot_archive.c: a tar snapshot into memory (see snapshot_archive.h).
 *
 * libarchive reads the archive as a stream; nothing is written to disk.
 * Each kept entry is bounded by the cap its file has in a folder
 * (sources.c for the rows, 1 MiB for a sysctl.d copy), and the number
 * of sysctl.d copies is bounded, so a hostile archive cannot exhaust
 * memory. */
#include "collect/snapshot_archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "collect/sources.h"
#include "util/lazy.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* An archive's ss-tan.txt is held in memory (a folder's is streamed). */
#define ARCHIVE_SS_MAX (512u * 1024 * 1024)
/* As src/sysctld/sysctld.c reads a sysctl.d file. */
#define ARCHIVE_SYSCTLD_MAX (1024u * 1024)
#define ARCHIVE_SYSCTLD_FILES 1024u

bool snapshot_is_archive(const char *path)
{
	static const char *const suffixes[] = { ".tar.gz", ".tgz", ".tar" };
	size_t n = strlen(path);

	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t k = strlen(suffixes[i]);

		if (n > k && strcmp(path + n - k, suffixes[i]) == 0)
			return true;
	}
	return false;
}

static bool is_sysctld_copy(const char *rel)
{
	static const char *const pats[] = {
		"etc/sysctl.d/*.conf", "run/sysctl.d/*.conf", "usr/local/lib/sysctl.d/*.conf",
		"usr/lib/sysctl.d/*.conf", "lib/sysctl.d/*.conf",
	};

	if (strcmp(rel, "etc/sysctl.conf") == 0)
		return true;
	for (size_t i = 0; i < sizeof(pats) / sizeof(pats[0]); i++)
		if (fnmatch(pats[i], rel, FNM_PATHNAME | FNM_PERIOD) == 0)
			return true;
	return false;
}

/* The cap for a known name, 0 for an unknown one. */
static size_t known_max(const char *rel)
{
	const struct source_row *s = source_find(rel);

	if (s)
		return s->live == SOURCE_LIVE_SOCKETS ? ARCHIVE_SS_MAX : s->max;
	return is_sysctld_copy(rel) ? ARCHIVE_SYSCTLD_MAX : 0;
}

/* Drops "./" and repeated '/': 1, or 0 for an empty name (the top
 * folder "./"), -1 for an absolute path or a ".." component. */
static int normalise(const char *in, struct strbuf *out)
{
	const char *p = in;

	if (*p == '/')
		return -1;
	while (*p) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n == 2 && memcmp(p, "..", 2) == 0)
			return -1;
		if (n > 0 && !(n == 1 && *p == '.')) {
			if (out->len)
				sb_appendc(out, '/');
			sb_appendn(out, p, n);
		}
		p += n;
		if (*p == '/')
			p++;
	}
	return out->len > 0;
}

static struct snap_entry *entry_slot(struct snap_archive *a, const char *rel)
{
	struct snap_entry *e;

	for (size_t i = 0; i < a->n; i++) {
		if (strcmp(a->v[i].rel, rel) == 0) {
			/* A later member replaces an earlier one, as tar -x does. */
			free(a->v[i].buf);
			free(a->v[i].why);
			a->v[i].buf = a->v[i].why = NULL;
			a->v[i].len = 0;
			a->v[i].refused = 0;
			return &a->v[i];
		}
	}
	a->v = tw_xgrow(a->v, &a->cap, a->n + 1, sizeof(*a->v));
	e = &a->v[a->n++];
	memset(e, 0, sizeof(*e));
	e->rel = tw_xstrdup(rel);
	return e;
}

static void refuse(struct snap_entry *e, int code, const char *why)
{
	e->refused = code;
	e->why = tw_xstrdup(why);
}

/* Reads the current entry's data, at most 'max' bytes. */
static int read_data(struct archive *ar, size_t max, char **ret, size_t *ret_len)
{
	char *buf = tw_xmalloc(1);
	size_t len = 0, cap = 1;

	for (;;) {
		char chunk[65536];
		la_ssize_t n = archive_read_data(ar, chunk, sizeof(chunk));

		if (n < 0) {
			free(buf);
			return -EIO;
		}
		if (n == 0)
			break;
		if ((size_t)n > max - len) {
			free(buf);
			return -EFBIG;
		}
		buf = tw_xgrow(buf, &cap, len + (size_t)n + 1, 1);
		memcpy(buf + len, chunk, (size_t)n);
		len += (size_t)n;
	}
	buf[len] = '\0';
	*ret = buf;
	*ret_len = len;
	return 0;
}

/* Keeps or skips one entry; <0 only for a damaged archive. */
static int take_entry(struct snap_archive *a, struct archive *ar, struct archive_entry *ent,
		      char **top, size_t *nsysctld)
{
	struct strbuf sb = STRBUF_INIT;
	const char *raw = archive_entry_pathname(ent), *rel;
	mode_t type = archive_entry_filetype(ent);
	struct snap_entry *e;
	size_t max;
	int r = 0;

	if (!raw || (r = normalise(raw, &sb)) <= 0) {
		a->skipped_outside += r < 0;
		r = 0;
		goto out;
	}
	rel = sb_str(&sb);
	max = known_max(rel);
	if (max == 0) {
		/* Perhaps under one top-level folder: "snap/ss-tan.txt". */
		const char *slash = strchr(rel, '/');

		if (slash && (max = known_max(slash + 1)) != 0) {
			size_t tn = (size_t)(slash - rel);

			if (!*top)
				*top = tw_xstrndup(rel, tn);
			if (strlen(*top) != tn || memcmp(*top, rel, tn) != 0) {
				a->skipped_other++;   /* a second folder: not one snapshot */
				goto out;
			}
			rel = slash + 1;
		}
	}
	if (max == 0) {
		if (type != AE_IFDIR)
			a->skipped_other++;
		goto out;
	}
	if (is_sysctld_copy(rel) && source_find(rel) == NULL && ++*nsysctld > ARCHIVE_SYSCTLD_FILES) {
		a->skipped_other++;
		goto out;
	}
	e = entry_slot(a, rel);
	if (archive_entry_hardlink(ent)) {
		refuse(e, -ELOOP, "a hard link in the archive");
	} else if (type == AE_IFLNK) {
		refuse(e, -ELOOP, "a symbolic link");
	} else if (type != AE_IFREG) {
		refuse(e, type == AE_IFDIR ? -EISDIR : -EPERM,
		       type == AE_IFDIR ? "a folder" : "not a regular file (a device, FIFO or socket)");
	} else if (archive_entry_size_is_set(ent) && archive_entry_size(ent) >= 0 &&
		   (uint64_t)archive_entry_size(ent) > max) {
		refuse(e, -EFBIG, "larger than its cap");
	} else {
		r = read_data(ar, max, &e->buf, &e->len);
		if (r == -EFBIG) {
			refuse(e, -EFBIG, "larger than its cap");
			r = 0;
		}
	}
out:
	sb_free(&sb);
	return r;
}

int snap_archive_load(const char *path, struct snap_archive **ret, struct tw_error *err)
{
	struct snap_archive *a;
	struct archive *ar;
	struct archive_entry *ent;
	char *top = NULL;
	size_t nsysctld = 0;
	struct stat st;
	int r = lazy_archive_load(err);

	if (r < 0)
		return tw_error_prefix(err, r, "%s", path);
	a = tw_xcalloc(1, sizeof(*a));
	ar = archive_read_new();
	if (!ar)
		return tw_error_set(err, -ENOMEM, "%s: out of memory", path);
	a->path = tw_xstrdup(path);
	/* The archive itself is the user's choice, but only a regular file:
	 * never a FIFO that would hang the run. */
	if (stat(path, &st) < 0) {
		r = tw_error_set(err, -errno, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = tw_error_set(err, -EINVAL, "%s: not a regular file", path);
		goto out;
	}
	archive_read_support_filter_gzip(ar);
	archive_read_support_format_tar(ar);
	archive_read_support_format_gnutar(ar);
	if (archive_read_open_filename(ar, path, 65536) != ARCHIVE_OK) {
		r = tw_error_set(err, -EINVAL, "%s: not a tar archive: %s", path,
				 archive_error_string(ar) ? archive_error_string(ar) : "unreadable");
		goto out;
	}
	for (;;) {
		int h = archive_read_next_header(ar, &ent);

		if (h == ARCHIVE_EOF)
			break;
		if (h == ARCHIVE_RETRY)
			continue;
		if (h < ARCHIVE_WARN || take_entry(a, ar, ent, &top, &nsysctld) < 0) {
			const char *why = archive_error_string(ar);

			r = tw_error_set(err, -EINVAL, "%s: damaged or truncated archive%s%s", path,
					 why ? ": " : "", why ? why : "");
			goto out;
		}
	}
out:
	archive_read_free(ar);
	free(top);
	if (r < 0) {
		snap_archive_free(a);
		return r;
	}
	*ret = a;
	return 0;
}

void snap_archive_free(struct snap_archive *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++) {
		free(a->v[i].rel);
		free(a->v[i].buf);
		free(a->v[i].why);
	}
	free(a->v);
	free(a->path);
	free(a);
}

int snap_archive_take(struct snap_archive *a, const char *rel, const char *name,
		      char **ret_buf, size_t *ret_len, struct tw_error *err)
{
	for (size_t i = 0; i < a->n; i++) {
		struct snap_entry *e = &a->v[i];

		if (strcmp(e->rel, rel) != 0)
			continue;
		if (e->refused)
			return tw_error_set(err, e->refused, "%s: %s, refused", name, e->why);
		if (!e->buf)
			break;
		*ret_buf = e->buf;
		*ret_len = e->len;
		e->buf = NULL;
		return 0;
	}
	return tw_error_set(err, -ENOENT, "%s: missing", name);
}
