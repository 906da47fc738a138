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
 * protocols of ss's Netid column and of netstat's Proto column are skipped.
 *
 * `ss -tano` adds "timer:(timewait,59sec,0)" after the addresses (and
 * after the process with -p): the time a TIME_WAIT socket has left, as
 * ss's print_ms_timer() prints milliseconds: "[Nmin][Nsec|N.NNNsec]" or
 * "NNNms" (older ss: "N.NNNms"), empty for 0.
 *
 * Speed (a busy host's listing has millions of lines): one pass over the
 * bytes of a line splits the fields and checks for binary data with a
 * class table; states are matched by length and first byte; addresses are
 * parsed in place (text_parse_addr), with no copy, strlen or inet_pton. */
#include "collect/parsers.h"
#include "util/macros.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "collect/parse_text.h"

#define SS_MAX_FIELDS 8

struct state_name {
	const char *name;
	uint8_t len;
	uint8_t state;
};

#define S(name, state) { name, (uint8_t)(sizeof(name) - 1), state }

/* ss spellings (misc/ss.c sstate_name[]) and older ss's "CLOSED";
 * TIME-WAIT first: it is most of a busy listing. */
static const struct state_name ss_states[] = {
	S("TIME-WAIT", TW_TCP_TIME_WAIT),
	S("ESTAB", TW_TCP_ESTABLISHED),
	S("SYN-SENT", TW_TCP_SYN_SENT),
	S("SYN-RECV", TW_TCP_SYN_RECV),
	S("FIN-WAIT-1", TW_TCP_FIN_WAIT1),
	S("FIN-WAIT-2", TW_TCP_FIN_WAIT2),
	S("UNCONN", TW_TCP_CLOSE),
	S("CLOSE", TW_TCP_CLOSE),
	S("CLOSED", TW_TCP_CLOSE),
	S("CLOSE-WAIT", TW_TCP_CLOSE_WAIT),
	S("LAST-ACK", TW_TCP_LAST_ACK),
	S("LISTEN", TW_TCP_LISTEN),
	S("CLOSING", TW_TCP_CLOSING),
	S("NEW-SYN-RECV", TW_TCP_NEW_SYN_RECV),
};

/* net-tools spellings (netstat.c tcp_state[]). */
static const struct state_name netstat_states[] = {
	S("TIME_WAIT", TW_TCP_TIME_WAIT),
	S("ESTABLISHED", TW_TCP_ESTABLISHED),
	S("SYN_SENT", TW_TCP_SYN_SENT),
	S("SYN_RECV", TW_TCP_SYN_RECV),
	S("FIN_WAIT1", TW_TCP_FIN_WAIT1),
	S("FIN_WAIT2", TW_TCP_FIN_WAIT2),
	S("CLOSE", TW_TCP_CLOSE),
	S("CLOSE_WAIT", TW_TCP_CLOSE_WAIT),
	S("LAST_ACK", TW_TCP_LAST_ACK),
	S("LISTEN", TW_TCP_LISTEN),
	S("CLOSING", TW_TCP_CLOSING),
};

/* ss's Netid values that are not TCP, netstat's non-TCP protocols, and
 * the first words of header lines. */
static const struct state_name skip_words[] = {
	S("udp", 0), S("udp6", 0), S("udpl", 0), S("udpl6", 0), S("raw", 0), S("raw6", 0),
	S("unix", 0), S("u_str", 0), S("u_dgr", 0), S("u_seq", 0), S("nl", 0), S("p_raw", 0),
	S("p_dgr", 0), S("v_str", 0), S("v_dgr", 0), S("xdp", 0), S("sctp", 0), S("mptcp", 0),
	S("tipc", 0), S("icmp6", 0), S("dccp", 0),
	S("State", 1), S("Recv-Q", 1), S("Netid", 1), S("Proto", 1), S("Active", 1),
};


static int lookup(const struct text_field *f, const struct state_name *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (f->n == t[i].len && f->s[0] == t[i].name[0] &&
		    memcmp(f->s, t[i].name, f->n) == 0)
			return t[i].state;
	return -1;
}

static bool field_is(const struct text_field *f, const char *w, size_t wn)
{
	return f->n == wn && memcmp(f->s, w, wn) == 0;
}

/* Word-at-a-time scanning (8 bytes per step): a listing is half padding
 * spaces. SWAR masks, exact per byte (no borrow across bytes): the high
 * bit of each byte of the result is set where the byte of 'w' is (not)
 * zero. */
#define ONES UINT64_C(0x0101010101010101)
#define HIGH UINT64_C(0x8080808080808080)
#define LOW7 UINT64_C(0x7f7f7f7f7f7f7f7f)

static inline uint64_t nonzero_bytes(uint64_t w)
{
	return (((w & LOW7) + LOW7) | w) & HIGH;
}

static inline uint64_t load8(const char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
	return w;
}

/* Index of the first flagged byte of a nonzero mask, in memory order. */
static inline unsigned first_byte(uint64_t m)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return (unsigned)__builtin_clzll(m) / 8;
#else
	return (unsigned)__builtin_ctzll(m) / 8;
#endif
}

/* True when the bytes may hold a control character or DEL (tab, CR,
 * ESC included): then the exact, byte-wise checks decide. */
static bool maybe_control(const char *s, size_t n)
{
	const char *p = s, *e = s + n;
	uint64_t acc = 0;

	if (n < 8) {
		for (; p < e; p++)
			acc |= (unsigned char)*p < 0x20 || *p == 0x7f;
		return acc != 0;
	}
	for (;; p += 8) {
		uint64_t w;

		if (p + 8 > e)
			p = e - 8;   /* the last word overlaps the one before */
		w = load8(p);
		/* bytes < 0x20 (exact for "any"), and bytes == 0x7f */
		acc |= (w - 0x20 * ONES) & ~w & HIGH;
		acc |= ~nonzero_bytes(w ^ (0x7f * ONES)) & HIGH;
		if (p + 8 == e)
			break;
	}
	return acc != 0;
}

/* Splits like text_split() (binary data already refused) and finds the
 * "timer:(" field among the fields after the first four. 'tabs': the
 * line may hold tabs (byte-wise path); otherwise only spaces separate
 * fields and runs are skipped a word at a time. Returns the number of
 * fields. */
static size_t split_line(const char *s, size_t n, bool tabs, struct text_field *f, size_t max,
			 struct text_field *timer, struct text_field *users)
{
	const char *p = s, *e = s + n;
	size_t count = 0;

	timer->s = NULL;
	timer->n = 0;
	users->s = NULL;
	users->n = 0;
	for (;;) {
		const char *start;

		if (tabs) {
			while (p < e && (*p == ' ' || *p == '\t'))
				p++;
		} else {
			while (p + 8 <= e) {
				uint64_t m = nonzero_bytes(load8(p) ^ (0x20 * ONES));

				if (m) {
					p += first_byte(m);
					goto field;
				}
				p += 8;
			}
			while (p < e && *p == ' ')
				p++;
		}
field:
		if (p == e)
			break;
		start = p;
		if (tabs) {
			while (p < e && *p != ' ' && *p != '\t')
				p++;
		} else {
			while (p + 8 <= e) {
				uint64_t m = ~nonzero_bytes(load8(p) ^ (0x20 * ONES)) & HIGH;

				if (m) {
					p += first_byte(m);
					goto done;
				}
				p += 8;
			}
			while (p < e && *p != ' ')
				p++;
		}
done:
		if (count < max) {
			f[count].s = start;
			f[count].n = (size_t)(p - start);
		}
		if (count >= 4 && !timer->s && p - start > 7 && *start == 't' &&
		    memcmp(start, "timer:(", 7) == 0) {
			timer->s = start;
			timer->n = (size_t)(p - start);
		}
		/* ss -p: the column runs to the end of the line (a command
		 * name may hold spaces); parse_ss_users() reads it. */
		if (count >= 4 && !users->s && p - start > 8 && *start == 'u' &&
		    memcmp(start, "users:((", 8) == 0) {
			users->s = start;
			users->n = (size_t)(e - start);
		}
		count++;
	}
	return count;
}

/* "ADDR:PORT" with ADDR "1.2.3.4", "[::1]", "::1" (netstat), "*",
 * optionally followed by "%ifname". */
static int parse_endpoint(const struct text_field *f, struct tw_addr *addr, uint16_t *port)
{
	const char *colon = NULL, *pct;
	size_t pn, an;
	uint32_t v;

	for (size_t i = f->n; i-- > 0;) {
		if (f->s[i] == ':') {
			colon = f->s + i;
			break;
		}
	}
	if (!colon || colon == f->s)
		return -EINVAL;
	pn = (size_t)(f->s + f->n - colon - 1);
	if (pn == 1 && colon[1] == '*')
		v = 0;
	else if (text_parse_u32(colon + 1, pn, 65535, &v) < 0)
		return -EINVAL;
	an = (size_t)(colon - f->s);
	if (text_parse_addr(f->s, an, addr) < 0) {
		/* "[fe80::1]%eth0": the scope after the bracket */
		pct = memchr(f->s, '%', an);
		if (!pct || text_parse_addr(f->s, (size_t)(pct - f->s), addr) < 0)
			return -EINVAL;
	}
	*port = (uint16_t)v;
	return 0;
}

static int parse_queue(const struct text_field *f)
{
	uint32_t v;

	if (f->n == 1)   /* almost always "0" */
		return f->s[0] >= '0' && f->s[0] <= '9' ? 0 : -EINVAL;
	return text_parse_u32(f->s, f->n, UINT32_MAX, &v);
}

/* Digits at *p (at most 9), advancing it. */
static int take_num(const char **p, const char *end, uint32_t *ret)
{
	const char *s = *p;

	while (*p < end && **p >= '0' && **p <= '9' && *p - s < 9)
		(*p)++;
	if (*p == s)
		return -EINVAL;
	return text_parse_u32(s, (size_t)(*p - s), UINT32_MAX, ret);
}

static bool take_word(const char **p, const char *end, const char *w, size_t wn)
{
	if ((size_t)(end - *p) < wn || memcmp(*p, w, wn) != 0)
		return false;
	*p += wn;
	return true;
}

/* The time of print_ms_timer(): "", "1min", "59sec", "5.123sec",
 * "5.123ms" (older ss), "123ms", in milliseconds. */
int parse_ss_timer_ms(const char *s, size_t n, uint32_t *ret)
{
	const char *p = s, *end = s + n;
	uint64_t ms = 0;
	bool saw_min = false, saw_sec = false;

	while (p < end) {
		uint32_t v, frac;

		if (take_num(&p, end, &v) < 0)
			return -EINVAL;
		if (!saw_min && !saw_sec && take_word(&p, end, "min", 3)) {
			ms += (uint64_t)v * 60000;
			saw_min = true;
		} else if (!saw_sec && take_word(&p, end, "sec", 3)) {
			ms += (uint64_t)v * 1000;
			saw_sec = true;
		} else if (!saw_sec && p < end && *p == '.') {
			const char *d = ++p;

			if (take_num(&p, end, &frac) < 0 || p - d != 3 ||
			    !(take_word(&p, end, "sec", 3) || take_word(&p, end, "ms", 2)))
				return -EINVAL;
			ms += (uint64_t)v * 1000 + frac;
			saw_sec = true;
		} else if (take_word(&p, end, "ms", 2) && p == end && v < 1000) {
			ms += v;
		} else {
			return -EINVAL;
		}
	}
	*ret = ms > UINT32_MAX ? UINT32_MAX : (uint32_t)ms;
	return 0;
}

/* "timer:(NAME,TIME,RETRANS)": for "timewait", the time left. 1 when
 * read, 0 for another timer, -EINVAL when malformed. */
static int parse_timer(const struct text_field *f, uint32_t *ret_ms)
{
	const char *p = f->s + 7, *end = f->s + f->n, *c1, *c2;

	if (f->s[0] == '(') {
		/* netstat's "(S.CC/RETRANS/PROBES)" */
		uint32_t sec, cs;

		p = f->s + 1;
		if (take_num(&p, end, &sec) < 0 || !take_word(&p, end, ".", 1) ||
		    take_num(&p, end, &cs) < 0 || cs > 99 || p == end || *p != '/')
			return -EINVAL;
		*ret_ms = sec > 4000000 ? UINT32_MAX : sec * 1000 + cs * 10;
		return 1;
	}

	/* netstat's field may be anything after "timewait" */
	if (f->n < 9 || memcmp(f->s, "timer:(", 7) != 0 || end[-1] != ')')
		return -EINVAL;
	end--;
	c1 = memchr(p, ',', (size_t)(end - p));
	if (!c1)
		return -EINVAL;
	c2 = memchr(c1 + 1, ',', (size_t)(end - c1 - 1));
	if (!c2)
		return -EINVAL;
	if ((size_t)(c1 - p) != 8 || memcmp(p, "timewait", 8) != 0)
		return 0;
	if (parse_ss_timer_ms(c1 + 1, (size_t)(c2 - c1 - 1), ret_ms) < 0)
		return -EINVAL;
	return 1;
}

int parse_ss_line(const char *line, size_t len, const char *name, unsigned lineno,
		  struct tw_sock *ret, struct tw_error *err)
{
	return parse_ss_line_users(line, len, name, lineno, ret, NULL, NULL, err);
}

int parse_ss_split(const char *line, size_t len, const char *name, unsigned lineno,
		   struct ss_line *ret, struct tw_error *err)
{
	struct text_field f[SS_MAX_FIELDS], timer, ucol;
	const struct text_field *q, *ep;
	size_t nf;
	bool tabs;
	int state;

	ret->users = NULL;
	ret->users_len = 0;
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	tabs = maybe_control(line, len);
	if (tabs && text_is_binary(line, len))
		return tw_error_set(err, -EINVAL, "%s:%u: binary data", name, lineno);
	nf = split_line(line, len, tabs, f, SS_MAX_FIELDS, &timer, &ucol);
	ret->users = ucol.s;
	ret->users_len = ucol.n;
	if (nf == 0)
		return 0;

	if (f[0].s[0] >= '0' && f[0].s[0] <= '9') {
		/* ss under "state time-wait": no State column. */
		if (nf < 4)
			return tw_error_set(err, -EINVAL, "%s:%u: truncated line", name, lineno);
		state = TW_TCP_TIME_WAIT;
		q = &f[0];
		ep = &f[2];
	} else if ((state = lookup(&f[0], ss_states, ARRAY_SIZE(ss_states))) >= 0) {
		if (nf < 5)
			return tw_error_set(err, -EINVAL, "%s:%u: truncated line", name, lineno);
		q = &f[1];
		ep = &f[3];
	} else if (field_is(&f[0], "tcp", 3) || field_is(&f[0], "tcp6", 4)) {
		if (nf < 6)
			return tw_error_set(err, -EINVAL, "%s:%u: truncated line", name, lineno);
		state = lookup(&f[1], ss_states, ARRAY_SIZE(ss_states));
		if (state >= 0) {
			/* ss with a Netid column */
			q = &f[2];
			ep = &f[4];
		} else {
			/* netstat */
			state = lookup(&f[5], netstat_states, ARRAY_SIZE(netstat_states));
			if (state < 0)
				return tw_error_set(err, -EINVAL, "%s:%u: unknown TCP state '%.*s'",
						    name, lineno, (int)(f[5].n > 32 ? 32 : f[5].n),
						    f[5].s);
			q = &f[1];
			ep = &f[3];
			/* netstat -o: "timewait (58.93/0/0)", seconds left. */
			if (nf >= 8 && field_is(&f[6], "timewait", 8))
				timer = f[7];
		}
	} else if (lookup(&f[0], skip_words, ARRAY_SIZE(skip_words)) >= 0) {
		return 0;   /* another protocol, or a header */
	} else {
		return tw_error_set(err, -EINVAL, "%s:%u: unknown TCP state '%.*s'", name,
				    lineno, (int)(f[0].n > 32 ? 32 : f[0].n), f[0].s);
	}

	if (parse_queue(&q[0]) < 0 || parse_queue(&q[1]) < 0)
		return tw_error_set(err, -EINVAL, "%s:%u: bad Recv-Q/Send-Q", name, lineno);
	if (parse_endpoint(&ep[0], &ret->local, &ret->lport) < 0)
		return tw_error_set(err, -EINVAL, "%s:%u: bad local address:port '%.*s'", name,
				    lineno, (int)(ep[0].n > 64 ? 64 : ep[0].n), ep[0].s);
	ret->lineno = lineno;
	ret->state = (uint8_t)state;
	ret->peer = ep[1].s;
	ret->peer_len = ep[1].n;
	ret->timer = state == TW_TCP_TIME_WAIT ? timer.s : NULL;
	ret->timer_len = timer.n;
	return 1;
}

int parse_ss_sock(const struct ss_line *l, const char *name, struct tw_sock *ret,
		  struct tw_error *err)
{
	const struct text_field peer = { l->peer, l->peer_len };
	unsigned lineno = l->lineno;

	memset(ret, 0, sizeof(*ret));
	ret->state = l->state;
	ret->local = l->local;
	ret->lport = l->lport;
	if (parse_endpoint(&peer, &ret->remote, &ret->rport) < 0)
		return tw_error_set(err, -EINVAL, "%s:%u: bad peer address:port '%.*s'", name,
				    lineno, (int)(peer.n > 64 ? 64 : peer.n), peer.s);
	if (l->timer) {
		const struct text_field timer = { l->timer, l->timer_len };
		int r = parse_timer(&timer, &ret->expires_ms);

		if (r < 0)
			return tw_error_set(err, -EINVAL, "%s:%u: bad timer '%.*s'", name, lineno,
					    (int)(timer.n > 64 ? 64 : timer.n), timer.s);
		ret->expires_known = r == 1;
	}
	return 0;
}

int parse_ss_line_users(const char *line, size_t len, const char *name, unsigned lineno,
			struct tw_sock *ret, const char **users, size_t *users_len,
			struct tw_error *err)
{
	struct ss_line l;
	int r = parse_ss_split(line, len, name, lineno, &l, err);

	if (users) {
		*users = l.users;
		*users_len = l.users_len;
	}
	if (r <= 0)
		return r;
	r = parse_ss_sock(&l, name, ret, err);
	return r < 0 ? r : 1;
}

/* ---- ss -p: users:(("comm",pid=N,fd=M),...) ------------------------------ */

/* ss prints each process as ("%s",pid=%d,fd=%d) with the name as is:
 * quotes, commas, parentheses and spaces may be part of it. A name ends
 * at the first '",pid=' after which the rest of an entry reads well;
 * names are at most SS_COMM_MAX bytes (the kernel's are 15). */
#define SS_COMM_MAX 64

/* PID_MAX_LIMIT (include/linux/threads.h): no pid is larger. */
#define SS_PID_MAX 4194304u

/* "pid=N,fd=M" then ')' or ",EXTRA)" (ss -Z adds contexts); *p past ')'. */
static bool take_pid_fd(const char **p, const char *end, uint32_t *pid, uint32_t *fd)
{
	if (!take_word(p, end, "pid=", 4) || take_num(p, end, pid) < 0 || *pid == 0 ||
	    *pid > SS_PID_MAX ||
	    !take_word(p, end, ",fd=", 4) || take_num(p, end, fd) < 0 || *p == end)
		return false;
	if (**p == ',') {
		const char *close = memchr(*p, ')', (size_t)(end - *p));

		if (!close)
			return false;
		*p = close;
	}
	return take_word(p, end, ")", 1);
}

/* One pass; 'each' NULL only checks. Returns the number of entries or
 * -EINVAL. */
static int users_pass(const char *s, size_t n, parse_ss_user_fn each, void *data)
{
	const char *p = s, *end = s + n;
	int count = 0;

	if (!take_word(&p, end, "users:(", 7))
		return -EINVAL;
	for (;;) {
		const char *comm = p + 2, *q = NULL;
		uint32_t pid = 0, fd = 0;

		if (!take_word(&p, end, "(\"", 2))
			return -EINVAL;
		for (const char *k = comm; k + 6 <= end && k - comm <= SS_COMM_MAX; k++) {
			const char *t = k + 2;

			if (memcmp(k, "\",pid=", 6) != 0 || !take_pid_fd(&t, end, &pid, &fd))
				continue;
			/* what follows the entry must be the next one or the end */
			if (t < end && (*t == ')' || (t + 2 < end && t[0] == ',' && t[1] == '(' &&
						       t[2] == '"'))) {
				q = k;
				p = t;
				break;
			}
		}
		if (!q)
			return -EINVAL;
		if (each)
			each(comm, (size_t)(q - comm), (int)pid, (int)fd, data);
		count++;
		if (*p == ')')
			return count;
		p++;   /* ',' */
	}
}

int parse_ss_users(const char *s, size_t n, parse_ss_user_fn each, void *data)
{
	int r = users_pass(s, n, NULL, NULL);

	if (r < 0 || !each)
		return r;
	return users_pass(s, n, each, data);
}
