/* SPDX-License-Identifier: MIT */
/* live.h: facts about this host, or about a named network namespace.
 *
 * The live collector: kernel release, every sysctl, listening sockets
 * and every socket that holds a port (netlink sock_diag, or /proc/net/tcp when netlink is
 * unavailable), the /proc/net counters, memory (slabinfo, meminfo, page
 * size, boot-time hash sizes from the kernel log) and the conntrack table.
 * It never reads sysctl.d files (the caller does) and never writes. */
#ifndef TW_COLLECT_LIVE_H
#define TW_COLLECT_LIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "collect/sockdiag.h"
#include "facts/facts.h"
#include "util/error.h"

struct tw_live_opts {
	const char *root;           /* where /proc is: NULL or "/" normally, a fake tree in tests */
	const char *netns;          /* the --netns name, already entered by the caller, or NULL */
	double interval_s;          /* > 0: sample counters this far apart (max 3600) */
	bool force_proc_fallback;   /* read /proc/net/tcp even when netlink works */
	bool skip_sockets;          /* tests on a fake root: leave the socket facts unknown */
	/* The sysctls to read (engine_load gathers them); NULL or ->all:
	 * every one, as sysctl -a. */
	const struct tw_sysctl_keys *sysctl_keys;
};

/* Fills 'f' (initialised by the caller with facts_init) from the running
 * kernel, reading the files of the table of sources (sources.h) under
 * o->root; sockets always come from the kernel. The caller enters
 * o->netns first (cli_enter_netns). Unreadable or malformed optional
 * sources leave their facts unknown and add a note; an unreadable /proc,
 * kernel release or /proc/sys, or a failing socket source are errors. */
int collect_live(const struct tw_live_opts *o, struct tw_facts *f, struct tw_error *err);

/* The socket walk shared with capture.c: every TCP socket whose state is
 * in 'states' (SOCKDIAG_STATE bits), IPv4 then IPv6, through netlink or,
 * when that fails or force_proc is set, /proc/net/tcp{,6}. When the
 * kernel flags a dump as interrupted, 'reset' (may be NULL) is called and
 * the walk starts over, at most LIVE_DUMP_ATTEMPTS times in all; the last
 * attempt is then kept and ret->interrupted set. */
#define LIVE_DUMP_ATTEMPTS 5
struct live_walk_result {
	bool used_proc;          /* read /proc/net/tcp */
	char why[1024];          /* why netlink was not used */
	bool interrupted;        /* still inconsistent after all attempts */
};
int live_walk_sockets(uint32_t states, bool force_proc, sockdiag_cb cb,
		      void (*reset)(void *data), void *data,
		      struct live_walk_result *ret, struct tw_error *err);

/* Only the sockets of collect_live() (listeners, f->tw, the source and
 * its notes), in the current namespace, with the port range of the
 * sysctls already in 'f' (default range when absent): for benchmarks
 * that measure the socket walk alone (bench/walk.c). */
int live_collect_sockets(const struct tw_live_opts *o, struct tw_facts *f, struct tw_error *err);

/* Reads the kernel log (klogctl READ_ALL) with the "<N>" priority
 * prefixes removed, in dmesg's format. Caller frees *ret. -EPERM when
 * dmesg_restrict forbids it. */
/* Whether this is a container or a non-initial namespace (--netns
 * counts as one), as collect_live() records it; unknown when undecidable. */
void live_detect_container(const struct tw_live_opts *o, struct tw_opt *ret);

int live_read_kmsg(char **ret, size_t *ret_len, struct tw_error *err);

#endif
