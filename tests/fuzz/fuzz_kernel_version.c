/* SPDX-License-Identifier: MIT */
/* fuzz_kernel_version.c: fuzz target for kernel_version_parse() (`uname
 * -r`). An accepted release is printable, shorter than the buffer,
 * compares equal to its own numbers and orders against its neighbours;
 * a refused one leaves the output untouched. */
#include "tests/fuzz/fuzz_common.h"

#include "facts/kernel_version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	struct tw_kernel_version v, sentinel;
	int r;

	memset(&v, 0xa5, sizeof(v));
	sentinel = v;
	r = kernel_version_parse(text, &v);
	if (r < 0) {
		if (r != -EINVAL || memcmp(&v, &sentinel, sizeof(v)) != 0)
			abort();
	} else {
		size_t n = strnlen(v.release, sizeof(v.release));

		if (r != 0 || !v.known || n == 0 || n >= sizeof(v.release) || v.major == 0 ||
		    v.major > 99 || v.minor > 65535 || v.patch > 65535)
			abort();
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)v.release[i] < 0x21 || (unsigned char)v.release[i] > 0x7e)
				abort();
		if (kernel_version_cmp(&v, v.major, v.minor, v.patch) != 0 ||
		    kernel_version_cmp(&v, v.major, v.minor + 1, 0) >= 0 ||
		    kernel_version_cmp(&v, v.major - 1, 99999, 99999) <= 0)
			abort();
	}
	free(text);
	return 0;
}
