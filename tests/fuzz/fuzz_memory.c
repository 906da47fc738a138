/* SPDX-License-Identifier: MIT */
/* fuzz_memory.c: fuzz target for parse_slabinfo(), parse_meminfo() and
 * parse_dmesg(), each over the whole input, and slab_sysfs_number() (a
 * /sys/kernel/slab counter). What they accept must be self-consistent: a
 * known slab row has active <= total objects, a known MemTotal is not
 * zero, hash table sizes are in 1..UINT32_MAX, a sysfs counter is the
 * input's leading digits. */
#include "tests/fuzz/fuzz_common.h"

#include "collect/parsers.h"
#include "collect/slab_sysfs.h"

static void check_slab(const struct tw_slab *s)
{
	if (s->known && s->active_objs > s->num_objs)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tw_memory m;
	struct tw_error err;
	int r;

	memset(&m, 0, sizeof(m));
	r = parse_slabinfo((const char *)data, size, "slabinfo", &m, &err);
	fuzz_check_error(r, &err, "slabinfo");
	if (r == 0) {
		check_slab(&m.tw_sock_tcp);
		check_slab(&m.tw_sock_tcpv6);
		check_slab(&m.tcp_bind_bucket);
	}
	memset(&m, 0, sizeof(m));
	r = parse_meminfo((const char *)data, size, "meminfo", &m, &err);
	fuzz_check_error(r, &err, "meminfo");
	if (r == 0 && (!m.mem_total_kb.known || m.mem_total_kb.v == 0))
		abort();
	memset(&m, 0, sizeof(m));
	r = parse_dmesg((const char *)data, size, "dmesg.txt", &m, &err);
	fuzz_check_error(r, &err, "dmesg.txt");
	if (r == 0 && ((m.ehash_entries.known &&
			(m.ehash_entries.v == 0 || m.ehash_entries.v > UINT32_MAX)) ||
		       (m.bhash_entries.known &&
			(m.bhash_entries.v == 0 || m.bhash_entries.v > UINT32_MAX))))
		abort();
	{
		const char *t = (const char *)data;
		uint64_t v = UINT64_MAX;
		char back[32];
		size_t d = 0, z = 0;

		r = slab_sysfs_number(t, size, &v);
		while (d < size && t[d] >= '0' && t[d] <= '9')
			d++;
		while (z + 1 < d && t[z] == '0')
			z++;
		if (r == 0) {
			/* Its leading digits, without their leading zeros, read back. */
			int n = snprintf(back, sizeof(back), "%llu", (unsigned long long)v);

			if (d == 0 || v > INT64_MAX || n <= 0 || (size_t)n != d - z ||
			    memcmp(back, t + z, d - z) != 0)
				abort();
		} else if (r != -EINVAL || v != UINT64_MAX) {
			abort();
		}
	}
	return 0;
}
