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

/* The service process 'pid' belongs to, as an operator names it: its
 * systemd unit, "docker NAME", "pod NAME"; "" when its cgroup names none.
 * 'procfd' is an open /proc. */
void owners_name_service(int procfd, int pid, char *out, size_t size);

#endif
