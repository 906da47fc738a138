/* SPDX-License-Identifier: MIT */
/* parse_nft.c: `nft -j list ruleset` into the SNAT facts (parsers.h).
 *
 * The JSON is {"nftables": [{"metainfo": ...}, {"table": ...},
 * {"rule": {"expr": [...]}}, ...]}; a source NAT statement is an expr
 * {"masquerade": null | {"port": N | {"range": [LO, HI]}, "flags": F}}
 * or {"snat": {...}} of the same shape, F a string or an array of them
 * ("random", "fully-random", "persistent"). Only those are read;
 * anything else in the ruleset is skipped. */
#include "collect/parsers.h"

#include <errno.h>
#include <jansson.h>
#include <string.h>

/* The ports of a "port" member: 1 for a number, HI - LO + 1 for a
 * range, TW_NAT_DEFAULT_PORTS when absent; 0 when malformed. */
static uint64_t stmt_ports(const json_t *port)
{
	json_t *range;
	json_int_t lo, hi;

	if (!port)
		return TW_NAT_DEFAULT_PORTS;
	if (json_is_integer(port))
		return json_integer_value(port) >= 0 && json_integer_value(port) <= 65535 ? 1 : 0;
	range = json_is_object(port) ? json_object_get(port, "range") : NULL;
	if (!json_is_array(range) || json_array_size(range) != 2 ||
	    !json_is_integer(json_array_get(range, 0)) || !json_is_integer(json_array_get(range, 1)))
		return 0;
	lo = json_integer_value(json_array_get(range, 0));
	hi = json_integer_value(json_array_get(range, 1));
	if (lo < 0 || hi > 65535 || lo > hi)
		return 0;
	return (uint64_t)(hi - lo + 1);
}

static bool has_fully_random(const json_t *flags)
{
	size_t i;
	json_t *v;

	if (json_is_string(flags))
		return strcmp(json_string_value(flags), "fully-random") == 0;
	json_array_foreach(flags, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), "fully-random") == 0)
			return true;
	return false;
}

/* One masquerade/snat statement's value (null or an object). */
static int add_stmt(const json_t *stmt, struct tw_nft_nat *out)
{
	uint64_t ports;

	if (!json_is_null(stmt) && !json_is_object(stmt))
		return -EINVAL;
	ports = stmt_ports(json_is_object(stmt) ? json_object_get(stmt, "port") : NULL);
	if (ports == 0)
		return -EINVAL;
	if (out->rules == 0 || ports < out->ports)
		out->ports = ports;
	out->rules++;
	if (json_is_object(stmt) && has_fully_random(json_object_get(stmt, "flags")))
		out->random_fully++;
	return 0;
}

int parse_nft_ruleset(const char *buf, size_t len, const char *name, struct tw_nft_nat *out,
		      struct tw_error *err)
{
	json_error_t jerr;
	json_t *root, *list, *item;
	size_t i;
	int r = 0;

	memset(out, 0, sizeof(*out));
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return tw_error_set(err, -EINVAL, "%s:%d: not JSON: %s", name, jerr.line,
				    jerr.text);
	list = json_object_get(root, "nftables");
	if (!json_is_array(list)) {
		json_decref(root);
		return tw_error_set(err, -EINVAL, "%s: not `nft -j list ruleset` output (no "
				    "\"nftables\" array)", name);
	}
	json_array_foreach(list, i, item) {
		json_t *rule = json_object_get(item, "rule"), *exprs, *e;
		size_t j;

		exprs = json_is_object(rule) ? json_object_get(rule, "expr") : NULL;
		json_array_foreach(exprs, j, e) {
			json_t *st = json_object_get(e, "masquerade");

			if (!st)
				st = json_object_get(e, "snat");
			if (st && add_stmt(st, out) < 0) {
				r = tw_error_set(err, -EINVAL, "%s: rule %zu: a masquerade or snat "
						 "statement with a malformed port", name, i);
				goto out;
			}
		}
	}
	out->known = true;
out:
	json_decref(root);
	return r;
}
