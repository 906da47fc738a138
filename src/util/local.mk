# SPDX-License-Identifier: MIT
libtwadvise_a_SOURCES += \
	src/util/macros.h \
	src/util/error.c src/util/error.h \
	src/util/xalloc.c src/util/xalloc.h \
	src/util/strbuf.c src/util/strbuf.h \
	src/util/parse_num.c src/util/parse_num.h \
	src/util/fileio.c src/util/fileio.h \
	src/util/text_diff.c src/util/text_diff.h \
	src/util/sha256.c src/util/sha256.h \
	src/util/sysctl_text.c src/util/sysctl_text.h \
	src/util/jsonl.c src/util/jsonl.h \
	src/util/dynlib.c src/util/dynlib.h \
	src/util/cpus.c src/util/cpus.h \
	src/util/lazy.h src/util/lazy_archive.c src/util/lazy_jansson.c
# The --watch screen's library goes with the screen (libtwwatchview.a,
# src/render/local.mk); libbpf with --trace; libnftables with the NAT
# facts of a masquerading host.
if HAVE_TRACE
libtwadvise_a_SOURCES += src/util/lazy_bpf.c
endif
if HAVE_NFTABLES
libtwadvise_a_SOURCES += src/util/lazy_nftables.c
endif
