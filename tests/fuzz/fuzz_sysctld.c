/* SPDX-License-Identifier: MIT */
/* fuzz_sysctld.c: libFuzzer target for the sysctl.d parser.
 *
 * The input is parsed as one configuration file (sysctld_parse_file(), no
 * file system involved), then every key it assigned, a few fixed keys and
 * globs are looked up and the overrider of each is asked for, so the
 * ordered map, the glob matching and the shadowed lists all run.
 * Built with -DTW_LIBFUZZER and -fsanitize=fuzzer it is a libFuzzer
 * target; otherwise main() runs the files named on the command line, so
 * gcc builds it too (a corpus smoke test). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysctld/sysctld.h"
#include "sysctld/sysctld_parse.h"
#include "util/error.h"
#include "util/fileio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fixed_keys[] = {
	"net.ipv4.tcp_tw_reuse",
	"net.ipv4.conf.eth0.rp_filter",
	"net.ipv4.conf.eth0/100.rp_filter",
	"net/ipv4/ip_local_port_range",
	"",
	"*",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tw_sysctld *c = sysctld_new();
	const struct tw_sysctld_assign *const *sh;
	const char *const *list;
	size_t i, n, nsh;

	sysctld_parse_file(c, "/etc/sysctl.d/50-fuzz.conf", (const char *)data, size);
	/* A second file so that order and overriding are exercised. */
	sysctld_parse_file(c, "/etc/sysctl.conf", (const char *)data, size / 2);
	for (i = 0; i < sizeof(fixed_keys) / sizeof(fixed_keys[0]); i++) {
		sysctld_lookup(c, fixed_keys[i], &sh, &nsh);
		sysctld_overrider(c, fixed_keys[i], "/etc/sysctl.d/10-twadvise.conf");
	}
	/* Odd strings as keys: file names and warning texts. */
	n = sysctld_files(c, &list);
	for (i = 0; i < n; i++)
		sysctld_lookup(c, list[i], NULL, NULL);
	n = sysctld_warnings(c, &list);
	for (i = 0; i < n && i < 64; i++)
		sysctld_lookup(c, list[i], &sh, &nsh);
	sysctld_free(c);
	return 0;
}

#ifndef TW_LIBFUZZER
int main(int argc, char **argv)
{
	int i, rc = 0;

	for (i = 1; i < argc; i++) {
		struct tw_error err;
		char *buf = NULL;
		size_t len = 0;

		if (tw_read_file(argv[i], 1 << 20, &buf, &len, &err) < 0) {
			fprintf(stderr, "%s\n", err.msg);
			rc = 1;
			continue;
		}
		LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
		free(buf);
	}
	return rc;
}
#endif
