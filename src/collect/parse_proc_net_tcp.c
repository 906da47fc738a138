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
 * The inode is field 10, in decimal. */
#include "collect/parsers.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

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
	uint32_t st;
	uint64_t inode;

	if (family != AF_INET && family != AF_INET6)
		return tw_error_set(err, -EINVAL, "%s: unknown address family %d", name, family);
	if (!next_field(&p, end, &f, &flen))
		return 0;   /* blank line */
	if (flen == 2 && memcmp(f, "sl", 2) == 0)
		return 0;   /* header */
	if (flen < 2 || f[flen - 1] != ':')
		goto bad;
	memset(&s, 0, sizeof(s));
	if (!next_field(&p, end, &f, &flen) ||
	    parse_endpoint(f, flen, family, &s.local, &s.lport) < 0)
		goto bad;
	if (!next_field(&p, end, &f, &flen) ||
	    parse_endpoint(f, flen, family, &s.remote, &s.rport) < 0)
		goto bad;
	if (!next_field(&p, end, &f, &flen) || flen != 2 || parse_hex32(f, 2, &st) < 0 ||
	    st < TW_TCP_ESTABLISHED || st > TW_TCP_NEW_SYN_RECV)
		goto bad;
	s.state = (uint8_t)st;
	/* tx:rx queues, tr:tm->when, retrnsmt, uid, timeout, then the inode. */
	for (int i = 0; i < 5; i++)
		if (!next_field(&p, end, &f, &flen))
			goto bad;
	if (!next_field(&p, end, &f, &flen) || tw_parse_u64n(f, flen, 0, UINT32_MAX, &inode) < 0)
		goto bad;
	s.inode_known = true;
	s.inode = (uint32_t)inode;
	*ret = s;
	return 1;
bad:
	return tw_error_set(err, -EINVAL, "%s:%u: malformed %s line", name, lineno,
			    family == AF_INET6 ? "tcp6" : "tcp");
}
