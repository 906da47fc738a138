# SPDX-License-Identifier: MIT
# bench: benchmarks, not tests (figures are printed, not asserted).
#   bench/bench-live.sh      live, against the bare netlink dump (root)
#   bench/bench-snapshot.sh  a big ss -tan snapshot, against a shell pipeline
#   bench/bench-idle.sh      an idle namespace, against sysctl -a (root)
#   bench/bench-watch.sh     one --watch refresh, against the bare dump (root)
#   bench/bench-namespaces.sh  --all-namespaces, against the sum of the floors (root)
# `make bench` runs them all and prints a table (BENCH_N, BENCH_ROUNDS).
noinst_PROGRAMS += bench/twadvise-dumpfloor bench/twadvise-mktw bench/twadvise-walk
bench_twadvise_dumpfloor_SOURCES = bench/dumpfloor.c
bench_twadvise_mktw_SOURCES = bench/mktw.c
bench_twadvise_walk_SOURCES = bench/walk.c
bench_twadvise_walk_LDADD = $(TW_LIBS)
EXTRA_DIST += bench/bench-live.sh bench/bench-snapshot.sh bench/bench-idle.sh bench/bench-watch.sh \
	bench/bench-all.sh bench/bench-namespaces.sh bench/bench-lib.sh bench/mkss.py bench/runtime.py

BENCH_N = 250000
BENCH_ROUNDS = 5
.PHONY: bench
bench: twadvise bench/twadvise-dumpfloor bench/twadvise-mktw bench/twadvise-walk
	$(SHELL) $(srcdir)/bench/bench-all.sh '$(abs_builddir)' $(BENCH_N) $(BENCH_ROUNDS)
