/* SPDX-License-Identifier: MIT */
/* json.c: --format json, the contract's document (twadvise.schema.json).
 *
 * Keys the contract names keep its meaning; additions are: time_wait
 * "known", "client", "server"; per finding "risk", "acknowledged",
 * "ack_reason"; per change "shadowed" (the boot assignments the winning
 * one overrides, "FILE:LINE = VALUE") and "overridden_by"; cost "summary"
 * and per item "unit" and "extra"; top-level "netns", "snapshot" and
 * "notes". The top level also carries "version" (twadvise's), "hostname"
 * and "generated_at" (RFC 3339 UTC; SOURCE_DATE_EPOCH, when set, replaces
 * the clock so that builds and tests are reproducible). Numbers: counts are integers; utilization is rounded to 4
 * decimals, cost values and shares keep 6 significant digits. Missing
 * strings the schema requires (evidence, rationale) are written as "". */
#include "render/render.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "render/json_writer.h"
#include "render/render_util.h"

static void write_strv(struct json_writer *w, char *const *v, size_t n)
{
	jw_array_begin(w);
	for (size_t i = 0; i < n; i++)
		jw_string(w, v[i] ? v[i] : "");
	jw_array_end(w);
}

/* "owners" of a client row, when looked up (live, collect/owners.c):
 * the processes holding its live connections, most first. */
static void write_owners(struct json_writer *w, const struct tw_tuple_owners *o)
{
	if (!o)
		return;
	jw_key(w, "live");
	jw_u64(w, o->live);
	jw_key(w, "owners");
	jw_array_begin(w);
	for (size_t i = 0; i < o->n; i++) {
		jw_object_begin(w);
		jw_key(w, "pid");
		jw_u64(w, (uint64_t)o->v[i].pid);
		jw_key(w, "command");
		jw_string(w, o->v[i].comm);
		jw_key(w, "service");
		if (o->v[i].service[0])
			jw_string(w, o->v[i].service);
		else
			jw_null(w);
		jw_key(w, "sockets");
		jw_u64(w, o->v[i].sockets);
		jw_object_end(w);
	}
	jw_array_end(w);
}

static void write_proc_name(struct json_writer *w, int pid, const char *comm, const char *service)
{
	jw_key(w, "pid");
	jw_u64(w, (uint64_t)pid);
	jw_key(w, "command");
	if (comm[0])
		jw_string(w, comm);
	else
		jw_null(w);
	jw_key(w, "service");
	if (service[0])
		jw_string(w, service);
	else
		jw_null(w);
}

/* "trace": what --trace counted (src/trace/), doc/json-format.md. */
static void write_trace(struct json_writer *w, const struct tw_trace *t)
{
	double secs = t->seconds > 0 ? t->seconds : 1;

	jw_object_begin(w);
	jw_key(w, "seconds");
	jw_double(w, t->seconds, 4);
	jw_key(w, "connects");
	jw_u64(w, t->connects);
	jw_key(w, "connects_per_s");
	jw_double(w, (double)t->connects / secs, 4);
	jw_key(w, "eaddrnotavail");
	jw_u64(w, t->eaddrnotavail);
	jw_key(w, "dropped");
	jw_u64(w, t->drops);
	jw_key(w, "destinations");
	jw_array_begin(w);
	for (size_t i = 0; i < t->ndest; i++) {
		const struct tw_trace_dest *d = &t->dest[i];
		char addr[TW_ADDR_STRLEN];

		tw_addr_format(&d->remote, addr);
		jw_object_begin(w);
		jw_key(w, "remote");
		jw_string(w, addr);
		jw_key(w, "remote_port");
		jw_u64(w, d->port);
		jw_key(w, "connects");
		jw_u64(w, d->connects);
		jw_key(w, "connects_per_s");
		jw_double(w, (double)d->connects / secs, 4);
		jw_key(w, "top_process");
		jw_object_begin(w);
		write_proc_name(w, d->pid, d->comm, d->service);
		jw_key(w, "connects");
		jw_u64(w, d->pid_connects);
		jw_object_end(w);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_key(w, "eaddrnotavail_processes");
	jw_array_begin(w);
	for (size_t i = 0; i < t->nproc; i++) {
		const struct tw_trace_proc *p = &t->proc[i];

		jw_object_begin(w);
		write_proc_name(w, p->pid, p->comm, p->service);
		jw_key(w, "connects");
		jw_u64(w, p->connects);
		jw_key(w, "eaddrnotavail");
		jw_u64(w, p->eaddrnotavail);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_object_end(w);
}

static void write_top(struct json_writer *w, const struct tw_report *r)
{
	size_t n = r->ntop < sizeof(r->top) / sizeof(r->top[0]) ? r->ntop
		: sizeof(r->top) / sizeof(r->top[0]);
	struct strbuf a = STRBUF_INIT;

	jw_array_begin(w);
	for (size_t i = 0; i < n; i++) {
		const struct tw_top_row *row = &r->top[i];
		bool server = row->tuple.side == TW_SIDE_SERVER;

		jw_object_begin(w);
		jw_key(w, "side");
		jw_string(w, server ? "server" : "client");
		jw_key(w, "local");
		sb_reset(&a);
		ru_addr(&row->tuple.local, &a);
		jw_string(w, sb_str(&a));
		jw_key(w, "remote");
		sb_reset(&a);
		ru_addr(&row->tuple.remote, &a);
		jw_string(w, sb_str(&a));
		jw_key(w, "remote_port");
		if (server)
			jw_null(w);
		else
			jw_u64(w, row->tuple.port);
		jw_key(w, "local_port");
		if (server)
			jw_u64(w, row->tuple.port);
		else
			jw_null(w);
		jw_key(w, "count");
		jw_u64(w, row->tuple.count);
		/* Sockets of every state holding a port of this tuple, and its
		 * TIME_WAIT sockets by age (10 s buckets, newest first). */
		jw_key(w, "held");
		jw_u64(w, row->tuple.held);
		jw_key(w, "ages");
		if (r->facts && r->facts->tw.ages_known) {
			jw_array_begin(w);
			for (size_t b = 0; b < TW_AGE_BUCKETS; b++)
				jw_u64(w, row->tuple.age[b]);
			jw_array_end(w);
		} else {
			jw_null(w);
		}
		jw_key(w, "utilization");
		if (row->utilization_known)
			jw_double(w, ru_round4(ru_capped_utilization(row->utilization)), 6);
		else
			jw_null(w);
		write_owners(w, facts_tuple_owners(r->facts, &row->tuple));
		jw_object_end(w);
	}
	jw_array_end(w);
	sb_free(&a);
}

/* "nat": the SNAT port use of a NAT gateway (doc/json-format.md). */
static void write_nat(struct json_writer *w, const struct tw_report *r)
{
	const struct tw_conntrack *ct = &r->facts->conntrack;
	const struct tw_nat_stats *n = &ct->nat;
	const struct tw_ct_stats *st = &r->facts->ct_stats;

	jw_object_begin(w);
	jw_key(w, "source");
	jw_string(w, ct->source);
	jw_key(w, "masqueraded");
	jw_u64(w, n->masqueraded);
	jw_key(w, "time_wait");
	jw_u64(w, n->masqueraded_time_wait);
	jw_key(w, "keys");
	jw_u64(w, n->keys);
	jw_key(w, "capped");
	jw_bool(w, n->capped);
	jw_key(w, "snat_ports");
	jw_u64(w, r->snat_ports);
	jw_key(w, "timeout_time_wait");
	jw_double(w, r->ct_tw_timeout_s, 6);
	jw_key(w, "rate_capacity");
	jw_double(w, r->ct_tw_timeout_s > 0 ? (double)r->snat_ports / r->ct_tw_timeout_s : 0, 4);
	jw_key(w, "insert_failed");
	if (st->known)
		jw_u64(w, st->insert_failed);
	else
		jw_null(w);
	jw_key(w, "drop");
	if (st->known)
		jw_u64(w, st->drop);
	else
		jw_null(w);
	jw_key(w, "top");
	jw_array_begin(w);
	for (size_t i = 0; i < n->ntop; i++) {
		const struct tw_nat_key *k = &n->top[i];
		char a[TW_ADDR_STRLEN];

		jw_object_begin(w);
		jw_key(w, "public");
		tw_addr_format(&k->public_addr, a);
		jw_string(w, a);
		jw_key(w, "remote");
		tw_addr_format(&k->dst, a);
		jw_string(w, a);
		jw_key(w, "remote_port");
		jw_u64(w, k->dport);
		jw_key(w, "held");
		jw_u64(w, k->count);
		jw_key(w, "time_wait");
		jw_u64(w, k->time_wait);
		jw_key(w, "utilization");
		jw_double(w, r->snat_ports ? (double)k->count / (double)r->snat_ports : 0, 4);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_object_end(w);
}

static void write_time_wait(struct json_writer *w, const struct tw_report *r)
{
	const struct tw_tw_stats *tw = r->facts ? &r->facts->tw : NULL;

	jw_object_begin(w);
	jw_key(w, "known");
	jw_bool(w, tw && tw->known);
	jw_key(w, "total");
	jw_u64(w, tw ? tw->total : 0);
	jw_key(w, "client");
	jw_u64(w, tw ? tw->client : 0);
	jw_key(w, "server");
	jw_u64(w, tw ? tw->server : 0);
	/* Unknown is null, never [0, 0] or 0 (the engine leaves 0..0 when
	 * the range could not be read). */
	jw_key(w, "port_range");
	if (r->port_low == 0 && r->port_high == 0) {
		jw_null(w);
	} else {
		jw_array_begin(w);
		jw_u64(w, r->port_low);
		jw_u64(w, r->port_high);
		jw_array_end(w);
	}
	jw_key(w, "ports_available");
	if (r->port_low == 0 && r->port_high == 0)
		jw_null(w);
	else
		jw_u64(w, r->ports_available);
	jw_key(w, "top");
	write_top(w, r);
	jw_object_end(w);
}

static void write_change(struct json_writer *w, const struct tw_change *c)
{
	jw_object_begin(w);
	jw_key(w, "sysctl");
	jw_string(w, c->sysctl ? c->sysctl : "");
	jw_key(w, "current");
	jw_string(w, c->current);
	jw_key(w, "recommended");
	jw_string(w, c->recommended ? c->recommended : "");
	jw_key(w, "persisted");
	if (c->persisted.known) {
		jw_object_begin(w);
		jw_key(w, "value");
		jw_string(w, c->persisted.value ? c->persisted.value : "");
		jw_key(w, "file");
		jw_string(w, c->persisted.file ? c->persisted.file : "/");
		jw_key(w, "line");
		jw_u64(w, c->persisted.line ? c->persisted.line : 1);
		jw_object_end(w);
	} else {
		jw_null(w);
	}
	jw_key(w, "shadowed");
	write_strv(w, c->persisted.shadowed, c->persisted.nshadowed);
	jw_key(w, "overridden_by");
	jw_string(w, c->overridden_by);
	jw_object_end(w);
}

static void write_finding(struct json_writer *w, const struct tw_finding *f)
{
	jw_object_begin(w);
	jw_key(w, "id");
	jw_string(w, f->id && f->id[0] ? f->id : "unnamed");
	jw_key(w, "severity");
	jw_string(w, severity_name(f->severity));
	jw_key(w, "title");
	jw_string(w, f->title && f->title[0] ? f->title : (f->id && f->id[0] ? f->id : "untitled"));
	jw_key(w, "evidence");
	jw_string(w, f->evidence ? f->evidence : "");
	jw_key(w, "rationale");
	jw_string(w, f->rationale ? f->rationale : "");
	jw_key(w, "risk");
	jw_string(w, f->risk);
	jw_key(w, "changes");
	jw_array_begin(w);
	for (size_t i = 0; i < f->nchanges; i++)
		write_change(w, &f->changes[i]);
	jw_array_end(w);
	jw_key(w, "actions");
	write_strv(w, f->actions, f->nactions);
	jw_key(w, "references");
	write_strv(w, f->references, f->nreferences);
	jw_key(w, "withheld");
	write_strv(w, f->withheld, f->nwithheld);
	jw_key(w, "acknowledged");
	jw_bool(w, f->acknowledged);
	jw_key(w, "ack_reason");
	jw_string(w, f->acknowledged ? f->ack_reason : NULL);
	jw_object_end(w);
}

static void write_cost(struct json_writer *w, const struct tw_cost *c)
{
	size_t n = c->n < TW_COST_MAX_ITEMS ? c->n : TW_COST_MAX_ITEMS;

	jw_object_begin(w);
	jw_key(w, "verdict");
	jw_string(w, cost_level_name(c->verdict));
	jw_key(w, "summary");
	jw_string(w, c->summary);
	jw_key(w, "items");
	jw_array_begin(w);
	for (size_t i = 0; i < n; i++) {
		const struct tw_cost_item *it = &c->items[i];

		jw_object_begin(w);
		jw_key(w, "name");
		jw_string(w, it->name ? it->name : "");
		jw_key(w, "value");
		jw_double(w, it->value, 6);
		jw_key(w, "limit");
		if (it->limit_known)
			jw_double(w, it->limit, 6);
		else
			jw_null(w);
		jw_key(w, "share");
		if (it->share_known)
			jw_double(w, it->share, 6);
		else
			jw_null(w);
		jw_key(w, "measured");
		jw_bool(w, it->measured);
		jw_key(w, "level");
		jw_string(w, cost_level_name(it->level));
		jw_key(w, "verdict");
		jw_string(w, it->verdict);
		jw_key(w, "unit");
		jw_string(w, it->unit);
		jw_key(w, "extra");
		if (it->extra_known && it->extra_name) {
			jw_object_begin(w);
			jw_key(w, "name");
			jw_string(w, it->extra_name);
			jw_key(w, "value");
			jw_double(w, it->extra, 6);
			jw_object_end(w);
		} else {
			jw_null(w);
		}
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_object_end(w);
}

/* The change plan: what sysctl_d writes, item by item, with its owner. */
static void write_plan(struct json_writer *w, const struct tw_plan *p)
{
	jw_array_begin(w);
	for (size_t i = 0; i < p->n; i++) {
		const struct tw_plan_item *it = &p->v[i];

		jw_object_begin(w);
		jw_key(w, "sysctl");
		jw_string(w, it->sysctl);
		jw_key(w, "value");
		jw_string(w, it->value);
		jw_key(w, "current");
		jw_string(w, it->current);
		jw_key(w, "finding");
		jw_string(w, it->finding_id);
		jw_key(w, "reason");
		jw_string(w, it->reason);
		jw_object_end(w);
	}
	jw_array_end(w);
}

/* "2026-12-02T01:00:00Z": now, or SOURCE_DATE_EPOCH when it holds a
 * valid number of seconds (reproducible-builds.org). */
static void generated_at(char *buf, size_t len)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t t = time(NULL);
	struct tm tm;

	if (sde && *sde) {
		char *end;
		long long v;

		errno = 0;
		v = strtoll(sde, &end, 10);
		if (errno == 0 && *end == '\0' && v >= 0 && v <= 253402300799LL)
			t = (time_t)v;
	}
	buf[0] = '\0';
	if (!gmtime_r(&t, &tm))
		return;
	if (strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		buf[0] = '\0';
}

/* The analysed host's name: this host's for a live analysis; for a
 * snapshot, the hostname of its meta.txt, or unknown (null). */
static const char *host_name(const struct tw_facts *f, char *buf, size_t len)
{
	if (f && f->hostname)
		return f->hostname;
	if (!f || f->source == TW_SOURCE_SNAPSHOT)
		return NULL;
	if (gethostname(buf, len) < 0)
		return NULL;
	buf[len - 1] = '\0';
	return buf;
}

/* --all-namespaces: which namespace a report is about. */
static void write_netns(struct json_writer *w, const struct tw_render_netns *ns)
{
	jw_object_begin(w);
	jw_key(w, "name");
	jw_string(w, ns->name);
	jw_key(w, "inode");
	jw_u64(w, ns->inode);
	jw_key(w, "dev");
	jw_u64(w, ns->dev);
	jw_key(w, "host");
	jw_bool(w, ns->host);
	jw_key(w, "run_name");
	jw_string(w, ns->run_name);
	jw_key(w, "pid");
	if (ns->pid > 0)
		jw_u64(w, (uint64_t)ns->pid);
	else
		jw_null(w);
	jw_key(w, "comm");
	jw_string(w, ns->comm);
	jw_key(w, "owner");
	jw_object_begin(w);
	jw_key(w, "kind");
	jw_string(w, ns->owner_kind);
	jw_key(w, "runtime");
	jw_string(w, ns->owner_runtime);
	jw_key(w, "id");
	jw_string(w, ns->owner_id);
	jw_key(w, "name");
	jw_string(w, ns->owner_name);
	jw_object_end(w);
	jw_object_end(w);
}

/* The keys of one report; 'ns' (may be NULL) replaces the "netns" string. */
static void write_report(struct json_writer *w, const struct tw_report *r,
			 const struct tw_render_netns *ns)
{
	char when[32], host[256];
	struct strbuf frag = STRBUF_INIT;
	const struct tw_facts *f = r->facts;

	jw_key(w, "twadvise");
	jw_u64(w, 1);   /* the format version: doc/json-format.md */
	jw_key(w, "version");
	jw_string(w, PACKAGE_VERSION);
	jw_key(w, "hostname");
	jw_string(w, host_name(f, host, sizeof(host)));
	jw_key(w, "generated_at");
	generated_at(when, sizeof(when));
	jw_string(w, when[0] ? when : NULL);
	jw_key(w, "source");
	jw_string(w, ru_source_kind(r));
	jw_key(w, "snapshot");
	jw_string(w, f && f->source == TW_SOURCE_SNAPSHOT ? f->snapshot_dir : NULL);
	jw_key(w, "netns");
	if (ns)
		write_netns(w, ns);
	else
		jw_string(w, f ? f->netns : NULL);
	jw_key(w, "kernel");
	jw_string(w, ru_kernel(r));
	jw_key(w, "profile");
	jw_string(w, ru_profile(r));
	jw_key(w, "profile_reason");
	jw_string(w, r->profile_reason);

	jw_key(w, "verdict");
	jw_string(w, cost_level_name(r->verdict));

	jw_key(w, "summary");
	jw_object_begin(w);
	jw_key(w, "critical");
	jw_u64(w, ru_count(r, TW_SEV_CRITICAL));
	jw_key(w, "warning");
	jw_u64(w, ru_count(r, TW_SEV_WARNING));
	jw_key(w, "info");
	jw_u64(w, ru_count(r, TW_SEV_INFO));
	jw_object_end(w);

	jw_key(w, "time_wait");
	write_time_wait(w, r);

	/* Only where the conntrack table was read, with both tuples, and
	 * holds source-NATed entries: a host that does not NAT has none. */
	if (f && f->conntrack.table_known && f->conntrack.nat.known &&
	    f->conntrack.nat.masqueraded > 0) {
		jw_key(w, "nat");
		write_nat(w, r);
	}
	if (f && f->trace.known) {
		jw_key(w, "trace");
		write_trace(w, &r->facts->trace);
	}

	jw_key(w, "findings");
	jw_array_begin(w);
	for (size_t i = 0; i < r->nfindings; i++)
		write_finding(w, &r->findings[i]);
	jw_array_end(w);

	if (r->cost_known) {
		jw_key(w, "cost");
		write_cost(w, &r->cost);
	}

	jw_key(w, "plan");
	write_plan(w, &r->plan);

	jw_key(w, "notes");
	write_strv(w, r->notes, r->nnotes);

	jw_key(w, "sysctl_d");
	jw_string(w, ru_fragment(r, &frag));
	sb_free(&frag);
}

void render_json(const struct tw_report *r, struct strbuf *out)
{
	struct json_writer w;

	jw_init(&w, out);
	jw_object_begin(&w);
	write_report(&w, r, NULL);
	jw_object_end(&w);
	sb_appendc(out, '\n');
}

void render_json_namespaces(const struct tw_namespace_report *v, size_t n, struct strbuf *out)
{
	struct json_writer w;

	jw_init(&w, out);
	jw_object_begin(&w);
	write_report(&w, v[0].report, NULL);
	jw_key(&w, "namespaces");
	jw_array_begin(&w);
	for (size_t i = 0; i < n; i++) {
		jw_object_begin(&w);
		if (v[i].report) {
			write_report(&w, v[i].report, &v[i].ns);
		} else {
			jw_key(&w, "netns");
			write_netns(&w, &v[i].ns);
			jw_key(&w, "error");
			jw_string(&w, v[i].error ? v[i].error : "not analysed");
		}
		jw_object_end(&w);
	}
	jw_array_end(&w);
	jw_object_end(&w);
	sb_appendc(out, '\n');
}
