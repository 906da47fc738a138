/* SPDX-License-Identifier: MIT */
/* test_netns_owner.c: who owns a network namespace, from /proc/PID/cgroup
 * text (table-driven: cgroup v2, v1 with name=systemd, systemd and
 * cgroupfs drivers), and the container's or pod's name from a fake
 * runtime state folder. Without root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "collect/netns_list.h"

#define ID64 "4f3c2b1a0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a"

struct row {
	const char *cgroup;
	enum tw_netns_owner_kind kind;
	const char *runtime, *id;
};

static const struct row rows[] = {
	{ "0::/system.slice/nginx.service\n", TW_NETNS_OWNER_UNIT, NULL, "nginx.service" },
	{ "0::/system.slice/docker-" ID64 ".scope\n", TW_NETNS_OWNER_CONTAINER, "docker", ID64 },
	{ "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod0a1b2c3d_0000_1111_2222_333344445555.slice/cri-containerd-" ID64 ".scope\n",
	  TW_NETNS_OWNER_POD, "kubernetes", "0a1b2c3d-0000-1111-2222-333344445555" },
	{ "0::/kubepods/burstable/pod0a1b2c3d-0000-1111-2222-333344445555/" ID64 "\n",
	  TW_NETNS_OWNER_POD, "kubernetes", "0a1b2c3d-0000-1111-2222-333344445555" },
	{ "0::/system.slice/cri-containerd-" ID64 ".scope\n", TW_NETNS_OWNER_CONTAINER, "containerd", ID64 },
	{ "0::/machine.slice/libpod-" ID64 ".scope/container\n", TW_NETNS_OWNER_CONTAINER, "podman", ID64 },
	/* cgroup v1, cgroupfs driver: /docker/<id> */
	{ "12:memory:/docker/" ID64 "\n1:name=systemd:/docker/" ID64 "\n0::/\n",
	  TW_NETNS_OWNER_CONTAINER, "docker", ID64 },
	/* v1: "0::/" says nothing, name=systemd does. */
	{ "4:memory:/user.slice\n1:name=systemd:/system.slice/api.service\n0::/\n",
	  TW_NETNS_OWNER_UNIT, NULL, "api.service" },
	{ "0::/user.slice/user-0.slice/session-3.scope\n", TW_NETNS_OWNER_NONE, NULL, NULL },
	{ "0::/\n", TW_NETNS_OWNER_NONE, NULL, NULL },
	{ "", TW_NETNS_OWNER_NONE, NULL, NULL },
	{ "garbage without colons\n", TW_NETNS_OWNER_NONE, NULL, NULL },
	/* Not a hex id: not a container. */
	{ "0::/system.slice/docker-notanid.scope\n", TW_NETNS_OWNER_NONE, NULL, NULL },
	/* A service that runs a container: the container wins. */
	{ "0::/system.slice/podman.service/libpod-" ID64 ".scope\n", TW_NETNS_OWNER_CONTAINER, "podman", ID64 },
};

static void test_cgroup_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct tw_netns_owner o;

		netns_owner_from_cgroup(rows[i].cgroup, &o);
		if (o.kind != rows[i].kind)
			fail_msg("row %zu: kind %d, expected %d", i, (int)o.kind, (int)rows[i].kind);
		if (rows[i].runtime)
			assert_string_equal(o.runtime, rows[i].runtime);
		else
			assert_null(o.runtime);
		if (rows[i].id)
			assert_string_equal(o.id, rows[i].id);
		else
			assert_null(o.id);
		netns_owner_free(&o);
	}
}

static void put(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void test_runtime_names(void **state)
{
	char root[] = "/tmp/twnsowner.XXXXXX", p[512];
	struct tw_netns_owner o;

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(p, sizeof(p), "mkdir -p %s/var/lib/docker/containers/" ID64
		 " %s/var/lib/kubelet/pods/0a1b2c3d-0000-1111-2222-333344445555", root, root);
	assert_int_equal(system(p), 0);
	snprintf(p, sizeof(p), "%s/var/lib/docker/containers/" ID64 "/config.v2.json", root);
	put(p, "{\"ID\":\"" ID64 "\",\"Config\":{\"Hostname\":\"x\"},\"Name\":\"/billing-api\",\"Driver\":\"overlay2\"}");
	snprintf(p, sizeof(p), "%s/var/lib/kubelet/pods/0a1b2c3d-0000-1111-2222-333344445555/etc-hosts", root);
	put(p, "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n10.244.1.7\tcheckout-7d9f\n");

	netns_owner_from_cgroup("0::/system.slice/docker-" ID64 ".scope\n", &o);
	netns_owner_resolve_name(root, &o);
	assert_string_equal(o.name, "billing-api");
	netns_owner_free(&o);

	netns_owner_from_cgroup("0::/kubepods/burstable/pod0a1b2c3d-0000-1111-2222-333344445555/" ID64 "\n", &o);
	netns_owner_resolve_name(root, &o);
	assert_string_equal(o.name, "checkout-7d9f");
	netns_owner_free(&o);

	/* Unreadable state: no name, no error. */
	netns_owner_from_cgroup("0::/system.slice/cri-containerd-" ID64 ".scope\n", &o);
	netns_owner_resolve_name(root, &o);
	assert_null(o.name);
	netns_owner_free(&o);
	netns_owner_free(NULL);

	snprintf(p, sizeof(p), "rm -rf %s", root);
	assert_int_equal(system(p), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cgroup_table),
		cmocka_unit_test(test_runtime_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
