/* SPDX-License-Identifier: MIT */
/* trace.h: --trace SECONDS, connect() attempts and EADDRNOTAVAIL failures
 * counted by an eBPF program (trace.bpf.c) in the current network
 * namespace, into f->trace.
 *
 * Optional at build time (configure --enable-trace): without libbpf,
 * trace_run() fails with a message saying so. */
#ifndef TW_TRACE_TRACE_H
#define TW_TRACE_TRACE_H

#include <stdbool.h>

#include "facts/facts.h"
#include "util/error.h"

#define TW_TRACE_MIN_S 1
#define TW_TRACE_MAX_S 600

struct tw_trace_opts {
	double seconds;             /* TW_TRACE_MIN_S..TW_TRACE_MAX_S */
	const char *proc;           /* "/proc": where processes are named from */
	/* Called once the program is attached, before the wait (may be NULL):
	 * the caller says "tracing" so that a test can start its workload. */
	void (*on_attached)(double seconds, void *data);
	void *data;
};

/* Whether this build has --trace. */
bool trace_available(void);

/* Loads and attaches the program, counts for o->seconds in the network
 * namespace the process is in, and fills f->trace. Needs root, BTF
 * (/sys/kernel/btf/vmlinux), no tracefs; fails with a message naming
 * what is missing. Nothing is left attached on return. */
int trace_run(const struct tw_trace_opts *o, struct tw_facts *f, struct tw_error *err);

#endif
