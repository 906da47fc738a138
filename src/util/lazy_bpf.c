/* SPDX-License-Identifier: MIT */
/* lazy_bpf.c: libbpf, loaded when --trace runs (see dynlib.h and lazy.h).
 * Built only with --trace (HAVE_TRACE); the skeleton's inline functions
 * call these too. */
#include "util/lazy.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "util/dynlib.h"

#define BPF_FUNCS(X, V)                                                                  \
	X(int, bpf_map__fd, (const struct bpf_map *map), (map))                          \
	X(int, bpf_map_get_next_key, (int fd, const void *key, void *next), (fd, key, next)) \
	X(int, bpf_map_lookup_elem, (int fd, const void *key, void *value), (fd, key, value)) \
	X(int, bpf_object__attach_skeleton, (struct bpf_object_skeleton * s), (s))       \
	V(bpf_object__destroy_skeleton, (struct bpf_object_skeleton * s), (s))           \
	V(bpf_object__detach_skeleton, (struct bpf_object_skeleton * s), (s))            \
	X(int, bpf_object__load_skeleton, (struct bpf_object_skeleton * s), (s))         \
	X(int, bpf_object__open_skeleton,                                                \
	  (struct bpf_object_skeleton * s, const struct bpf_object_open_opts *opts), (s, opts)) \
	X(libbpf_print_fn_t, libbpf_set_print, (libbpf_print_fn_t print), (print))

DYNLIB_TABLE(BPF_FUNCS, bpf_lib, TW_SONAME_BPF, "--trace");

int lazy_bpf_load(struct tw_error *err)
{
	return dynlib_load(&bpf_lib, err);
}

#define X(ret, name, params, args) DYNLIB_X_TRAMPOLINE(bpf_lib, ret, name, params, args)
#define V(name, params, args) DYNLIB_V_TRAMPOLINE(bpf_lib, name, params, args)
BPF_FUNCS(X, V)
