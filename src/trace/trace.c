/* SPDX-License-Identifier: MIT */
/* trace.c: the user-space half of --trace (trace.h): load trace.bpf.c
 * through its libbpf skeleton, attach, wait, detach, then read the maps
 * and keep the busiest destinations and the failing processes. */
#include "trace/trace.h"

#include <errno.h>
#include <string.h>

#ifndef HAVE_TRACE

bool trace_available(void)
{
	return false;
}

int trace_run(const struct tw_trace_opts *o, struct tw_facts *f, struct tw_error *err)
{
	(void)o;
	(void)f;
	return tw_error_set(err, -ENOTSUP, "--trace: twadvise was built without eBPF support "
			    "(libbpf); rebuild with libbpf-dev, bpftool and clang installed");
}

#else

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "collect/owners.h"
#include "util/lazy.h"
#include "trace.skel.h"

/* The map key of trace.bpf.c. */
struct conn_key {
	uint32_t tgid;
	uint16_t family;
	uint16_t dport;
	uint64_t cgroup;
	uint8_t daddr[16];
};

struct conn_row {
	struct conn_key k;
	uint64_t n;
};

bool trace_available(void)
{
	return true;
}

static int no_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

/* Why the program cannot run here, before libbpf tries (its errors say
 * less), or 0. */
static int check_host(struct tw_error *err)
{
	if (geteuid() != 0)
		return tw_error_set(err, -EPERM, "--trace needs root: it loads an eBPF program");
	if (access("/sys/kernel/btf/vmlinux", R_OK) < 0)
		return tw_error_set(err, -ENOTSUP, "--trace: this kernel has no BTF "
				    "(/sys/kernel/btf/vmlinux: %s; CONFIG_DEBUG_INFO_BTF)",
				    strerror(errno));
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_s(double secs)
{
	struct timespec ts;

	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Every row of the connects map; caller frees. */
static struct conn_row *read_connects(int fd, size_t *ret_n)
{
	struct conn_row *v = NULL;
	size_t n = 0, cap = 0;
	struct conn_key k, next;
	void *prev = NULL;

	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		uint64_t c;

		if (bpf_map_lookup_elem(fd, &next, &c) == 0) {
			if (n == cap) {
				cap = cap ? cap * 2 : 256;
				v = realloc(v, cap * sizeof(*v));
				if (!v)
					abort();
			}
			v[n].k = next;
			v[n].n = c;
			n++;
		}
		k = next;
		prev = &k;
	}
	*ret_n = n;
	return v;
}

static int dest_cmp(const struct conn_key *a, const struct conn_key *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if (a->dport != b->dport)
		return a->dport < b->dport ? -1 : 1;
	return memcmp(a->daddr, b->daddr, sizeof(a->daddr));
}

/* By destination, then tgid: the rows of one (destination, process) are
 * neighbours (one per cgroup the process was seen in). */
static int by_dest_tgid(const void *pa, const void *pb)
{
	const struct conn_row *a = pa, *b = pb;
	int c = dest_cmp(&a->k, &b->k);

	if (c)
		return c;
	return a->k.tgid < b->k.tgid ? -1 : a->k.tgid > b->k.tgid;
}

static void name_proc(int procfd, int comms_fd, int pid, char *comm, size_t commsz,
		      char *service, size_t servsz)
{
	char path[64], buf[16] = "";
	uint32_t key = (uint32_t)pid;
	ssize_t n;
	int fd;

	comm[0] = service[0] = '\0';
	snprintf(path, sizeof(path), "%d/comm", pid);
	fd = procfd >= 0 ? openat(procfd, path, O_RDONLY | O_CLOEXEC) : -1;
	if (fd >= 0) {
		n = read(fd, comm, commsz - 1);
		close(fd);
		comm[n > 0 ? n : 0] = '\0';
		comm[strcspn(comm, "\n")] = '\0';
		if (comm[0])
			owners_name_service(procfd, pid, service, servsz);
	}
	/* Ended meanwhile: the command the program recorded. */
	if (!comm[0] && bpf_map_lookup_elem(comms_fd, &key, buf) == 0)
		snprintf(comm, commsz, "%.*s", (int)sizeof(buf), buf);
}

static void insert_dest(struct tw_trace *t, const struct tw_trace_dest *d)
{
	size_t i = t->ndest < TW_TRACE_TOP ? t->ndest++ : TW_TRACE_TOP;

	if (i == TW_TRACE_TOP) {
		if (d->connects <= t->dest[TW_TRACE_TOP - 1].connects)
			return;
		i = TW_TRACE_TOP - 1;
	}
	while (i > 0 && t->dest[i - 1].connects < d->connects) {
		t->dest[i] = t->dest[i - 1];
		i--;
	}
	t->dest[i] = *d;
}

static void insert_proc(struct tw_trace *t, const struct tw_trace_proc *p)
{
	size_t i = t->nproc < TW_TRACE_TOP ? t->nproc++ : TW_TRACE_TOP;

	if (i == TW_TRACE_TOP) {
		if (p->eaddrnotavail <= t->proc[TW_TRACE_TOP - 1].eaddrnotavail)
			return;
		i = TW_TRACE_TOP - 1;
	}
	while (i > 0 && t->proc[i - 1].eaddrnotavail < p->eaddrnotavail) {
		t->proc[i] = t->proc[i - 1];
		i--;
	}
	t->proc[i] = *p;
}

static uint64_t connects_of(const struct conn_row *rows, size_t n, uint32_t tgid)
{
	uint64_t s = 0;

	for (size_t i = 0; i < n; i++)
		if (rows[i].k.tgid == tgid)
			s += rows[i].n;
	return s;
}

static void summarise(struct trace_bpf *skel, const char *proc, struct tw_trace *t)
{
	int cfd = bpf_map__fd(skel->maps.connects), efd = bpf_map__fd(skel->maps.eaddrnotavail);
	int comms_fd = bpf_map__fd(skel->maps.comms);
	int procfd = open(proc, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	uint32_t k0 = 0, tgid, next;
	uint32_t *prev = NULL;
	size_t n;
	struct conn_row *rows = read_connects(cfd, &n);

	bpf_map_lookup_elem(bpf_map__fd(skel->maps.drops), &k0, &t->drops);
	if (n > 1)
		qsort(rows, n, sizeof(*rows), by_dest_tgid);
	for (size_t i = 0; i < n;) {
		struct tw_trace_dest d = { 0 };
		size_t j = i;

		d.remote.family = 0;
		while (j < n && dest_cmp(&rows[j].k, &rows[i].k) == 0) {
			size_t p = j;
			uint64_t pc = 0;

			while (j < n && dest_cmp(&rows[j].k, &rows[i].k) == 0 &&
			       rows[j].k.tgid == rows[p].k.tgid)
				pc += rows[j++].n;
			d.connects += pc;
			if (pc > d.pid_connects) {
				d.pid_connects = pc;
				d.pid = (int)rows[p].k.tgid;
			}
		}
		tw_addr_from_raw(rows[i].k.family, rows[i].k.daddr, &d.remote);
		d.port = rows[i].k.dport;
		t->connects += d.connects;
		insert_dest(t, &d);
		i = j;
	}
	for (size_t i = 0; i < t->ndest; i++) {
		struct tw_trace_dest *d = &t->dest[i];

		name_proc(procfd, comms_fd, d->pid, d->comm, sizeof(d->comm), d->service,
			  sizeof(d->service));
	}
	while (bpf_map_get_next_key(efd, prev, &next) == 0) {
		struct tw_trace_proc p = { 0 };

		if (bpf_map_lookup_elem(efd, &next, &p.eaddrnotavail) == 0) {
			p.pid = (int)next;
			p.connects = connects_of(rows, n, next);
			t->eaddrnotavail += p.eaddrnotavail;
			insert_proc(t, &p);
		}
		tgid = next;
		prev = &tgid;
	}
	for (size_t i = 0; i < t->nproc; i++) {
		struct tw_trace_proc *p = &t->proc[i];

		name_proc(procfd, comms_fd, p->pid, p->comm, sizeof(p->comm), p->service,
			  sizeof(p->service));
	}
	if (procfd >= 0)
		close(procfd);
	free(rows);
}

int trace_run(const struct tw_trace_opts *o, struct tw_facts *f, struct tw_error *err)
{
	struct trace_bpf *skel = NULL;
	struct stat st;
	double t0, t1;
	int r;

	if (!(o->seconds >= TW_TRACE_MIN_S && o->seconds <= TW_TRACE_MAX_S))
		return tw_error_set(err, -EINVAL, "--trace: expected %d..%d seconds",
				    TW_TRACE_MIN_S, TW_TRACE_MAX_S);
	r = check_host(err);
	if (r < 0)
		return r;
	r = lazy_bpf_load(err);
	if (r < 0)
		return r;
	/* Count only in the namespace analysed (entered by the caller). */
	if (stat("/proc/self/ns/net", &st) < 0)
		return tw_error_set(err, -errno, "--trace: /proc/self/ns/net: %s", strerror(errno));
	libbpf_set_print(no_print);
	skel = trace_bpf__open();
	if (!skel)
		return tw_error_set(err, -errno, "--trace: cannot open the eBPF program: %s",
				    strerror(errno));
	skel->rodata->target_netns = (uint32_t)st.st_ino;
	r = trace_bpf__load(skel);
	if (r < 0) {
		r = tw_error_set(err, r, "--trace: the kernel refused the eBPF program (%s); "
				 "it needs BTF, CAP_BPF and CAP_PERFMON (root)", strerror(-r));
		goto out;
	}
	r = trace_bpf__attach(skel);
	if (r < 0) {
		r = tw_error_set(err, r, "--trace: cannot attach to the raw tracepoints "
				 "inet_sock_set_state and sys_exit (%s): the kernel needs BTF "
				 "(Linux 5.5, CONFIG_DEBUG_INFO_BTF)", strerror(-r));
		goto out;
	}
	t0 = now_s();
	if (o->on_attached)
		o->on_attached(o->seconds, o->data);
	sleep_s(o->seconds);
	trace_bpf__detach(skel);
	t1 = now_s();
	f->trace.known = true;
	f->trace.seconds = t1 - t0;
	summarise(skel, o->proc ? o->proc : "/proc", &f->trace);
	if (f->trace.drops)
		facts_note(f, "--trace: %llu events lost to full maps; the counts are low",
			   (unsigned long long)f->trace.drops);
	r = 0;
out:
	trace_bpf__destroy(skel);
	return r;
}

#endif
