/* SPDX-License-Identifier: MIT */
/* k8s_sysctls.c: the kubelet's safe sysctl set, as far as twadvise's keys
 * go (pkg/kubelet/sysctl/safe_sysctls.go and the Kubernetes "kernel
 * version requirements" page; doc/kernel-facts.md has the list). */
#include "render/k8s_sysctls.h"

#include <string.h>

#include "util/macros.h"

struct safe_sysctl {
	const char *key;
	const char *since;                 /* Kubernetes release that made it safe */
	unsigned kmajor, kminor;           /* kernel that namespaces it (0: any) */
};

static const struct safe_sysctl safe[] = {
	{ "net.ipv4.ip_local_port_range", NULL, 0, 0 },
	{ "net.ipv4.ip_unprivileged_port_start", "1.22", 0, 0 },
	{ "net.ipv4.ip_local_reserved_ports", "1.27", 3, 16 },
	{ "net.ipv4.tcp_fin_timeout", "1.29", 4, 6 },
	{ "net.ipv4.tcp_keepalive_time", "1.29", 4, 5 },
	{ "net.ipv4.tcp_keepalive_intvl", "1.29", 4, 5 },
	{ "net.ipv4.tcp_keepalive_probes", "1.29", 4, 5 },
};

struct k8s_sysctl_verdict k8s_sysctl_judge(const char *key, bool per_netns,
					   const struct tw_kernel_version *kernel)
{
	struct k8s_sysctl_verdict v = { K8S_UNSAFE, NULL, NULL };

	if (!per_netns) {
		v.cls = K8S_NODE;
		return v;
	}
	for (size_t i = 0; i < ARRAY_SIZE(safe); i++) {
		if (strcmp(safe[i].key, key) != 0)
			continue;
		if (safe[i].kmajor && kernel && kernel->known &&
		    kernel_version_cmp(kernel, safe[i].kmajor, safe[i].kminor, 0) < 0) {
			v.why = "the kernel is older than the one that namespaces it, so the kubelet drops it from the safe set";
			return v;
		}
		v.cls = K8S_SAFE;
		v.since = safe[i].since;
		return v;
	}
	return v;
}
