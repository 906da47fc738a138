/* SPDX-License-Identifier: MIT */
/* ctnetlink.h: the conntrack table through NETLINK_NETFILTER (ctnetlink).
 *
 * As sockdiag.h: ctnetlink_request() builds the IPCTNL_MSG_CT_GET dump
 * request, ctnetlink_parse() is pure (walks a buffer of netlink messages
 * and calls back once per entry, so recorded dumps parse as live ones),
 * and ctnetlink_read() does the I/O and fills the conntrack facts, with
 * both tuples of every entry (the SNAT port use, facts/nat.h). Reading
 * the table needs CAP_NET_ADMIN in the network namespace. */
#ifndef TW_COLLECT_CTNETLINK_H
#define TW_COLLECT_CTNETLINK_H

#include <stddef.h>
#include <stdint.h>

#include "facts/facts.h"
#include "facts/nat.h"
#include "util/error.h"

/* Called once per entry; 'e' is valid during the call only. */
typedef int (*ctnetlink_cb)(const struct tw_ct_entry *e, void *data);

#define CTNETLINK_DONE 1u   /* NLMSG_DONE seen */
#define CTNETLINK_INTR 2u   /* NLM_F_DUMP_INTR seen: the table changed meanwhile */

/* Returns a combination of CTNETLINK_DONE and CTNETLINK_INTR, or a
 * negative errno (-EBADMSG for a malformed message, the kernel's error,
 * the callback's). */
int ctnetlink_parse(const void *buf, size_t len, ctnetlink_cb cb, void *data,
		    struct tw_error *err);

#define CTNETLINK_REQ_SIZE 64
size_t ctnetlink_request(void *buf, uint32_t seq);

/* Dumps the table of the current network namespace into *out (entries,
 * TCP entries, TIME_WAIT, NAT use; table_known and source set). 0, or a
 * negative errno (-EPERM without CAP_NET_ADMIN) with *out untouched. */
int ctnetlink_read(struct tw_conntrack *out, struct tw_error *err);

/* Fills *out as ctnetlink_read() does for a table with no entry, with
 * 'source' (a static string) saying how that is known. */
void ctnetlink_empty(struct tw_conntrack *out, const char *source);

#endif
