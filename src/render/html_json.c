/* SPDX-License-Identifier: MIT */
/* html_json.c: typed reads of a report document (see html_json.h). */
#include "render/html_json.h"

#include <math.h>
#include <string.h>

const char *hj_str(const json_t *obj, const char *key)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;

	return json_is_string(v) ? json_string_value(v) : NULL;
}

bool hj_num(const json_t *obj, const char *key, double *ret)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
	double d;

	if (!json_is_number(v))
		return false;
	d = json_number_value(v);
	if (!isfinite(d))
		return false;
	*ret = d;
	return true;
}

json_t *hj_obj(const json_t *obj, const char *key)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;

	return json_is_object(v) ? v : NULL;
}

json_t *hj_arr(const json_t *obj, const char *key)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;

	return json_is_array(v) ? v : NULL;
}

const char *hj_verdict(const json_t *doc)
{
	static const char *const known[] = { "harmless", "watch", "act" };
	const char *v = hj_str(doc, "verdict");

	if (hj_str(doc, "error"))
		return "error";
	if (!v)
		v = hj_str(hj_obj(doc, "cost"), "verdict");
	for (size_t i = 0; v && i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(v, known[i]) == 0)
			return known[i];
	return "unknown";
}

int hj_verdict_rank(const char *v)
{
	if (strcmp(v, "error") == 0)
		return 4;
	if (strcmp(v, "act") == 0)
		return 3;
	if (strcmp(v, "watch") == 0)
		return 2;
	if (strcmp(v, "harmless") == 0)
		return 1;
	return 0;
}

const char *hj_host_name(const json_t *doc)
{
	const char *keys[] = { "hostname", "snapshot", "netns" };

	for (size_t i = 0; i < 3; i++) {
		const char *s = hj_str(doc, keys[i]);

		if (s && *s)
			return s;
	}
	return NULL;
}

static void addr_port(struct strbuf *out, const char *addr, const json_t *t, const char *key)
{
	double port;
	bool v6 = addr && strchr(addr, ':');

	if (!addr)
		addr = "?";
	if (!hj_num(t, key, &port)) {
		sb_append(out, addr);
		return;
	}
	sb_appendf(out, v6 ? "[%s]:%.0f" : "%s:%.0f", addr, port);
}

void hj_tuple_label(const json_t *t, struct strbuf *out)
{
	const char *side = hj_str(t, "side"), *local = hj_str(t, "local"), *remote = hj_str(t, "remote");

	if (side && strcmp(side, "server") == 0) {
		addr_port(out, local, t, "local_port");
		sb_append(out, " \xe2\x86\x90 ");
		sb_append(out, remote ? remote : "?");
		return;
	}
	sb_append(out, local ? local : "?");
	sb_append(out, " \xe2\x86\x92 ");
	addr_port(out, remote, t, "remote_port");
}
