/* SPDX-License-Identifier: MIT */
/* ctnetlink.c: the conntrack table through ctnetlink (see ctnetlink.h).
 *
 * One CT_GET dump (AF_UNSPEC: IPv4 and IPv6). Each entry carries nested
 * attributes: CTA_TUPLE_ORIG and CTA_TUPLE_REPLY, each with CTA_TUPLE_IP
 * (addresses) and CTA_TUPLE_PROTO (protocol and ports, network order),
 * and CTA_PROTOINFO/CTA_PROTOINFO_TCP/CTA_PROTOINFO_TCP_STATE for TCP
 * (include/uapi/linux/netfilter/nfnetlink_conntrack.h). Every attribute
 * is length-checked by libmnl before use. */
#include "collect/ctnetlink.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nf_conntrack_tcp.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "collect/nl_dump.h"
#include "util/xalloc.h"

#define CT_BUFSIZE (256u * 1024)

size_t ctnetlink_request(void *buf, uint32_t seq)
{
	struct nlmsghdr *nlh;
	struct nfgenmsg *g;

	memset(buf, 0, CTNETLINK_REQ_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = AF_UNSPEC;
	g->version = NFNETLINK_V0;
	g->res_id = 0;
	return nlh->nlmsg_len;
}

/* The nested attributes of 'nest' into tb[0..max]; -EBADMSG when one is
 * malformed. */
struct nest_tb {
	const struct nlattr **tb;
	unsigned max;
};

static int nest_cb(const struct nlattr *a, void *data)
{
	struct nest_tb *t = data;
	unsigned type = mnl_attr_get_type(a);

	if (mnl_attr_type_valid(a, (uint16_t)t->max) > 0)
		t->tb[type] = a;
	return MNL_CB_OK;
}

static int parse_nest(const struct nlattr *nest, const struct nlattr **tb, unsigned max)
{
	struct nest_tb t = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	return mnl_attr_parse_nested(nest, nest_cb, &t) == MNL_CB_ERROR ? -EBADMSG : 0;
}

/* One tuple: 0 when complete, 1 when a part is missing, -EBADMSG. */
static int parse_tuple(const struct nlattr *nest, uint8_t *proto, struct tw_addr *src,
		       struct tw_addr *dst, uint16_t *sport, uint16_t *dport)
{
	const struct nlattr *tt[CTA_TUPLE_MAX + 1], *ip[CTA_IP_MAX + 1], *pr[CTA_PROTO_MAX + 1];

	if (parse_nest(nest, tt, CTA_TUPLE_MAX) < 0)
		return -EBADMSG;
	if (!tt[CTA_TUPLE_IP] || !tt[CTA_TUPLE_PROTO])
		return 1;
	if (parse_nest(tt[CTA_TUPLE_IP], ip, CTA_IP_MAX) < 0 ||
	    parse_nest(tt[CTA_TUPLE_PROTO], pr, CTA_PROTO_MAX) < 0)
		return -EBADMSG;
	if (!pr[CTA_PROTO_NUM] || mnl_attr_validate(pr[CTA_PROTO_NUM], MNL_TYPE_U8) < 0)
		return -EBADMSG;
	*proto = mnl_attr_get_u8(pr[CTA_PROTO_NUM]);
	if (ip[CTA_IP_V4_SRC] && ip[CTA_IP_V4_DST]) {
		if (mnl_attr_get_payload_len(ip[CTA_IP_V4_SRC]) != 4 ||
		    mnl_attr_get_payload_len(ip[CTA_IP_V4_DST]) != 4)
			return -EBADMSG;
		tw_addr_from_raw(AF_INET, mnl_attr_get_payload(ip[CTA_IP_V4_SRC]), src);
		tw_addr_from_raw(AF_INET, mnl_attr_get_payload(ip[CTA_IP_V4_DST]), dst);
	} else if (ip[CTA_IP_V6_SRC] && ip[CTA_IP_V6_DST]) {
		if (mnl_attr_get_payload_len(ip[CTA_IP_V6_SRC]) != 16 ||
		    mnl_attr_get_payload_len(ip[CTA_IP_V6_DST]) != 16)
			return -EBADMSG;
		tw_addr_from_raw(AF_INET6, mnl_attr_get_payload(ip[CTA_IP_V6_SRC]), src);
		tw_addr_from_raw(AF_INET6, mnl_attr_get_payload(ip[CTA_IP_V6_DST]), dst);
	} else {
		return 1;
	}
	if (!pr[CTA_PROTO_SRC_PORT] || !pr[CTA_PROTO_DST_PORT])
		return 1;
	if (mnl_attr_validate(pr[CTA_PROTO_SRC_PORT], MNL_TYPE_U16) < 0 ||
	    mnl_attr_validate(pr[CTA_PROTO_DST_PORT], MNL_TYPE_U16) < 0)
		return -EBADMSG;
	*sport = ntohs(mnl_attr_get_u16(pr[CTA_PROTO_SRC_PORT]));
	*dport = ntohs(mnl_attr_get_u16(pr[CTA_PROTO_DST_PORT]));
	return 0;
}

static int parse_entry(const struct nlmsghdr *nlh, ctnetlink_cb cb, void *data,
		       struct tw_error *err)
{
	const struct nlattr *tb[CTA_MAX + 1];
	struct nest_tb t = { tb, CTA_MAX };
	struct tw_ct_entry e;
	uint8_t rproto = 0;
	int a, b;

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(struct nfgenmsg)))
		return tw_error_set(err, -EBADMSG, "ctnetlink: truncated entry");
	memset(tb, 0, sizeof(tb));
	if (mnl_attr_parse(nlh, sizeof(struct nfgenmsg), nest_cb, &t) == MNL_CB_ERROR)
		return tw_error_set(err, -EBADMSG, "ctnetlink: malformed attributes");
	memset(&e, 0, sizeof(e));
	if (!tb[CTA_TUPLE_ORIG])
		return tw_error_set(err, -EBADMSG, "ctnetlink: entry without its original tuple");
	a = parse_tuple(tb[CTA_TUPLE_ORIG], &e.l4proto, &e.orig_src, &e.orig_dst,
			&e.orig_sport, &e.orig_dport);
	b = tb[CTA_TUPLE_REPLY] ? parse_tuple(tb[CTA_TUPLE_REPLY], &rproto, &e.reply_src,
					      &e.reply_dst, &e.reply_sport, &e.reply_dport)
				: 1;
	if (a < 0 || b < 0)
		return tw_error_set(err, -EBADMSG, "ctnetlink: malformed tuple");
	e.tuples_known = a == 0 && b == 0;
	if (e.l4proto == IPPROTO_TCP && tb[CTA_PROTOINFO]) {
		const struct nlattr *pi[CTA_PROTOINFO_MAX + 1], *tcp[CTA_PROTOINFO_TCP_MAX + 1];

		if (parse_nest(tb[CTA_PROTOINFO], pi, CTA_PROTOINFO_MAX) < 0)
			return tw_error_set(err, -EBADMSG, "ctnetlink: malformed protoinfo");
		if (pi[CTA_PROTOINFO_TCP]) {
			if (parse_nest(pi[CTA_PROTOINFO_TCP], tcp, CTA_PROTOINFO_TCP_MAX) < 0)
				return tw_error_set(err, -EBADMSG, "ctnetlink: malformed TCP info");
			if (tcp[CTA_PROTOINFO_TCP_STATE] &&
			    mnl_attr_validate(tcp[CTA_PROTOINFO_TCP_STATE], MNL_TYPE_U8) == 0)
				e.time_wait = mnl_attr_get_u8(tcp[CTA_PROTOINFO_TCP_STATE]) ==
					      TCP_CONNTRACK_TIME_WAIT;
		}
	}
	return cb(&e, data);
}

int ctnetlink_parse(const void *buf, size_t len, ctnetlink_cb cb, void *data,
		    struct tw_error *err)
{
	const unsigned char *p = buf;
	unsigned flags = 0;

	while (len > 0) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)(const void *)p;
		size_t step;
		int r;

		if (len < sizeof(*nlh) || nlh->nlmsg_len < sizeof(*nlh) || nlh->nlmsg_len > len)
			return tw_error_set(err, -EBADMSG,
					    "ctnetlink: truncated netlink message (%zu bytes left)", len);
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			flags |= CTNETLINK_INTR;
		if (nlh->nlmsg_type == NLMSG_DONE) {
			flags |= CTNETLINK_DONE;
		} else if (nlh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e;

			if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
				return tw_error_set(err, -EBADMSG, "ctnetlink: truncated error message");
			e = mnl_nlmsg_get_payload(nlh);
			if (e->error > 0 || e->error < -4095)
				return tw_error_set(err, -EBADMSG, "ctnetlink: bad error code %d", e->error);
			if (e->error < 0)
				return tw_error_set(err, e->error, "ctnetlink: %s", strerror(-e->error));
		} else if (nlh->nlmsg_type == ((NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW)) {
			r = parse_entry(nlh, cb, data, err);
			if (r < 0)
				return r;
		} else if (nlh->nlmsg_type != NLMSG_NOOP) {
			return tw_error_set(err, -EBADMSG, "ctnetlink: unexpected message type %u",
					    (unsigned)nlh->nlmsg_type);
		}
		step = NLMSG_ALIGN(nlh->nlmsg_len);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return (int)flags;
}

struct read_state {
	struct tw_conntrack ct;
	struct tw_nat_agg *nat;
};

static int count_entry(const struct tw_ct_entry *e, void *data)
{
	struct read_state *s = data;

	s->ct.entries++;
	if (e->l4proto == IPPROTO_TCP) {
		s->ct.tcp_entries++;
		s->ct.tcp_time_wait += e->time_wait;
	}
	nat_agg_add(s->nat, e);
	return 0;
}

static int on_buffer(const void *buf, size_t len, void *data, struct tw_error *err)
{
	return ctnetlink_parse(buf, len, count_entry, data, err);
}

int ctnetlink_read(struct tw_conntrack *out, struct tw_error *err)
{
	unsigned char req[CTNETLINK_REQ_SIZE];
	struct read_state s;
	void *buf;
	int fd, r = -EAGAIN;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
	if (fd < 0)
		return tw_error_set(err, -errno, "ctnetlink socket: %s", strerror(errno));
	buf = tw_xmalloc(CT_BUFSIZE);
	/* A table that changes during the dump may list an entry twice or
	 * miss one; a few tries, then the last (approximate) dump stands. */
	for (uint32_t attempt = 1; attempt <= 3; attempt++) {
		memset(&s, 0, sizeof(s));
		s.nat = nat_agg_new();
		r = nl_dump(fd, req, ctnetlink_request(req, attempt), buf, CT_BUFSIZE, "ctnetlink",
			    on_buffer, &s, err);
		if (r < 0) {
			nat_agg_free(s.nat);
			break;
		}
		if (r == 0 || attempt == 3)
			break;
		nat_agg_free(s.nat);
	}
	close(fd);
	free(buf);
	if (r < 0)
		return r;
	out->table_known = true;
	out->entries = s.ct.entries;
	out->tcp_entries = s.ct.tcp_entries;
	out->tcp_time_wait = s.ct.tcp_time_wait;
	out->source = "netlink ctnetlink";
	nat_agg_finish(s.nat, &out->nat);
	return 0;
}

void ctnetlink_empty(struct tw_conntrack *out, const char *source)
{
	memset(out, 0, sizeof(*out));
	out->table_known = true;
	out->source = source;
	nat_agg_finish(nat_agg_new(), &out->nat);
}
