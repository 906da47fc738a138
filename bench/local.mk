# SPDX-License-Identifier: MIT
# bench: bench/bench-live.sh measures twadvise against the bare netlink
# dump (the floor) and ss; it is a script, not a test.
noinst_PROGRAMS += bench/twadvise-dumpfloor bench/twadvise-mktw
bench_twadvise_dumpfloor_SOURCES = bench/dumpfloor.c
bench_twadvise_mktw_SOURCES = bench/mktw.c
EXTRA_DIST += bench/bench-live.sh
