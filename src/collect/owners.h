/* SPDX-License-Identifier: MIT */
/* owners.h: which processes own the live connections toward the busiest
 * client destinations ("who makes the churn").
 *
 * TIME_WAIT sockets belong to no process any more, so the likely source
 * of a destination's churn is whoever holds its live connections now
 * (ESTABLISHED, SYN-SENT, ...). One socket walk of those states finds
 * their inodes; one pass over /proc/PID/fd maps the inodes to processes
 * (as `ss -p` does, but once per run, not once per socket); each process
 * is then named by its systemd unit, container or pod (from its cgroup),
 * else by its command. Only the top TW_OWNERS_TUPLES client destinations
 * are looked up, and only when they have live connections. */
#ifndef TW_COLLECT_OWNERS_H
#define TW_COLLECT_OWNERS_H

#include <stdbool.h>
#include <stddef.h>

#include "facts/facts.h"
#include "util/error.h"

/* Fills f->owners[i] for the first TW_OWNERS_TUPLES of f->tw.top_client
 * from the running kernel and the processes under 'proc' ("/proc").
 * Sockets come from the same walk as the collector (force_proc: read
 * /proc/net/tcp). Never fails the run: trouble (not root, a process that
 * ends meanwhile) leaves owners unknown or partial, with a note. */
void owners_collect(struct tw_facts *f, const char *proc, bool force_proc);

/* The live states whose owners are looked up: those that hold a port,
 * but TIME_WAIT (owned by no process). */
#define TW_OWNERS_LIVE_STATES (TW_HOLD_STATES & ~TW_STATE_BIT(TW_TCP_TIME_WAIT))

/* How many of f->tw.top_client are looked up: up to the last of the first
 * TW_OWNERS_TUPLES that has live connections (held > count). */
size_t owners_targets(const struct tw_facts *f);
/* Which of the first 'ntargets' client destinations socket 's' (in a live
 * state) goes to, by its ends; -1 for none. */
int owners_target_of(const struct tw_facts *f, size_t ntargets, const struct tw_sock *s);

/* Processes toward one destination, counted: one entry per distinct
 * process, so its size is the number of owners, not of sockets, and at
 * most TW_OWNERS_TALLY_MAX (a process past it is not counted; 'dropped'
 * says how many sockets were left out). Processes are found through a
 * hash of their pids. Shared by the live lookup and snapshots (ss -p's
 * column). */
#define TW_OWNERS_TALLY_MAX 65536
struct owners_count {
	int pid;
	uint64_t sockets;
	uint64_t last_sock;     /* the last socket counted for it (owners_tally_add) */
	char comm[32];          /* from ss -p; "" when read later from /proc */
};
struct owners_tally {
	struct owners_count *v;
	size_t n, cap;
	uint32_t *hash;         /* 1 + index in v, 0: empty; nhash a power of two */
	size_t nhash;
	uint64_t dropped;
};
/* One more socket of 'pid' ('comm' may be NULL). 'sock': a nonzero id
 * of the socket counts it once per process however often it is given
 * for that process (a socket under several descriptors); 0: count each
 * call. */
void owners_tally_add(struct owners_tally *t, int pid, const char *comm, size_t comm_len,
		      uint64_t sock);
/* Frees what 't' holds, whether finished or not. */
void owners_tally_free(struct owners_tally *t);
/* Into 'o' (known, most sockets first, then pid, at most TW_OWNERS_MAX,
 * comm copied); empties 't'. o->live and o->unowned are the caller's. */
void owners_tally_finish(struct owners_tally *t, struct tw_tuple_owners *o);

/* The service process 'pid' belongs to, as an operator names it: its
 * systemd unit, "docker NAME", "pod NAME"; "" when its cgroup names none.
 * 'procfd' is an open /proc. */
void owners_name_service(int procfd, int pid, char *out, size_t size);

#endif
