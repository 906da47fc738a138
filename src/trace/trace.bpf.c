/* SPDX-License-Identifier: MIT */
/* trace.bpf.c: the kernel half of --trace (trace.c loads it).
 *
 * Counts, in one network namespace, connect() attempts per (tgid, cgroup,
 * destination) from inet_sock_set_state transitions to TCP_SYN_SENT
 * (tcp_v4_connect/tcp_v6_connect set SYN_SENT before picking the local
 * port, so a connect() that then fails with EADDRNOTAVAIL counts too), and
 * connect() calls that returned -EADDRNOTAVAIL per tgid, from the raw
 * sys_exit tracepoint. Both attach as BTF-typed raw tracepoints, not
 * through tracefs, which many hosts do not mount. Maps are
 * bounded; an update that finds a map full is counted in 'drops' so user
 * space can say the counts are low. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_tracing.h>

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

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(tw_set_state, const struct sock *sk, int oldstate, int newstate)
{
	struct tw_conn_key key = {};
	__u16 family;

	if (newstate != TW_TCP_SYN_SENT || sk->sk_protocol != TW_IPPROTO_TCP)
		return 0;
	if (target_netns && sk->__sk_common.skc_net.net->ns.inum != target_netns)
		return 0;
	family = sk->__sk_common.skc_family;
	key.tgid = (__u32)(bpf_get_current_pid_tgid() >> 32);
	key.cgroup = bpf_get_current_cgroup_id();
	key.family = family;
	key.dport = bpf_ntohs(sk->__sk_common.skc_dport);
	if (family == TW_AF_INET)
		__builtin_memcpy(key.daddr, &sk->__sk_common.skc_daddr, 4);
	else if (family == TW_AF_INET6)
		bpf_probe_read_kernel(key.daddr, 16, &sk->__sk_common.skc_v6_daddr);
	else
		return 0;
	bump(&connects, &key);
	note_comm(key.tgid);
	return 0;
}

/* connect()'s number and where a syscall's number sits in pt_regs, per
 * architecture (the raw sys_exit tracepoint sees every syscall). */
#if defined(__TARGET_ARCH_x86)
#define TW_NR_CONNECT 42
#define TW_SYSCALL_NR(regs) BPF_CORE_READ(regs, orig_ax)
#elif defined(__TARGET_ARCH_arm64)
#define TW_NR_CONNECT 203
#define TW_SYSCALL_NR(regs) BPF_CORE_READ(regs, syscallno)
#else
#error "--trace: connect()'s syscall number is not known for this architecture"
#endif

SEC("tp_btf/sys_exit")
int BPF_PROG(tw_connect_exit, struct pt_regs *regs, long ret)
{
	struct task_struct *task;
	__u32 tgid;

	if (ret != -TW_EADDRNOTAVAIL || TW_SYSCALL_NR(regs) != TW_NR_CONNECT)
		return 0;
	task = bpf_get_current_task_btf();
	if (target_netns && task->nsproxy->net_ns->ns.inum != target_netns)
		return 0;
	tgid = (__u32)(bpf_get_current_pid_tgid() >> 32);
	bump(&eaddrnotavail, &tgid);
	note_comm(tgid);
	return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
