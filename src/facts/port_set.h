/* SPDX-License-Identifier: MIT */
/* port_set.h: a set of TCP ports (0..65535) as a 8 KiB bitmap.
 *
 * Used for listening ports and for net.ipv4.ip_local_reserved_ports, whose
 * text form is a comma-separated list of ports and ranges ("8080,9000-9010"). */
#ifndef TW_FACTS_PORT_SET_H
#define TW_FACTS_PORT_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

struct tw_port_set {
	uint64_t bits[65536 / 64];
};

void port_set_clear(struct tw_port_set *s);
void port_set_add(struct tw_port_set *s, uint16_t port);
void port_set_add_range(struct tw_port_set *s, uint16_t lo, uint16_t hi);
bool port_set_has(const struct tw_port_set *s, uint16_t port);
/* Number of ports of 's' within [lo, hi]. */
size_t port_set_count_in(const struct tw_port_set *s, uint16_t lo, uint16_t hi);
size_t port_set_count(const struct tw_port_set *s);
void port_set_union(struct tw_port_set *dst, const struct tw_port_set *src);
/* Parses the ip_local_reserved_ports syntax; "" is the empty set.
 * 0, or -EINVAL on malformed text (then 's' is unspecified). */
int port_set_parse(const char *text, struct tw_port_set *s);
/* Appends the canonical text: ascending, ranges merged ("22,8080-8082"). */
void port_set_format(const struct tw_port_set *s, struct strbuf *out);

#endif
