/* SPDX-License-Identifier: MIT */
/* trace.bpf.c: the kernel half of --trace (trace.c loads it).
 *
 * Counts, in one network namespace, connect() attempts per (tgid, cgroup,
 * destination) from sock:inet_sock_set_state transitions to TCP_SYN_SENT
 * (tcp_v4_connect/tcp_v6_connect set SYN_SENT before picking the local
 * port, so a connect() that then fails with EADDRNOTAVAIL counts too), and
 * connect() calls that returned -EADDRNOTAVAIL per tgid from
 * syscalls:sys_exit_connect. Maps are bounded; an update that finds a map
 * full is counted in 'drops' so user space can say the counts are low. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#define TW_AF_INET 2
#define TW_AF_INET6 10
#define TW_IPPROTO_TCP 6
#define TW_TCP_SYN_SENT 2
#define TW_EADDRNOTAVAIL 99
#define TW_TRACE_MAX_ENTRIES 16384

struct tw_conn_key {
	__u32 tgid;
	__u16 family;
	__u16 dport;          /* host order */
	__u64 cgroup;
	__u8 daddr[16];       /* IPv4 in the first 4 bytes */
};

/* The namespace to count in (its inode); 0: every namespace. */
const volatile __u32 target_netns = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TW_TRACE_MAX_ENTRIES);
	__type(key, struct tw_conn_key);
	__type(value, __u64);
} connects SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TW_TRACE_MAX_ENTRIES);
	__type(key, __u32);
	__type(value, __u64);
} eaddrnotavail SEC(".maps");

/* The command of each process seen, for those that end before the
 * interval does. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TW_TRACE_MAX_ENTRIES);
	__type(key, __u32);
	__type(value, char[16]);
} comms SEC(".maps");

/* [0]: updates lost to a full map. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

static void count_drop(void)
{
	__u32 k = 0;
	__u64 *d = bpf_map_lookup_elem(&drops, &k);

	if (d)
		__sync_fetch_and_add(d, 1);
}

static void note_comm(__u32 tgid)
{
	char comm[16];

	if (bpf_map_lookup_elem(&comms, &tgid))
		return;
	bpf_get_current_comm(comm, sizeof(comm));
	bpf_map_update_elem(&comms, &tgid, comm, BPF_NOEXIST);
}

static void bump(void *map, const void *key)
{
	__u64 one = 1, *v = bpf_map_lookup_elem(map, key);

	if (v) {
		__sync_fetch_and_add(v, 1);
		return;
	}
	if (bpf_map_update_elem(map, key, &one, BPF_NOEXIST) == 0)
		return;
	/* Another CPU may have added it meanwhile; else the map is full. */
	v = bpf_map_lookup_elem(map, key);
	if (v)
		__sync_fetch_and_add(v, 1);
	else
		count_drop();
}

SEC("tracepoint/sock/inet_sock_set_state")
int tw_set_state(struct trace_event_raw_inet_sock_set_state *ctx)
{
	struct tw_conn_key key = {};
	const struct sock *sk;

	if (ctx->newstate != TW_TCP_SYN_SENT || ctx->protocol != TW_IPPROTO_TCP)
		return 0;
	sk = ctx->skaddr;
	if (target_netns && BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum) != target_netns)
		return 0;
	key.tgid = (__u32)(bpf_get_current_pid_tgid() >> 32);
	key.cgroup = bpf_get_current_cgroup_id();
	key.family = ctx->family;
	key.dport = ctx->dport;
	if (ctx->family == TW_AF_INET)
		bpf_probe_read_kernel(key.daddr, 4, ctx->daddr);
	else if (ctx->family == TW_AF_INET6)
		bpf_probe_read_kernel(key.daddr, 16, ctx->daddr_v6);
	else
		return 0;
	bump(&connects, &key);
	note_comm(key.tgid);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_connect")
int tw_connect_exit(struct trace_event_raw_sys_exit *ctx)
{
	struct task_struct *task;
	__u32 tgid;

	if (ctx->ret != -TW_EADDRNOTAVAIL)
		return 0;
	task = (struct task_struct *)bpf_get_current_task();
	if (target_netns && BPF_CORE_READ(task, nsproxy, net_ns, ns.inum) != target_netns)
		return 0;
	tgid = (__u32)(bpf_get_current_pid_tgid() >> 32);
	bump(&eaddrnotavail, &tgid);
	note_comm(tgid);
	return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
