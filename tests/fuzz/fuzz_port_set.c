/* SPDX-License-Identifier: MIT */
/* fuzz_port_set.c: fuzz target for port_set_parse() and
 * port_set_format() (the net.ipv4.ip_local_reserved_ports syntax).
 *
 * The text form must round-trip: for any input that parses, the
 * canonical text parses to the same set and formats to the same text
 * again (parse(format(parse(x))) == parse(x)); the count agrees with
 * count_in over the whole range. */
#include "tests/fuzz/fuzz_common.h"

#include "facts/port_set.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	struct tw_port_set *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	struct strbuf f1 = STRBUF_INIT, f2 = STRBUF_INIT;

	if (!a || !b)
		abort();
	if (port_set_parse(text, a) == 0) {
		port_set_format(a, &f1);
		if (port_set_parse(sb_str(&f1), b) != 0 || memcmp(a, b, sizeof(*a)) != 0)
			abort();
		port_set_format(b, &f2);
		if (strcmp(sb_str(&f1), sb_str(&f2)) != 0)
			abort();
		if (port_set_count(a) != port_set_count_in(a, 0, 65535))
			abort();
		if ((port_set_count(a) == 0) != (f1.len == 0))
			abort();
	}
	sb_free(&f1);
	sb_free(&f2);
	free(a);
	free(b);
	free(text);
	return 0;
}
