/* SPDX-License-Identifier: MIT */
/* parse_ss.c: one line of `ss -tan` or `netstat -tan` into a socket.
 *
 * Accepted shapes (fields separated by spaces or tabs):
 *   ss -tan[H][p]           STATE RECV-Q SEND-Q LOCAL:PORT PEER:PORT [PROCESS...]
 *   ss -an (Netid column)   tcp STATE RECV-Q SEND-Q LOCAL:PORT PEER:PORT [...]
 *   ss -tan state time-wait RECV-Q SEND-Q LOCAL:PORT PEER:PORT [...]
 *   netstat -tan[p]         tcp|tcp6 RECV-Q SEND-Q LOCAL:PORT FOREIGN:PORT STATE [...]
 * A line whose first field is a number has no State column: ss prints it
 * so only under a state filter, and the contract accepts only `state
 * time-wait`, so such sockets are TIME_WAIT. Addresses are IPv4, IPv6 in
 * brackets (ss) or bare (netstat), v4-mapped (normalised to IPv4), '*',
 * with an optional "%ifname" scope; the port is the text after the last
 * ':' ('*' is port 0). Headers, netstat's "Active ..." banner, other
 * protocols of ss's Netid column and of netstat's Proto column are skipped. */
#include "collect/parsers.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "collect/parse_text.h"
#include "util/parse_num.h"

#define SS_MAX_FIELDS 8

struct state_name {
	const char *name;
	uint8_t state;
};

/* ss spellings (misc/ss.c sstate_name[]) and older ss's "CLOSED". */
static const struct state_name ss_states[] = {
	{ "ESTAB", TW_TCP_ESTABLISHED },
	{ "SYN-SENT", TW_TCP_SYN_SENT },
	{ "SYN-RECV", TW_TCP_SYN_RECV },
	{ "FIN-WAIT-1", TW_TCP_FIN_WAIT1 },
	{ "FIN-WAIT-2", TW_TCP_FIN_WAIT2 },
	{ "TIME-WAIT", TW_TCP_TIME_WAIT },
	{ "UNCONN", TW_TCP_CLOSE },
	{ "CLOSE", TW_TCP_CLOSE },
	{ "CLOSED", TW_TCP_CLOSE },
	{ "CLOSE-WAIT", TW_TCP_CLOSE_WAIT },
	{ "LAST-ACK", TW_TCP_LAST_ACK },
	{ "LISTEN", TW_TCP_LISTEN },
	{ "CLOSING", TW_TCP_CLOSING },
	{ "NEW-SYN-RECV", TW_TCP_NEW_SYN_RECV },
};

/* net-tools spellings (netstat.c tcp_state[]). */
static const struct state_name netstat_states[] = {
	{ "ESTABLISHED", TW_TCP_ESTABLISHED },
	{ "SYN_SENT", TW_TCP_SYN_SENT },
	{ "SYN_RECV", TW_TCP_SYN_RECV },
	{ "FIN_WAIT1", TW_TCP_FIN_WAIT1 },
	{ "FIN_WAIT2", TW_TCP_FIN_WAIT2 },
	{ "TIME_WAIT", TW_TCP_TIME_WAIT },
	{ "CLOSE", TW_TCP_CLOSE },
	{ "CLOSE_WAIT", TW_TCP_CLOSE_WAIT },
	{ "LAST_ACK", TW_TCP_LAST_ACK },
	{ "LISTEN", TW_TCP_LISTEN },
	{ "CLOSING", TW_TCP_CLOSING },
};

/* ss's Netid values that are not TCP, and netstat's non-TCP protocols. */
static const char *const other_protocols[] = {
	"udp", "udp6", "udpl", "udpl6", "raw", "raw6", "unix", "u_str", "u_dgr",
	"u_seq", "nl", "p_raw", "p_dgr", "v_str", "v_dgr", "xdp", "sctp", "mptcp",
	"tipc", "icmp6", "dccp",
};

static int lookup_state(const struct text_field *f, const struct state_name *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (text_field_is(f, t[i].name))
			return t[i].state;
	return -1;
}

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static bool is_other_protocol(const struct text_field *f)
{
	for (size_t i = 0; i < ARRAY_SIZE(other_protocols); i++)
		if (text_field_is(f, other_protocols[i]))
			return true;
	return false;
}

static bool is_digit_field(const struct text_field *f)
{
	return f->n > 0 && f->s[0] >= '0' && f->s[0] <= '9';
}

static bool is_header(const struct text_field *f)
{
	static const char *const words[] = { "State", "Recv-Q", "Netid", "Proto", "Active" };

	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		if (text_field_is(f, words[i]))
			return true;
	return false;
}

/* "ADDR:PORT" with ADDR "1.2.3.4", "[::1]", "::1" (netstat), "*",
 * optionally followed by "%ifname". */
static int parse_endpoint(const struct text_field *f, struct tw_addr *addr, uint16_t *port)
{
	const char *colon = NULL, *pct;
	size_t an;
	uint64_t v;

	for (size_t i = f->n; i-- > 0;) {
		if (f->s[i] == ':') {
			colon = f->s + i;
			break;
		}
	}
	if (!colon || colon == f->s)
		return -EINVAL;
	if ((size_t)(f->s + f->n - colon - 1) == 1 && colon[1] == '*')
		v = 0;
	else if (tw_parse_u64n(colon + 1, (size_t)(f->s + f->n - colon - 1), 0, 65535, &v) < 0)
		return -EINVAL;
	an = (size_t)(colon - f->s);
	pct = memchr(f->s, '%', an);
	if (pct)
		an = (size_t)(pct - f->s);
	if (tw_addr_parse(f->s, an, addr) < 0)
		return -EINVAL;
	*port = (uint16_t)v;
	return 0;
}

static int parse_queue(const struct text_field *f)
{
	uint64_t v;

	return tw_parse_u64n(f->s, f->n, 0, UINT32_MAX, &v) < 0 ? -EINVAL : 0;
}

int parse_ss_line(const char *line, size_t len, const char *name, unsigned lineno,
		  struct tw_sock *ret, struct tw_error *err)
{
	struct text_field f[SS_MAX_FIELDS];
	const struct text_field *q, *ep;
	size_t nf;
	int state;

	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (text_is_binary(line, len))
		return tw_error_set(err, -EINVAL, "%s:%u: binary data", name, lineno);
	nf = text_split(line, len, f, SS_MAX_FIELDS);
	if (nf == 0 || is_header(&f[0]))
		return 0;

	if (is_digit_field(&f[0])) {
		/* ss under "state time-wait": no State column. */
		if (nf < 4)
			return tw_error_set(err, -EINVAL, "%s:%u: truncated line", name, lineno);
		state = TW_TCP_TIME_WAIT;
		q = &f[0];
		ep = &f[2];
	} else if (text_field_is(&f[0], "tcp") || text_field_is(&f[0], "tcp6")) {
		if (nf >= 2 && lookup_state(&f[1], ss_states, ARRAY_SIZE(ss_states)) >= 0) {
			/* ss with a Netid column */
			if (nf < 6)
				return tw_error_set(err, -EINVAL, "%s:%u: truncated line", name,
						    lineno);
			state = lookup_state(&f[1], ss_states, ARRAY_SIZE(ss_states));
			q = &f[2];
			ep = &f[4];
		} else {
			/* netstat */
			if (nf < 6)
				return tw_error_set(err, -EINVAL, "%s:%u: truncated line", name,
						    lineno);
			state = lookup_state(&f[5], netstat_states, ARRAY_SIZE(netstat_states));
			if (state < 0)
				return tw_error_set(err, -EINVAL, "%s:%u: unknown TCP state '%.*s'",
						    name, lineno, (int)(f[5].n > 32 ? 32 : f[5].n),
						    f[5].s);
			q = &f[1];
			ep = &f[3];
		}
	} else if (is_other_protocol(&f[0])) {
		return 0;
	} else {
		state = lookup_state(&f[0], ss_states, ARRAY_SIZE(ss_states));
		if (state < 0)
			return tw_error_set(err, -EINVAL, "%s:%u: unknown TCP state '%.*s'", name,
					    lineno, (int)(f[0].n > 32 ? 32 : f[0].n), f[0].s);
		if (nf < 5)
			return tw_error_set(err, -EINVAL, "%s:%u: truncated line", name, lineno);
		q = &f[1];
		ep = &f[3];
	}

	if (parse_queue(&q[0]) < 0 || parse_queue(&q[1]) < 0)
		return tw_error_set(err, -EINVAL, "%s:%u: bad Recv-Q/Send-Q", name, lineno);
	memset(ret, 0, sizeof(*ret));
	ret->state = (uint8_t)state;
	ret->inode_known = false;
	if (parse_endpoint(&ep[0], &ret->local, &ret->lport) < 0)
		return tw_error_set(err, -EINVAL, "%s:%u: bad local address:port '%.*s'", name,
				    lineno, (int)(ep[0].n > 64 ? 64 : ep[0].n), ep[0].s);
	if (parse_endpoint(&ep[1], &ret->remote, &ret->rport) < 0)
		return tw_error_set(err, -EINVAL, "%s:%u: bad peer address:port '%.*s'", name,
				    lineno, (int)(ep[1].n > 64 ? 64 : ep[1].n), ep[1].s);
	return 1;
}
