# SPDX-License-Identifier: MIT
# trace: --trace SECONDS, an eBPF program (CO-RE) and its loader.
# trace.c always builds; with HAVE_TRACE it includes the skeleton made
# here from trace.bpf.c: vmlinux.h from the build host's BTF, the object
# by clang -target bpf, the skeleton by bpftool gen skeleton.
libtwadvise_a_SOURCES += src/trace/trace.c src/trace/trace.h
EXTRA_DIST += src/trace/trace.bpf.c

if HAVE_TRACE
BPF_GEN = src/trace/vmlinux.h src/trace/trace.bpf.o src/trace/trace.skel.h
CLEANFILES += $(BPF_GEN)
BUILT_SOURCES = src/trace/trace.skel.h
AM_CPPFLAGS += -Isrc/trace -DHAVE_TRACE=1

src/trace/vmlinux.h:
	@$(MKDIR_P) src/trace
	$(AM_V_GEN)$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@.tmp && mv $@.tmp $@

src/trace/trace.bpf.o: $(srcdir)/src/trace/trace.bpf.c src/trace/vmlinux.h
	$(AM_V_GEN)$(BPF_CLANG) -g -O2 -target bpf -D__TARGET_ARCH_$(BPF_ARCH) \
		-Isrc/trace $(BPF_CFLAGS) -c $(srcdir)/src/trace/trace.bpf.c -o $@

src/trace/trace.skel.h: src/trace/trace.bpf.o
	$(AM_V_GEN)$(BPFTOOL) gen skeleton $< name trace_bpf > $@.tmp && mv $@.tmp $@
endif
