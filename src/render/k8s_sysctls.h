/* SPDX-License-Identifier: MIT */
/* k8s_sysctls.h: how the kubelet treats a sysctl a pod asks for.
 *
 * A pod may set a sysctl in securityContext.sysctls only when the kernel
 * namespaces it. Of those, the kubelet accepts the "safe" set by default
 * and refuses the others (the pod fails with SysctlForbidden) unless the
 * node's kubelet runs with --allowed-unsafe-sysctls naming them. Some
 * safe entries depend on the Kubernetes release and on the kernel (the
 * kubelet drops them from the safe set on an older kernel). The table and
 * its sources are in doc/kernel-facts.md, "Kubernetes pod sysctls". */
#ifndef TW_RENDER_K8S_SYSCTLS_H
#define TW_RENDER_K8S_SYSCTLS_H

#include "facts/kernel_version.h"

enum k8s_sysctl_class {
	K8S_SAFE,        /* accepted by default (see 'since' and the kernel) */
	K8S_UNSAFE,      /* namespaced, but needs --allowed-unsafe-sysctls */
	K8S_NODE,        /* not per network namespace: a pod cannot set it */
};

struct k8s_sysctl_verdict {
	enum k8s_sysctl_class cls;
	const char *since;      /* safe: first Kubernetes release, or NULL (always) */
	const char *why;        /* unsafe with a kernel too old for the safe set: why; else NULL */
};

/* How the kubelet treats 'key' (dotted form) on a node running 'kernel'
 * (unknown: judged as new enough). 'per_netns' is the allow-list's flag. */
struct k8s_sysctl_verdict k8s_sysctl_judge(const char *key, bool per_netns,
					   const struct tw_kernel_version *kernel);

#endif
