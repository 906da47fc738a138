/* SPDX-License-Identifier: MIT */
/* parsers.h: pure parsers for the text twadvise reads.
 *
 * Each parser takes bytes (a whole file, or one line) and fills part of
 * the fact table; none of them opens files, so each is tested on captured
 * output and fuzzed. The same parsers serve the live host (/proc files) and
 * snapshots (copies of them). 'name' is the file name used in error
 * messages ("FILE:LINE: what is wrong"). All return 0 or a negative errno
 * with 'err' set; on failure the output may be partly filled and the
 * caller discards it. */
#ifndef TW_COLLECT_PARSERS_H
#define TW_COLLECT_PARSERS_H

#include <stddef.h>

#include "facts/facts.h"
#include "util/error.h"

/* `sysctl -a` output: "key = value" lines (also "key=value"); blank lines
 * and sysctl's own "sysctl: permission denied on key 'x'" / "reading key"
 * complaints are accepted (the key is then present but unreadable). A line
 * without '=' or with a malformed key is an error naming the line. */
int parse_sysctl_a(const char *buf, size_t len, const char *name,
		   struct tw_sysctls *out, struct tw_error *err);

/* One line of `ss -tan` (with or without header, any state filter, -H,
 * -o, -p), or of `netstat -tan[o]`. A TIME_WAIT line with a timer
 * (ss -o "timer:(timewait,59sec,0)", netstat -o "timewait (59.00/0/0)")
 * sets expires_known and expires_ms. Returns 1 and fills *ret for a socket line, 0 for
 * a line to skip (headers, "Active Internet connections", blank), or
 * -EINVAL for a malformed line (err names name:lineno). */
int parse_ss_line(const char *line, size_t len, const char *name, unsigned lineno,
		  struct tw_sock *ret, struct tw_error *err);

/* parse_ss_line() that also finds ss -p's process column: *users
 * points at "users:((" and runs to the end of the line (*users_len),
 * NULL when the line has none. 'users' may be NULL. */
int parse_ss_line_users(const char *line, size_t len, const char *name, unsigned lineno,
			struct tw_sock *ret, const char **users, size_t *users_len,
			struct tw_error *err);

/* parse_ss_line_users() in two steps, for a reader that splits lines on
 * one thread and finishes them on another (ss_reader.c): the state and
 * the local end of a socket line, with pointers to the rest, then its
 * socket. The two halves of the work are about even; they fail on the
 * same lines with the same messages as the one call. */
struct ss_line {
	unsigned lineno;
	uint8_t state;
	uint16_t lport;
	struct tw_addr local;
	const char *peer;           /* "ADDR:PORT" */
	size_t peer_len;
	const char *timer;          /* NULL: no TIME_WAIT timer field */
	size_t timer_len;
	const char *users;          /* NULL: no ss -p column */
	size_t users_len;
};

/* 1 and *ret for a socket line, 0 for a line to skip, or -EINVAL. */
int parse_ss_split(const char *line, size_t len, const char *name, unsigned lineno,
		   struct ss_line *ret, struct tw_error *err);
/* The socket of a line parse_ss_split() returned 1 for: 0 or -EINVAL. */
int parse_ss_sock(const struct ss_line *l, const char *name, struct tw_sock *ret,
		  struct tw_error *err);

/* ss -p's column 'users:(("comm",pid=N,fd=M),("comm2",pid=P,fd=Q))'
 * (text after the last ')' is ignored): calls 'each' once per entry, in
 * order, with the name (not NUL-terminated, may hold quotes, commas,
 * parentheses, spaces), pid and fd. A malformed or truncated column
 * calls 'each' for nothing and returns -EINVAL; otherwise the number of
 * entries. */
typedef void (*parse_ss_user_fn)(const char *comm, size_t comm_len, int pid, int fd,
				 void *data);
int parse_ss_users(const char *s, size_t n, parse_ss_user_fn each, void *data);

/* The time field of ss's "timer:(timewait,TIME,0)" as ss's
 * print_ms_timer() writes it ("", "1min", "59sec", "5.123sec", "123ms")
 * into milliseconds. 0 or -EINVAL. */
int parse_ss_timer_ms(const char *s, size_t n, uint32_t *ret);

/* /proc/net/sockstat ("TCP: inuse N orphan N tw N alloc N mem N") and
 * /proc/net/sockstat6 ("TCP6: inuse N"). */
int parse_sockstat(const char *buf, size_t len, const char *name,
		   struct tw_counters *out, struct tw_error *err);
int parse_sockstat6(const char *buf, size_t len, const char *name,
		    struct tw_counters *out, struct tw_error *err);
/* /proc/net/netstat or /proc/net/snmp: header/value line pairs; 'prefix'
 * selects the pair ("TcpExt" or "Tcp") and fills 'out' with every field. */
int parse_proc_net_pairs(const char *buf, size_t len, const char *name,
			 const char *prefix, struct tw_counter_list *out,
			 struct tw_error *err);

/* /proc/slabinfo (version 2.1): rows tw_sock_TCP, tw_sock_TCPv6,
 * tcp_bind_bucket; /proc/meminfo MemTotal; kernel log lines
 * "TCP established hash table entries: N" and "TCP bind hash table
 * entries: N" (the last boot's, when several). */
int parse_slabinfo(const char *buf, size_t len, const char *name,
		   struct tw_memory *out, struct tw_error *err);
int parse_meminfo(const char *buf, size_t len, const char *name,
		  struct tw_memory *out, struct tw_error *err);
int parse_dmesg(const char *buf, size_t len, const char *name,
		struct tw_memory *out, struct tw_error *err);

/* /proc/net/nf_conntrack or `conntrack -L`: counts entries, TCP entries
 * and TCP entries in TIME_WAIT, and the SNAT port use (out->nat) from
 * both tuples. */
int parse_nf_conntrack(const char *buf, size_t len, const char *name,
		       struct tw_conntrack *out, struct tw_error *err);
/* /proc/net/stat/nf_conntrack (hex, per CPU) or `conntrack -S`: sums the
 * per-CPU insert_failed, drop and early_drop. */
int parse_conntrack_stat(const char *buf, size_t len, const char *name,
			 struct tw_ct_stats *out, struct tw_error *err);

/* `nft -j list ruleset` (nft-ruleset.json): the masquerade and snat
 * statements, their narrowest port range and how many are fully-random.
 * Not JSON, no "nftables" array, or a statement with a malformed port:
 * -EINVAL. */
int parse_nft_ruleset(const char *buf, size_t len, const char *name, struct tw_nft_nat *out,
		      struct tw_error *err);

/* One line of /proc/net/tcp or /proc/net/tcp6 (hex addresses in host
 * byte order words, "st" column). Same return convention as
 * parse_ss_line; the header line returns 0. */
int parse_proc_net_tcp_line(const char *line, size_t len, int family, const char *name,
			    unsigned lineno, struct tw_sock *ret, struct tw_error *err);

/* meta.txt of a snapshot (doc/snapshot-format.md): lines "KEY VALUE",
 * keys hostname, captured_at, netns, kernel, twadvise_version,
 * in_container (yes|no); blank lines and '#' comments skipped, unknown
 * keys ignored (a later twadvise may add some). A line without a value,
 * a value with control characters or longer than 255 bytes, a repeated
 * key, an in_container that is not yes/no or a netns that is not a plain
 * name is an error naming the line. */
int parse_meta(const char *buf, size_t len, const char *name,
	       struct tw_snapshot_meta *out, struct tw_error *err);

#endif
