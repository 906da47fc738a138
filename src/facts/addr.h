/* SPDX-License-Identifier: MIT */
/* addr.h: IPv4/IPv6 addresses as twadvise compares them.
 *
 * IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are normalised to IPv4 so
 * that the same peer seen through a dual-stack socket and a plain IPv4
 * socket counts as one tuple. */
#ifndef TW_FACTS_ADDR_H
#define TW_FACTS_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TW_ADDR_STRLEN 46  /* INET6_ADDRSTRLEN */

struct tw_addr {
	uint8_t family;   /* AF_INET or AF_INET6 */
	uint8_t a[16];    /* IPv4: first 4 bytes, rest zero */
};

/* Parses "10.0.0.1", "::1", "[::1]", "::ffff:10.0.0.1", "*" (wildcard,
 * returned as 0.0.0.0) and "fe80::1%eth0" (scope dropped) from the first
 * 'n' bytes of 's'. 0 on success, -EINVAL otherwise. */
int tw_addr_parse(const char *s, size_t n, struct tw_addr *ret);
/* Builds an address from raw network-order bytes; maps v4-mapped v6. */
void tw_addr_from_raw(int family, const void *raw, struct tw_addr *ret);
void tw_addr_format(const struct tw_addr *a, char buf[TW_ADDR_STRLEN]);
bool tw_addr_equal(const struct tw_addr *a, const struct tw_addr *b);
bool tw_addr_is_loopback(const struct tw_addr *a);

#endif
