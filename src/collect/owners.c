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

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/live.h"
#include "collect/netns_list.h"
#include "collect/proc_fds.h"
#include "util/xalloc.h"

struct inode_slot {
	uint32_t inode;         /* 0: empty (the kernel never hands out inode 0) */
	uint8_t target;
	bool owned;             /* some process holds it */
	int last_pid;           /* the last process counted for it */
};

struct owners_ctx {
	struct tw_facts *f;
	size_t ntargets;
	struct inode_slot *slots;
	size_t nslots, used;    /* nslots: a power of two, kept over 2 x used */
	struct owners_tally tally[TW_OWNERS_TUPLES];
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

size_t owners_targets(const struct tw_facts *f)
{
	size_t n = 0;

	for (size_t i = 0; i < f->tw.ntop_client && i < TW_OWNERS_TUPLES; i++)
		if (f->tw.top_client[i].held > f->tw.top_client[i].count)
			n = i + 1;
	return n;
}

int owners_target_of(const struct tw_facts *f, size_t ntargets, const struct tw_sock *s)
{
	if (!(TW_OWNERS_LIVE_STATES & TW_STATE_BIT(s->state)))
		return -1;
	for (size_t i = 0; i < ntargets; i++) {
		const struct tw_tuple *t = &f->tw.top_client[i];

		if (s->rport == t->port && tw_addr_equal(&s->remote, &t->remote) &&
		    tw_addr_equal(&s->local, &t->local))
			return (int)i;
	}
	return -1;
}

static size_t tally_slot(const struct owners_tally *t, int pid)
{
	size_t i = ((uint32_t)pid * 2654435761u) & (t->nhash - 1);

	while (t->hash[i] && t->v[t->hash[i] - 1].pid != pid)
		i = (i + 1) & (t->nhash - 1);
	return i;
}

static void tally_rehash(struct owners_tally *t)
{
	free(t->hash);
	t->nhash = t->nhash ? 2 * t->nhash : 64;
	t->hash = tw_xcalloc(t->nhash, sizeof(*t->hash));
	for (size_t k = 0; k < t->n; k++)
		t->hash[tally_slot(t, t->v[k].pid)] = (uint32_t)(k + 1);
}

void owners_tally_add(struct owners_tally *t, int pid, const char *comm, size_t comm_len,
		      uint64_t sock)
{
	struct owners_count *w;
	size_t i;

	if (t->nhash == 0)
		tally_rehash(t);
	i = tally_slot(t, pid);
	if (t->hash[i]) {
		w = &t->v[t->hash[i] - 1];
		if (sock == 0 || w->last_sock != sock)
			w->sockets++;
		w->last_sock = sock;
		return;
	}
	if (t->n >= TW_OWNERS_TALLY_MAX) {
		t->dropped++;
		return;
	}
	t->v = tw_xgrow(t->v, &t->cap, t->n + 1, sizeof(*t->v));
	w = &t->v[t->n++];
	memset(w, 0, sizeof(*w));
	w->pid = pid;
	w->sockets = 1;
	w->last_sock = sock;
	t->hash[i] = (uint32_t)t->n;
	if (2 * t->n > t->nhash)
		tally_rehash(t);
	if (comm) {
		if (comm_len >= sizeof(w->comm))
			comm_len = sizeof(w->comm) - 1;
		memcpy(w->comm, comm, comm_len);
	}
}

static int by_sockets(const void *a, const void *b)
{
	const struct owners_count *x = a, *y = b;

	if (x->sockets != y->sockets)
		return x->sockets > y->sockets ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

void owners_tally_finish(struct owners_tally *t, struct tw_tuple_owners *o)
{
	o->known = true;
	if (t->n > 1)
		qsort(t->v, t->n, sizeof(*t->v), by_sockets);
	for (size_t i = 0; i < t->n && o->n < TW_OWNERS_MAX; i++) {
		struct tw_owner *w = &o->v[o->n++];

		w->pid = t->v[i].pid;
		w->sockets = t->v[i].sockets;
		snprintf(w->comm, sizeof(w->comm), "%s", t->v[i].comm);
	}
	owners_tally_free(t);
}

void owners_tally_free(struct owners_tally *t)
{
	free(t->v);
	free(t->hash);
	memset(t, 0, sizeof(*t));
}

static int on_live_sock(const struct tw_sock *s, void *data)
{
	struct owners_ctx *c = data;
	int t;
	size_t i;

	if (!s->inode_known || s->inode == 0 || (t = owners_target_of(c->f, c->ntargets, s)) < 0)
		return 0;
	c->f->owners[t].live++;
	if (2 * (c->used + 1) > c->nslots)
		slots_grow(c);
	i = slot_of(c, s->inode);
	if (!c->slots[i].inode) {
		c->slots[i] = (struct inode_slot){ s->inode, (uint8_t)t, false, 0 };
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

/* A socket counts once per process, however many of its descriptors
 * hold it (dup(), as ss -p lists each descriptor). */
static void on_socket_fd(int pid, int fd, uint32_t inode, void *data)
{
	struct owners_ctx *c = data;
	size_t i = slot_of(c, inode);

	(void)fd;
	if (c->slots[i].inode != inode || c->slots[i].last_pid == pid)
		return;
	c->slots[i].owned = true;
	c->slots[i].last_pid = pid;
	owners_tally_add(&c->tally[c->slots[i].target], pid, NULL, 0, 0);
}

void owners_name_service(int procfd, int pid, char *out, size_t size)
{
	char text[4096];
	struct tw_netns_owner o = { 0 };

	out[0] = '\0';
	proc_read_all(procfd, pid, "cgroup", text, sizeof(text));
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
	int procfd = -1, r;

	c.ntargets = owners_targets(f);
	if (c.ntargets == 0)
		return;
	slots_grow(&c);
	if (live_walk_sockets(TW_OWNERS_LIVE_STATES, force_proc, on_live_sock, walk_reset, &c,
			      &res, &err) < 0) {
		facts_note(f, "owners of the live connections not looked up: %s", err.msg);
		goto out;
	}
	procfd = open(proc, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	r = procfd < 0 ? -errno : proc_socket_fds(procfd, on_socket_fd, &c);
	if (r < 0) {
		facts_note(f, "owners of the live connections not looked up: %s: %s", proc,
			   strerror(-r));
		goto out;
	}
	for (size_t s = 0; s < c.nslots; s++)
		if (c.slots[s].inode && !c.slots[s].owned)
			f->owners[c.slots[s].target].unowned++;
	for (size_t t = 0; t < c.ntargets; t++) {
		struct tw_tuple_owners *o = &f->owners[t];

		owners_tally_finish(&c.tally[t], o);
		for (size_t i = 0; i < o->n; i++) {
			struct tw_owner *w = &o->v[i];

			proc_read_line(procfd, w->pid, "comm", w->comm, sizeof(w->comm));
			owners_name_service(procfd, w->pid, w->service, sizeof(w->service));
		}
	}
	if (geteuid() != 0)
		facts_note(f, "not root: only this user's processes were searched for the owners "
			      "of live connections");
out:
	if (procfd >= 0)
		close(procfd);
	for (size_t t = 0; t < TW_OWNERS_TUPLES; t++)
		owners_tally_free(&c.tally[t]);
	free(c.slots);
}
