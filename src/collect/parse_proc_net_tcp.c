/* SPDX-License-Identifier: MIT */
/* parse_proc_net_tcp.c: one line of /proc/net/tcp or /proc/net/tcp6.
 *
 * The netlink fallback (see parsers.h for the contract). A line reads
 *   "  12: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000
 *    00000000     0        0 12345 1 ..."
 * Addresses are printed as 32-bit words in the host's byte order
 * ("%08X" of the in-memory word), so storing each parsed word back as a
 * host-order uint32 yields the network-order bytes; ports are plain hex
 * numbers. Field 4 ("st") is the state in hex: 06 TIME_WAIT, 0A LISTEN.
 * The inode is field 10, in decimal. Field 6 is "tr:when": for a
 * timewait socket tr is 3 and 'when' the time left, printed by
 * get_timewait4_sock()/get_timewait6_sock() as
 * jiffies_delta_to_clock_t(tw_timer.expires - jiffies) in "%08lX": clock
 * ticks of USER_HZ (sysconf(_SC_CLK_TCK), 100 on every architecture but
 * alpha), clamped at 0. */
#include "collect/parsers.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/parse_num.h"

/* Next whitespace-separated field of [*p, end). */
static bool next_field(const char **p, const char *end, const char **ret, size_t *ret_len)
{
	const char *s = *p;

	while (s < end && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
		s++;
	if (s == end)
		return false;
	*ret = s;
	while (s < end && !(*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
		s++;
	*ret_len = (size_t)(s - *ret);
	*p = s;
	return true;
}

/* Exactly 'n' hex digits (n <= 8). */
static int parse_hex32(const char *s, size_t n, uint32_t *ret)
{
	uint32_t v = 0;

	if (n == 0 || n > 8)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else
			return -EINVAL;
		v = (v << 4) | d;
	}
	*ret = v;
	return 0;
}

/* USER_HZ, the unit of /proc/net/tcp's timers. */
static unsigned long user_hz(void)
{
	static unsigned long hz;

	if (!hz) {
		long v = sysconf(_SC_CLK_TCK);

		hz = v > 0 ? (unsigned long)v : 100;
	}
	return hz;
}

/* "TR:WHEN": 2 hex digits, ':', up to 16 hex digits. */
static int parse_timer(const char *s, size_t n, uint32_t *tr, uint64_t *when)
{
	uint32_t hi, lo;

	if (n < 4 || s[2] != ':' || parse_hex32(s, 2, tr) < 0 || n - 3 > 16)
		return -EINVAL;
	if (n - 3 > 8) {
		if (parse_hex32(s + 3, n - 11, &hi) < 0 || parse_hex32(s + n - 8, 8, &lo) < 0)
			return -EINVAL;
		*when = ((uint64_t)hi << 32) | lo;
	} else {
		if (parse_hex32(s + 3, n - 3, &lo) < 0)
			return -EINVAL;
		*when = lo;
	}
	return 0;
}

/* "ADDR:PORT" with ADDR 8 (IPv4) or 32 (IPv6) hex digits. */
static int parse_endpoint(const char *s, size_t n, int family, struct tw_addr *addr,
			  uint16_t *port)
{
	size_t alen = family == AF_INET6 ? 32 : 8;
	uint8_t raw[16];
	uint32_t w;

	if (n != alen + 5 || s[alen] != ':')
		return -EINVAL;
	for (size_t i = 0; i < alen / 8; i++) {
		if (parse_hex32(s + 8 * i, 8, &w) < 0)
			return -EINVAL;
		memcpy(raw + 4 * i, &w, 4);
	}
	if (parse_hex32(s + alen + 1, 4, &w) < 0)
		return -EINVAL;
	tw_addr_from_raw(family, raw, addr);
	*port = (uint16_t)w;
	return 0;
}

int parse_proc_net_tcp_line(const char *line, size_t len, int family, const char *name,
			    unsigned lineno, struct tw_sock *ret, struct tw_error *err)
{
	const char *p = line, *end = line + len, *f;
	size_t flen;
	struct tw_sock s;
	uint32_t st, tr;
	uint64_t inode, when;

	if (family != AF_INET && family != AF_INET6)
		return tw_error_set(err, -EINVAL, "%s: unknown address family %d", name, family);
	if (!next_field(&p, end, &f, &flen))
		return 0;   /* blank line */
	if (flen == 2 && memcmp(f, "sl", 2) == 0)
		return 0;   /* header */
	if (flen < 2 || f[flen - 1] != ':')
		goto bad;
	memset(&s, 0, sizeof(s));
	/* Each field is taken in a statement of its own, then parsed. */
	if (!next_field(&p, end, &f, &flen))
		goto bad;
	if (parse_endpoint(f, flen, family, &s.local, &s.lport) < 0)
		goto bad;
	if (!next_field(&p, end, &f, &flen))
		goto bad;
	if (parse_endpoint(f, flen, family, &s.remote, &s.rport) < 0)
		goto bad;
	if (!next_field(&p, end, &f, &flen))
		goto bad;
	if (flen != 2 || parse_hex32(f, 2, &st) < 0 || st < TW_TCP_ESTABLISHED ||
	    st > TW_TCP_NEW_SYN_RECV)
		goto bad;
	s.state = (uint8_t)st;
	/* tx:rx queues, tr:tm->when, retrnsmt, uid, timeout, then the inode. */
	if (!next_field(&p, end, &f, &flen) || !next_field(&p, end, &f, &flen))
		goto bad;
	if (parse_timer(f, flen, &tr, &when) < 0)
		goto bad;
	if (tr == 3) {
		uint64_t ms = when > UINT32_MAX ? UINT32_MAX : when * 1000 / user_hz();

		s.expires_known = true;
		s.expires_ms = ms > UINT32_MAX ? UINT32_MAX : (uint32_t)ms;
	}
	for (int i = 0; i < 3; i++)
		if (!next_field(&p, end, &f, &flen))
			goto bad;
	if (!next_field(&p, end, &f, &flen))
		goto bad;
	if (tw_parse_u64n(f, flen, 0, UINT32_MAX, &inode) < 0)
		goto bad;
	s.inode_known = true;
	s.inode = (uint32_t)inode;
	*ret = s;
	return 1;
bad:
	return tw_error_set(err, -EINVAL, "%s:%u: malformed %s line", name, lineno,
			    family == AF_INET6 ? "tcp6" : "tcp");
}
