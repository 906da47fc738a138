/* SPDX-License-Identifier: MIT */
/* owners.c: processes behind the busiest client destinations (owners.h).
 *
 * Three steps, each bounded: (1) one socket walk of the live states,
 * keeping the inodes of sockets toward the looked-up destinations;
 * (2) one pass over /proc/PID/fd, readlink "socket:[INODE]" matched in a
 * hash of those inodes; (3) for the few processes kept, their command and
 * cgroup. A socket shared by several processes (after fork) counts for
 * each. Nothing here allocates per /proc entry but the per-destination
 * process tally, whose size is the number of distinct owners. */
#include "collect/owners.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/live.h"
#include "collect/netns_list.h"
#include "util/xalloc.h"

#define LIVE_STATES (TW_HOLD_STATES & ~TW_STATE_BIT(TW_TCP_TIME_WAIT))

struct inode_slot {
	uint32_t inode;         /* 0: empty (the kernel never hands out inode 0) */
	uint8_t target;
	bool owned;             /* some process holds it */
};

struct tally {
	int pid;
	uint64_t sockets;
};

struct owners_ctx {
	struct tw_facts *f;
	size_t ntargets;
	struct inode_slot *slots;
	size_t nslots, used;    /* nslots: a power of two, kept over 2 x used */
	struct tally *tally[TW_OWNERS_TUPLES];
	size_t ntally[TW_OWNERS_TUPLES], captally[TW_OWNERS_TUPLES];
};

static size_t slot_of(const struct owners_ctx *c, uint32_t inode)
{
	size_t i = (inode * 2654435761u) & (c->nslots - 1);

	while (c->slots[i].inode && c->slots[i].inode != inode)
		i = (i + 1) & (c->nslots - 1);
	return i;
}

static void slots_grow(struct owners_ctx *c)
{
	struct inode_slot *old = c->slots;
	size_t oldn = c->nslots;

	c->nslots = oldn ? oldn * 2 : 256;
	c->slots = tw_xcalloc(c->nslots, sizeof(*c->slots));
	for (size_t i = 0; i < oldn; i++)
		if (old[i].inode)
			c->slots[slot_of(c, old[i].inode)] = old[i];
	free(old);
}

static int target_of(const struct owners_ctx *c, const struct tw_sock *s)
{
	for (size_t i = 0; i < c->ntargets; i++) {
		const struct tw_tuple *t = &c->f->tw.top_client[i];

		if (s->rport == t->port && tw_addr_equal(&s->remote, &t->remote) &&
		    tw_addr_equal(&s->local, &t->local))
			return (int)i;
	}
	return -1;
}

static int on_live_sock(const struct tw_sock *s, void *data)
{
	struct owners_ctx *c = data;
	int t;
	size_t i;

	if (!s->inode_known || s->inode == 0 || (t = target_of(c, s)) < 0)
		return 0;
	c->f->owners[t].live++;
	if (2 * (c->used + 1) > c->nslots)
		slots_grow(c);
	i = slot_of(c, s->inode);
	if (!c->slots[i].inode) {
		c->slots[i] = (struct inode_slot){ s->inode, (uint8_t)t, false };
		c->used++;
	}
	return 0;
}

static void walk_reset(void *data)
{
	struct owners_ctx *c = data;

	memset(c->slots, 0, c->nslots * sizeof(*c->slots));
	c->used = 0;
	for (size_t i = 0; i < c->ntargets; i++)
		c->f->owners[i].live = 0;
}

static void tally_add(struct owners_ctx *c, size_t t, int pid)
{
	for (size_t i = 0; i < c->ntally[t]; i++)
		if (c->tally[t][i].pid == pid) {
			c->tally[t][i].sockets++;
			return;
		}
	c->tally[t] = tw_xgrow(c->tally[t], &c->captally[t], c->ntally[t] + 1, sizeof(*c->tally[t]));
	c->tally[t][c->ntally[t]++] = (struct tally){ pid, 1 };
}

/* "socket:[12345]" -> 12345; 0 for anything else. */
static uint32_t socket_inode(const char *link, ssize_t n)
{
	uint64_t v = 0;

	if (n < 10 || memcmp(link, "socket:[", 8) != 0 || link[n - 1] != ']')
		return 0;
	for (ssize_t i = 8; i < n - 1; i++) {
		if (link[i] < '0' || link[i] > '9' || v > UINT32_MAX / 10)
			return 0;
		v = v * 10 + (uint64_t)(link[i] - '0');
	}
	return v <= UINT32_MAX ? (uint32_t)v : 0;
}

static void scan_fds(struct owners_ctx *c, int procfd, int pid)
{
	char rel[32], link[64];
	struct dirent *de;
	DIR *d;
	int fd;

	snprintf(rel, sizeof(rel), "%d/fd", pid);
	fd = openat(procfd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;   /* ended meanwhile, or not ours to read */
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	while ((de = readdir(d))) {
		ssize_t n;
		uint32_t inode;
		size_t i;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		n = readlinkat(fd, de->d_name, link, sizeof(link) - 1);
		if (n <= 0 || (inode = socket_inode(link, n)) == 0)
			continue;
		i = slot_of(c, inode);
		if (c->slots[i].inode != inode)
			continue;
		c->slots[i].owned = true;
		tally_add(c, c->slots[i].target, pid);
	}
	closedir(d);
}

static int by_sockets(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;

	if (x->sockets != y->sockets)
		return x->sockets > y->sockets ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* /proc/PID/NAME into buf, NUL-terminated ("" when unreadable); a
 * cgroup file longer than buf is cut, which only loses later lines. */
static void read_all_small(int procfd, int pid, const char *name, char *buf, size_t size)
{
	char rel[48];
	size_t got = 0;
	ssize_t n;
	int fd;

	buf[0] = '\0';
	snprintf(rel, sizeof(rel), "%d/%s", pid, name);
	fd = openat(procfd, rel, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	while (got < size - 1 && (n = read(fd, buf + got, size - 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	buf[got] = '\0';
}

/* The first line of /proc/PID/NAME. */
static void read_small(int procfd, int pid, const char *name, char *buf, size_t size)
{
	read_all_small(procfd, pid, name, buf, size);
	buf[strcspn(buf, "\n")] = '\0';
}

void owners_name_service(int procfd, int pid, char *out, size_t size)
{
	char text[4096];
	struct tw_netns_owner o = { 0 };

	out[0] = '\0';
	read_all_small(procfd, pid, "cgroup", text, sizeof(text));
	if (!text[0])
		return;
	netns_owner_from_cgroup(text, &o);
	if (o.kind != TW_NETNS_OWNER_NONE && o.kind != TW_NETNS_OWNER_UNIT)
		netns_owner_resolve_name("/", &o);
	if (o.kind == TW_NETNS_OWNER_UNIT)
		snprintf(out, size, "%s", o.id);
	else if (o.kind != TW_NETNS_OWNER_NONE)
		snprintf(out, size, "%s %.*s", o.kind == TW_NETNS_OWNER_POD ? "pod" : o.runtime,
			 o.name ? 100 : 12, o.name ? o.name : o.id);
	netns_owner_free(&o);
}

void owners_collect(struct tw_facts *f, const char *proc, bool force_proc)
{
	struct owners_ctx c = { .f = f };
	struct live_walk_result res;
	struct tw_error err;
	struct dirent *de;
	DIR *d = NULL;
	int procfd = -1;

	for (size_t i = 0; i < f->tw.ntop_client && i < TW_OWNERS_TUPLES; i++)
		if (f->tw.top_client[i].held > f->tw.top_client[i].count)
			c.ntargets = i + 1;
	if (c.ntargets == 0)
		return;
	slots_grow(&c);
	if (live_walk_sockets(LIVE_STATES, force_proc, on_live_sock, walk_reset, &c, &res,
			      &err) < 0) {
		facts_note(f, "owners of the live connections not looked up: %s", err.msg);
		goto out;
	}
	procfd = open(proc, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0 || !(d = fdopendir(procfd))) {
		facts_note(f, "owners of the live connections not looked up: %s: %s", proc,
			   strerror(errno));
		if (procfd >= 0)
			close(procfd);
		goto out;
	}
	while ((de = readdir(d))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);

		if (*end || pid <= 0 || de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		scan_fds(&c, dirfd(d), (int)pid);
	}
	for (size_t s = 0; s < c.nslots; s++)
		if (c.slots[s].inode && !c.slots[s].owned)
			f->owners[c.slots[s].target].unowned++;
	for (size_t t = 0; t < c.ntargets; t++) {
		struct tw_tuple_owners *o = &f->owners[t];

		o->known = true;
		if (c.ntally[t] > 1)
			qsort(c.tally[t], c.ntally[t], sizeof(*c.tally[t]), by_sockets);
		for (size_t i = 0; i < c.ntally[t] && o->n < TW_OWNERS_MAX; i++) {
			struct tw_owner *w = &o->v[o->n++];

			w->pid = c.tally[t][i].pid;
			w->sockets = c.tally[t][i].sockets;
			read_small(dirfd(d), w->pid, "comm", w->comm, sizeof(w->comm));
			owners_name_service(dirfd(d), w->pid, w->service, sizeof(w->service));
		}
	}
	if (geteuid() != 0)
		facts_note(f, "not root: only this user's processes were searched for the owners "
			      "of live connections");
	closedir(d);
out:
	for (size_t t = 0; t < TW_OWNERS_TUPLES; t++)
		free(c.tally[t]);
	free(c.slots);
}
