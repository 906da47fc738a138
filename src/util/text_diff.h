/* SPDX-License-Identifier: MIT */
/* text_diff.h: a unified diff of two small texts, as `diff -u` prints it.
 *
 * Used by --diff to show how the fragment on disk would change. */
#ifndef TW_UTIL_TEXT_DIFF_H
#define TW_UTIL_TEXT_DIFF_H

#include "util/strbuf.h"

/* Appends to 'out' the unified diff (three lines of context) turning
 * 'old_text' into 'new_text': "--- old_name" and "+++ new_name" headers
 * (without timestamps), then "@@ -a,b +c,d @@" hunks, with "\ No newline
 * at end of file" after a last line that lacks one. Appends nothing when
 * the texts are equal. NULL texts are empty. Lines are matched by a
 * longest common subsequence; beyond 20000 lines on either side, or when
 * the differing middle is too large to compare, the differing part is
 * shown as removed then added (still a correct diff, not a minimal one).
 * The texts stay the caller's. */
void text_unified_diff(const char *old_name, const char *old_text, const char *new_name,
		       const char *new_text, struct strbuf *out);

#endif
