# SPDX-License-Identifier: MIT
# collect
# live host / network namespace: netlink sock_diag, /proc, capture
libtwadvise_a_SOURCES += \
	src/collect/nl_dump.c src/collect/nl_dump.h \
	src/collect/sockdiag.c src/collect/sockdiag.h \
	src/collect/sockdiag_pair.c src/collect/sockdiag_pair.h \
	src/collect/ctnetlink.c src/collect/ctnetlink.h \
	src/collect/parse_proc_net_tcp.c \
	src/collect/procsys.c src/collect/procsys.h \
	src/collect/netns.c src/collect/netns.h \
	src/collect/netns_list.c src/collect/netns_owner.c src/collect/netns_list.h \
	src/collect/live.c src/collect/live.h \
	src/collect/owners.c src/collect/owners.h \
	src/collect/proc_fds.c src/collect/proc_fds.h \
	src/collect/nft_live.c src/collect/nft_live.h \
	src/collect/sources.c src/collect/sources.h \
	src/collect/capture.c src/collect/capture.h
libtwadvise_a_SOURCES += \
	src/collect/parse_text.c src/collect/parse_text.h \
	src/collect/parse_sysctl_a.c \
	src/collect/parse_ss.c \
	src/collect/parse_proc_counters.c \
	src/collect/parse_memory.c \
	src/collect/slab_sysfs.c src/collect/slab_sysfs.h \
	src/collect/parse_conntrack.c \
	src/collect/parse_meta.c \
	src/collect/parse_conntrack_stat.c \
	src/collect/parse_nft.c \
	src/collect/snapshot.c src/collect/snapshot.h \
	src/collect/ss_reader.c src/collect/ss_reader.h \
	src/collect/snapshot_archive.c src/collect/snapshot_archive.h \
	src/collect/parsers.h
