/* SPDX-License-Identifier: MIT */
/* slab_sysfs.h: the three slab caches twadvise reports on, from SLUB's
 * /sys/kernel/slab/CACHE/ files instead of /proc/slabinfo.
 *
 * /proc/slabinfo makes the kernel count every cache of the host (the
 * free objects of each partial list): 0.5 to 1 ms per run, a fifth of an
 * idle run, growing with the host's slab use. The sysfs files of
 * tw_sock_TCP, tw_sock_TCPv6 and tcp_bind_bucket give the same numbers
 * for those three alone: objects, total_objects, slab_size,
 * objs_per_slab, order and slabs are slabinfo's active_objs, num_objs,
 * objsize, objperslab, 2^pagesperslab and (active_)slabs. A cache
 * merged into another is a symbolic link there and has no row of its
 * own in /proc/slabinfo: unknown in both. Root only, as slabinfo. */
#ifndef TW_COLLECT_SLAB_SYSFS_H
#define TW_COLLECT_SLAB_SYSFS_H

#include "facts/facts.h"

/* Reads the caches under 'dir' ("/sys/kernel/slab") into *out (as
 * parse_slabinfo() does, slabinfo_known set): 0, or a negative errno
 * with *out untouched (no SLUB, no CONFIG_SLUB_DEBUG counts, not root):
 * the caller reads /proc/slabinfo instead. */
int slab_sysfs_read(const char *dir, struct tw_memory *out);

/* The first number of a sysfs counter ("748718 N0=748718\n"): 0 or
 * -EINVAL. Pure (the fuzz target's). */
int slab_sysfs_number(const char *buf, size_t len, uint64_t *ret);

#endif
