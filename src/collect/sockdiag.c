/* SPDX-License-Identifier: MIT */
/* sockdiag.c: the NETLINK_SOCK_DIAG dump of TCP sockets (see sockdiag.h).
 *
 * Request building, I/O and parsing are separate so that the parser can
 * run on recorded dumps. The parser trusts nothing: every nlmsg_len is
 * checked against what is left of the buffer and against the payload it
 * must carry, so a truncated or garbled recording gives -EBADMSG, never a
 * read past the end. Speed matters (a dump can hold millions of
 * TIME_WAIT sockets): one receive buffer, reused; one struct tw_sock on
 * the stack, filled and handed to the callback per message.
 *
 * The kernel fills at most one skb per recvmsg() for a dump, capped at
 * 32 KiB (net/netlink/af_netlink.c, max_recvmsg_len), so a 64 KiB buffer
 * never truncates and a larger one buys nothing. */
#include "collect/sockdiag.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "collect/nl_dump.h"
#include "util/xalloc.h"

#define SOCKDIAG_DEFAULT_BUFSIZE (64u * 1024u)

/* A zeroed dump request of 'type' in 'buf' (SOCKDIAG_REQ_SIZE bytes). */
static struct nlmsghdr *dump_header(void *buf, uint16_t type, uint32_t seq)
{
	struct nlmsghdr *nlh;

	memset(buf, 0, SOCKDIAG_REQ_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	return nlh;
}

size_t sockdiag_request(void *buf, int family, uint32_t states, uint32_t seq)
{
	struct nlmsghdr *nlh = dump_header(buf, SOCK_DIAG_BY_FAMILY, seq);
	struct inet_diag_req_v2 *req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));

	req->sdiag_family = (uint8_t)family;
	req->sdiag_protocol = IPPROTO_TCP;
	req->idiag_states = states;
	req->idiag_ext = 0;   /* no attributes: the smallest replies */
	return nlh->nlmsg_len;
}

size_t sockdiag_request_all(void *buf, uint32_t states, uint32_t seq)
{
	struct nlmsghdr *nlh = dump_header(buf, TCPDIAG_GETSOCK, seq);
	struct inet_diag_req *req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));

	req->idiag_family = AF_UNSPEC;   /* both (a dump ignores it since 3.3) */
	req->idiag_states = states;
	return nlh->nlmsg_len;
}

static int parse_one(const struct nlmsghdr *nlh, sockdiag_cb cb, void *data,
		     struct tw_error *err)
{
	const struct inet_diag_msg *m;
	struct tw_sock s;

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*m)))
		return tw_error_set(err, -EBADMSG,
				    "sock_diag: reply of %u bytes is shorter than inet_diag_msg",
				    (unsigned)nlh->nlmsg_len);
	m = mnl_nlmsg_get_payload(nlh);
	if (m->idiag_family != AF_INET && m->idiag_family != AF_INET6)
		return tw_error_set(err, -EBADMSG, "sock_diag: unexpected address family %u",
				    (unsigned)m->idiag_family);
	memset(&s, 0, sizeof(s));
	s.state = m->idiag_state;
	tw_addr_from_raw(m->idiag_family, m->id.idiag_src, &s.local);
	tw_addr_from_raw(m->idiag_family, m->id.idiag_dst, &s.remote);
	s.lport = ntohs(m->id.idiag_sport);
	s.rport = ntohs(m->id.idiag_dport);
	s.inode_known = true;
	s.inode = m->idiag_inode;
	/* A timewait socket always reports timer 3 and the milliseconds it
	 * has left (inet_twsk_diag_fill()); other timers are not ours. */
	if (m->idiag_timer == 3) {
		s.expires_known = true;
		s.expires_ms = m->idiag_expires;
	}
	return cb(&s, data);
}

int sockdiag_parse(const void *buf, size_t len, sockdiag_cb cb, void *data,
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
					    "sock_diag: truncated netlink message (%zu bytes left)", len);
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			flags |= SOCKDIAG_INTR;
		switch (nlh->nlmsg_type) {
		case NLMSG_DONE:
			flags |= SOCKDIAG_DONE;
			break;
		case NLMSG_ERROR: {
			const struct nlmsgerr *e;

			if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
				return tw_error_set(err, -EBADMSG, "sock_diag: truncated error message");
			e = mnl_nlmsg_get_payload(nlh);
			if (e->error == 0)   /* an acknowledgement */
				break;
			if (e->error > 0 || e->error < -4095)
				return tw_error_set(err, -EBADMSG, "sock_diag: bad error code %d", e->error);
			return tw_error_set(err, e->error, "sock_diag: %s", strerror(-e->error));
		}
		case NLMSG_NOOP:
			break;
		case SOCK_DIAG_BY_FAMILY:
		case TCPDIAG_GETSOCK:   /* replies to sockdiag_request_all() */
			r = parse_one(nlh, cb, data, err);
			if (r < 0)
				return r;
			break;
		default:
			return tw_error_set(err, -EBADMSG, "sock_diag: unexpected message type %u",
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

int sockdiag_open(struct sockdiag *sd, size_t bufsize, struct tw_error *err)
{

	memset(sd, 0, sizeof(*sd));
	sd->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (sd->fd < 0)
		return tw_error_set(err, -errno, "netlink sock_diag socket: %s", strerror(errno));
	sd->bufsize = bufsize ? bufsize : SOCKDIAG_DEFAULT_BUFSIZE;
	if (sd->bufsize < (size_t)MNL_SOCKET_BUFFER_SIZE)
		sd->bufsize = (size_t)MNL_SOCKET_BUFFER_SIZE;
	sd->buf = tw_xmalloc(sd->bufsize);
	sd->seq = 1;
	return 0;
}

void sockdiag_close(struct sockdiag *sd)
{
	if (sd->fd >= 0)
		close(sd->fd);
	free(sd->buf);
	sd->fd = -1;
	sd->buf = NULL;
}

struct dump_ctx {
	sockdiag_cb cb;
	void *data;
	sockdiag_raw_cb raw;
	void *rawdata;
};

static int on_buffer(const void *buf, size_t len, void *data, struct tw_error *err)
{
	const struct dump_ctx *c = data;

	if (c->raw) {
		int r = c->raw(buf, len, c->rawdata);

		if (r < 0)
			return tw_error_set(err, r, "netlink sock_diag: recording failed: %s",
					    strerror(-r));
	}
	return sockdiag_parse(buf, len, c->cb, c->data, err);
}

int sockdiag_dump(struct sockdiag *sd, int family, uint32_t states,
		  sockdiag_cb cb, void *data, sockdiag_raw_cb raw, void *rawdata,
		  struct tw_error *err)
{
	unsigned char req[SOCKDIAG_REQ_SIZE];
	size_t rlen = sockdiag_request(req, family, states, sd->seq++);
	struct dump_ctx c = { cb, data, raw, rawdata };

	return nl_dump(sd->fd, req, rlen, sd->buf, sd->bufsize, "netlink sock_diag", on_buffer, &c,
		       err);
}
