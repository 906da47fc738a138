# SPDX-License-Identifier: MIT
# fuzz tests: one libFuzzer target per parser (tests/fuzz/fuzz_*.c). Here
# gcc builds them in standalone mode (their own main(), see fuzz_common.h)
# and run-corpus.sh replays each over its seed corpus,
# tests/fuzz/corpus/<target without "fuzz_">/, so `make check` (and the
# ASan build of CI) runs every input found so far. Real fuzzing with
# clang's libFuzzer: tests/fuzz/fuzz-all.sh [SECONDS].
FUZZ_TARGETS = \
	tests/fuzz/fuzz_expr \
	tests/fuzz/fuzz_sysctld \
	tests/fuzz/fuzz_sysctl_a \
	tests/fuzz/fuzz_ss \
	tests/fuzz/fuzz_proc_counters \
	tests/fuzz/fuzz_memory \
	tests/fuzz/fuzz_conntrack \
	tests/fuzz/fuzz_nft \
	tests/fuzz/fuzz_proc_net_tcp \
	tests/fuzz/fuzz_sockdiag \
	tests/fuzz/fuzz_kernel_version \
	tests/fuzz/fuzz_port_set \
	tests/fuzz/fuzz_yaml \
	tests/fuzz/fuzz_archive
check_PROGRAMS += $(FUZZ_TARGETS)
TESTS += tests/fuzz/run-corpus.sh
EXTRA_DIST += tests/fuzz/run-corpus.sh tests/fuzz/fuzz-all.sh tests/fuzz/corpus

FUZZ_LIBS = $(TW_LIBS)
tests_fuzz_fuzz_archive_SOURCES = tests/fuzz/fuzz_archive.c tests/fuzz/fuzz_common.h
tests_fuzz_fuzz_archive_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_expr_SOURCES = tests/fuzz/fuzz_expr.c
tests_fuzz_fuzz_expr_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_sysctld_SOURCES = tests/fuzz/fuzz_sysctld.c
tests_fuzz_fuzz_sysctld_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_sysctl_a_SOURCES = tests/fuzz/fuzz_sysctl_a.c tests/fuzz/fuzz_common.h
tests_fuzz_fuzz_sysctl_a_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_ss_SOURCES = tests/fuzz/fuzz_ss.c tests/fuzz/fuzz_common.h
tests_fuzz_fuzz_ss_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_proc_counters_SOURCES = tests/fuzz/fuzz_proc_counters.c tests/fuzz/fuzz_common.h
tests_fuzz_fuzz_proc_counters_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_memory_SOURCES = tests/fuzz/fuzz_memory.c tests/fuzz/fuzz_common.h
tests_fuzz_fuzz_memory_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_conntrack_SOURCES = tests/fuzz/fuzz_conntrack.c tests/fuzz/fuzz_common.h
tests_fuzz_fuzz_conntrack_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_nft_SOURCES = tests/fuzz/fuzz_nft.c tests/fuzz/fuzz_common.h
tests_fuzz_fuzz_nft_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_proc_net_tcp_SOURCES = tests/fuzz/fuzz_proc_net_tcp.c tests/fuzz/fuzz_common.h
tests_fuzz_fuzz_proc_net_tcp_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_sockdiag_SOURCES = tests/fuzz/fuzz_sockdiag.c tests/fuzz/fuzz_common.h
tests_fuzz_fuzz_sockdiag_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_kernel_version_SOURCES = tests/fuzz/fuzz_kernel_version.c tests/fuzz/fuzz_common.h
tests_fuzz_fuzz_kernel_version_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_port_set_SOURCES = tests/fuzz/fuzz_port_set.c tests/fuzz/fuzz_common.h
tests_fuzz_fuzz_port_set_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_yaml_SOURCES = tests/fuzz/fuzz_yaml.c tests/fuzz/fuzz_common.h
tests_fuzz_fuzz_yaml_LDADD = $(FUZZ_LIBS)
