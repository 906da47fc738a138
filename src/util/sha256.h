/* SPDX-License-Identifier: MIT */
/* sha256.h: SHA-256 (FIPS 180-4) of a buffer, as lowercase hex.
 *
 * Used to bind an --apply state to the exact bytes of the fragment it
 * wrote. A cryptographic hash rather than a fast checksum because the
 * fragment may live in a folder other users can write (any --output):
 * nobody can make a different file that passes for the one twadvise
 * wrote. */
#ifndef TW_UTIL_SHA256_H
#define TW_UTIL_SHA256_H

#include <stddef.h>

#define TW_SHA256_HEX_LEN 64

/* Writes the 64 hex digits and a NUL to 'hex'. */
void tw_sha256_hex(const void *data, size_t len, char hex[TW_SHA256_HEX_LEN + 1]);

#endif
