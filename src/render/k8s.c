/* SPDX-License-Identifier: MIT */
/* k8s.c: --format k8s, the change plan as a pod's securityContext.sysctls.
 *
 *   # Pod sysctls proposed by twadvise
 *   # profile: client-heavy
 *   # ...
 *   securityContext:
 *     sysctls:
 *     - name: net.ipv4.ip_local_port_range
 *       value: "10000 65535"
 *   # Unsafe sysctls ... uncomment after ...:
 *   #  - name: net.ipv4.tcp_tw_reuse
 *   #    value: "1"
 *
 * Only the kubelet's safe sysctls are live entries, so pasting the output
 * never makes a pod that the kubelet refuses; the unsafe ones follow as
 * comments with the kubelet flag they need, and node-level keys (not per
 * network namespace) as comments for the node's own configuration. Like
 * the sysctl fragment it is a pure function of the report. */
#include "render/render.h"

#include <stdbool.h>
#include <string.h>

#include "engine/allowlist.h"
#include "render/k8s_sysctls.h"
#include "render/render_util.h"

/* A YAML double-quoted scalar. Plan values are validated numbers and
 * port lists, but quote everything that could ever break the line. */
static void yaml_quoted(struct strbuf *out, const char *s)
{
	sb_appendc(out, '"');
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			sb_appendf(out, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			sb_appendc(out, ' ');
		else
			sb_appendc(out, (char)c);
	}
	sb_appendc(out, '"');
}

static struct k8s_sysctl_verdict judge(const struct tw_report *r, const char *key)
{
	const struct tw_allowed_key *k = allowlist_find(key);

	return k8s_sysctl_judge(key, k && k->per_netns, r->facts ? &r->facts->kernel : NULL);
}

static void item(struct strbuf *out, const char *prefix, const struct tw_plan_item *it)
{
	sb_append(out, prefix);
	sb_append(out, "- name: ");
	ru_append_oneline(out, it->sysctl, 0);
	sb_appendc(out, '\n');
	sb_append(out, prefix);
	sb_append(out, "  value: ");
	yaml_quoted(out, it->value);
	sb_appendc(out, '\n');
}

static size_t count_class(const struct tw_report *r, enum k8s_sysctl_class c)
{
	size_t n = 0;

	for (size_t i = 0; i < r->plan.n; i++)
		n += judge(r, r->plan.v[i].sysctl).cls == c;
	return n;
}

void render_k8s(const struct tw_report *r, struct strbuf *out)
{
	size_t nsafe = count_class(r, K8S_SAFE), nunsafe = count_class(r, K8S_UNSAFE);
	size_t nnode = count_class(r, K8S_NODE);
	bool first;

	sb_append(out, "# Pod sysctls proposed by twadvise (--format k8s)\n# profile: ");
	ru_append_oneline(out, ru_profile(r), 0);
	sb_append(out, "\n# kernel: ");
	ru_append_oneline(out, ru_kernel(r), 0);
	sb_append(out, "\n# source: ");
	ru_source_describe(r, out);
	sb_append(out, "\n#\n# Paste under the pod's spec (spec.template.spec in a Deployment).\n");
	for (size_t i = 0; i < r->plan.n; i++) {
		struct k8s_sysctl_verdict v = judge(r, r->plan.v[i].sysctl);

		if (v.cls == K8S_SAFE && v.since) {
			sb_append(out, "# ");
			ru_append_oneline(out, r->plan.v[i].sysctl, 0);
			sb_appendf(out, " is a safe sysctl from Kubernetes %s on.\n", v.since);
		}
	}
	sb_append(out, "securityContext:\n");
	if (nsafe == 0) {
		sb_append(out, "  sysctls: []\n");
	} else {
		sb_append(out, "  sysctls:\n");
		for (size_t i = 0; i < r->plan.n; i++)
			if (judge(r, r->plan.v[i].sysctl).cls == K8S_SAFE)
				item(out, "  ", &r->plan.v[i]);
	}

	if (nunsafe) {
		sb_append(out, "# Unsafe sysctls: the kubelet refuses a pod that sets them\n"
			       "# (SysctlForbidden) unless it runs with\n# --allowed-unsafe-sysctls=");
		first = true;
		for (size_t i = 0; i < r->plan.n; i++) {
			if (judge(r, r->plan.v[i].sysctl).cls != K8S_UNSAFE)
				continue;
			if (!first)
				sb_appendc(out, ',');
			ru_append_oneline(out, r->plan.v[i].sysctl, 0);
			first = false;
		}
		sb_append(out, "\n# and the namespace's Pod Security level allows them.\n"
			       "# Add these under sysctls after that:\n");
		for (size_t i = 0; i < r->plan.n; i++) {
			struct k8s_sysctl_verdict v = judge(r, r->plan.v[i].sysctl);

			if (v.cls != K8S_UNSAFE)
				continue;
			if (v.why) {
				sb_append(out, "#   (");
				ru_append_oneline(out, r->plan.v[i].sysctl, 0);
				sb_append(out, ": ");
				sb_append(out, v.why);
				sb_append(out, ")\n");
			}
			item(out, "#  ", &r->plan.v[i]);
		}
	}
	if (nnode) {
		sb_append(out, "# Node-level, not per network namespace: a pod cannot set these;\n"
			       "# they belong in the node's sysctl.d (twadvise --format sysctl on the node):\n");
		for (size_t i = 0; i < r->plan.n; i++) {
			if (judge(r, r->plan.v[i].sysctl).cls != K8S_NODE)
				continue;
			sb_append(out, "#   ");
			ru_append_oneline(out, r->plan.v[i].sysctl, 0);
			sb_append(out, " = ");
			ru_append_oneline(out, r->plan.v[i].value, 0);
			sb_appendc(out, '\n');
		}
	}
	if (r->plan.n == 0)
		sb_append(out, "# no changes recommended\n");
}
