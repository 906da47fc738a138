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
	src/util/jsonl.c src/util/jsonl.h
