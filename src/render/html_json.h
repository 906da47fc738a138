/* SPDX-License-Identifier: MIT */
/* html_json.h: typed reads of a report's JSON document for the HTML
 * renderer (internal to src/render/). The document may come from a file
 * (--from-json), so every read checks the type: a missing key or a value
 * of the wrong type is "unknown", never a crash. */
#ifndef TW_RENDER_HTML_JSON_H
#define TW_RENDER_HTML_JSON_H

#include <stdbool.h>

#include <jansson.h>

/* obj[key] as a string, or NULL. 'obj' may be NULL or not an object. */
const char *hj_str(const json_t *obj, const char *key);
/* obj[key] as a number (integer or real) into *ret; false when absent or
 * not a number. */
bool hj_num(const json_t *obj, const char *key, double *ret);
/* obj[key] when it is an object / an array, else NULL. */
json_t *hj_obj(const json_t *obj, const char *key);
json_t *hj_arr(const json_t *obj, const char *key);
/* The report's verdict: "harmless", "watch", "act"; "error" for a host
 * that could not be analysed ("error" key); "unknown" otherwise. */
const char *hj_verdict(const json_t *doc);
/* Sort rank of a verdict: error 4, act 3, watch 2, harmless 1, unknown 0. */
int hj_verdict_rank(const char *verdict);
/* The host's name for people: hostname, else the snapshot folder, else
 * the netns, else NULL. */
const char *hj_host_name(const json_t *doc);

/* Appends a busiest-destinations row as people read it: client
 * "LOCAL → REMOTE:PORT", server "LOCAL:PORT ← REMOTE" (IPv6 addresses in
 * brackets before a port); not escaped. */
#include "util/strbuf.h"
void hj_tuple_label(const json_t *t, struct strbuf *out);

#endif
