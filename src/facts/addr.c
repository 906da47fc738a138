/* SPDX-License-Identifier: MIT */
/* addr.c: address parsing and normalisation (see addr.h). */
#include "facts/addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

static const uint8_t v4mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

void tw_addr_from_raw(int family, const void *raw, struct tw_addr *ret)
{
	memset(ret, 0, sizeof(*ret));
	if (family == AF_INET6 && memcmp(raw, v4mapped_prefix, 12) == 0) {
		ret->family = AF_INET;
		memcpy(ret->a, (const uint8_t *)raw + 12, 4);
	} else if (family == AF_INET6) {
		ret->family = AF_INET6;
		memcpy(ret->a, raw, 16);
	} else {
		ret->family = AF_INET;
		memcpy(ret->a, raw, 4);
	}
}

int tw_addr_parse(const char *s, size_t n, struct tw_addr *ret)
{
	char buf[TW_ADDR_STRLEN + 2];
	uint8_t raw[16];
	char *pct;

	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (strcmp(buf, "*") == 0) {
		memset(ret, 0, sizeof(*ret));
		ret->family = AF_INET;
		return 0;
	}
	pct = strchr(buf, '%');
	if (pct)
		*pct = '\0';
	if (inet_pton(AF_INET, buf, raw) == 1) {
		tw_addr_from_raw(AF_INET, raw, ret);
		return 0;
	}
	if (inet_pton(AF_INET6, buf, raw) == 1) {
		tw_addr_from_raw(AF_INET6, raw, ret);
		return 0;
	}
	return -EINVAL;
}

void tw_addr_format(const struct tw_addr *a, char buf[TW_ADDR_STRLEN])
{
	if (!inet_ntop(a->family == AF_INET6 ? AF_INET6 : AF_INET, a->a, buf, TW_ADDR_STRLEN))
		strcpy(buf, "?");
}

bool tw_addr_equal(const struct tw_addr *a, const struct tw_addr *b)
{
	return a->family == b->family && memcmp(a->a, b->a, 16) == 0;
}

bool tw_addr_is_loopback(const struct tw_addr *a)
{
	static const uint8_t v6lo[16] = { [15] = 1 };

	if (a->family == AF_INET)
		return a->a[0] == 127;
	return memcmp(a->a, v6lo, 16) == 0;
}
