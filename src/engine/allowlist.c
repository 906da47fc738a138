/* SPDX-License-Identifier: MIT */
/* allowlist.c: the allow-list of TIME_WAIT-related sysctls (see
 * allowlist.h).
 *
 * "Per namespace" means the kernel keeps the value in struct net and
 * registers the key in each namespace's /proc/sys/net (ipv4_net_table,
 * the per-net conntrack table), so a write inside a namespace never moves
 * the host's value. On a kernel older than the version noted, such a key
 * was registered for the initial namespace only, so inside another
 * namespace the file does not exist and a write fails (ENOENT) instead of
 * reaching the host. tests/netns/allowlist.sh checks every per-namespace
 * entry on the running kernel: a write in a fresh namespace, the host's
 * value unchanged.
 *
 * Deliberately left out (read, never written):
 *   net.ipv4.ip_unprivileged_port_start  lowering it lets unprivileged
 *       programs bind privileged ports; twadvise only reads it to bound
 *       the port range.
 *   net.core.somaxconn, tcp_max_syn_backlog  listen backlogs, not
 *       TIME_WAIT.
 *   net.netfilter.nf_conntrack_buckets, net.nf_conntrack_max  the hash
 *       size is a boot/module choice and the second is an init-namespace
 *       alias of nf_conntrack_max; one spelling per knob.
 *   kernel.*, vm.*, fs.*  never: not networking, and some of them
 *       (kernel.core_pattern) run programs as root. */
#include "engine/allowlist.h"
#include "util/macros.h"

#include <string.h>

static const struct tw_allowed_key table[] = {
	/* Ephemeral ports per destination: the universal fix (more tuples).
	 * Per netns since 3.13 (net->ipv4.ip_local_ports). */
	{ "net.ipv4.ip_local_port_range", true, NULL,
	  "ephemeral port range: TIME_WAIT capacity per destination" },
	/* Keeps listening ports out of a widened range (invariant 3). Per
	 * netns (net->ipv4.sysctl_local_reserved_ports, ipv4_net_table). */
	{ "net.ipv4.ip_local_reserved_ports", true, NULL,
	  "keeps listening ports out of the ephemeral range" },
	/* Reuse of client-side TIME_WAIT ports. Per netns since 4.11. */
	{ "net.ipv4.tcp_tw_reuse", true, NULL,
	  "reuse of client TIME_WAIT ports for new connect()s" },
	/* Delay before such a reuse; the key exists from 6.14, per netns. */
	{ "net.ipv4.tcp_tw_reuse_delay", true, NULL,
	  "delay before a TIME_WAIT port may be reused" },
	/* Ceiling on TIME_WAIT sockets (overflow skips TIME_WAIT). Per netns
	 * since 4.11 (tcp_death_row moved into struct net). */
	{ "net.ipv4.tcp_max_tw_buckets", true, NULL,
	  "ceiling on TIME_WAIT sockets" },
	/* Lifetime of orphaned FIN_WAIT2 sockets, which become timewait
	 * mini-sockets and count in tw and tcp_max_tw_buckets. Per netns
	 * since 4.13. */
	{ "net.ipv4.tcp_fin_timeout", true, NULL,
	  "FIN_WAIT2 orphans, kept as timewait mini-sockets" },
	/* Needed by tw_reuse and PAWS. Per netns since 4.13. */
	{ "net.ipv4.tcp_timestamps", true, NULL,
	  "timestamps, needed by tcp_tw_reuse and PAWS" },
	/* RFC 1337 TIME_WAIT assassination. Per netns since 4.15. */
	{ "net.ipv4.tcp_rfc1337", true, NULL,
	  "protects TIME_WAIT sockets from RST assassination" },
	/* Invariant 1: only ever 0 (it drops NATed clients; removed in 4.12).
	 * Per netns only in 4.11; before, init namespace only (ENOENT in
	 * another namespace), after, gone. */
	{ "net.ipv4.tcp_tw_recycle", true, "0",
	  "may only be turned off (0)" },
	/* Conntrack table size: host-wide. A namespace sees it read-only
	 * (nf_conntrack_standalone.c sets mode 0444 outside init_net; still
	 * so on 6.18), so it is never written with --netns. */
	{ "net.netfilter.nf_conntrack_max", false, NULL,
	  "connection tracking table size (host-wide)" },
	/* Conntrack's own TIME_WAIT timeout: per netns (nf_tcp_net). */
	{ "net.netfilter.nf_conntrack_tcp_timeout_time_wait", true, NULL,
	  "connection tracking TIME_WAIT timeout" },
};

#define NTABLE ARRAY_SIZE(table)

bool allowlist_normalise(const char *key, char *buf, size_t len)
{
	size_t n;
	const char *sep;

	if (len)
		buf[0] = '\0';
	if (!key || !len)
		return false;
	while (*key == '/')
		key++;
	n = strlen(key);
	if (n == 0 || n >= len)
		return false;
	sep = strpbrk(key, "./");
	for (size_t i = 0; i <= n; i++) {
		char c = key[i];

		if (sep && *sep == '/' && (c == '/' || c == '.'))
			c = c == '/' ? '.' : '/';
		buf[i] = c;
	}
	return true;
}

const struct tw_allowed_key *allowlist_find(const char *key)
{
	char k[TW_ALLOWLIST_KEY_MAX];

	if (!allowlist_normalise(key, k, sizeof(k)))
		return NULL;
	for (size_t i = 0; i < NTABLE; i++)
		if (strcmp(table[i].key, k) == 0)
			return &table[i];
	return NULL;
}

bool allowlist_permits(const char *key, bool netns, const char **why)
{
	const struct tw_allowed_key *a = allowlist_find(key);

	if (!a) {
		if (why)
			*why = "not on twadvise's allow-list of TIME_WAIT-related sysctls "
			       "(see SECURITY in twadvise(8))";
		return false;
	}
	if (netns && !a->per_netns) {
		if (why)
			*why = "host-wide, not per network namespace; never written with --netns";
		return false;
	}
	return true;
}

bool allowlist_value_permitted(const char *key, const char *value, const char **why)
{
	const struct tw_allowed_key *a = allowlist_find(key);
	size_t len;

	if (!allowlist_permits(key, false, why))
		return false;
	if (!a->only_value)
		return true;
	if (value) {
		while (*value == ' ' || *value == '\t')
			value++;
		len = strlen(value);
		while (len && (value[len - 1] == ' ' || value[len - 1] == '\t'))
			len--;
		if (len == strlen(a->only_value) && strncmp(value, a->only_value, len) == 0)
			return true;
	}
	if (why)
		*why = "may only be set to 0 (it drops connections from clients behind NAT "
		       "and was removed in Linux 4.12)";
	return false;
}

size_t allowlist_count(void)
{
	return NTABLE;
}

const struct tw_allowed_key *allowlist_at(size_t i)
{
	return i < NTABLE ? &table[i] : NULL;
}
