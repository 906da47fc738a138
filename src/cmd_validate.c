/* SPDX-License-Identifier: MIT */
/* cmd_validate.c: --validate [FILE...]: load and type-check profiles and
 * rules, reporting every error as FILE:LINE:COL: message (not just the
 * first), exit 1 when any. Without files: the data dir and site folders. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "engine/dirlist.h"
#include "engine/yaml_doc.h"
#include "engine/yaml_get.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* A rule file has an 'id'; anything else is taken for a profile. */
static bool is_rule_file(const char *path)
{
	struct tw_error err;
	struct ydoc d = { 0 };
	bool rule = false;

	if (ydoc_load(path, &d, &err) == 0) {
		rule = ynode_get(d.root, "id") != NULL;
		ydoc_free(&d);
	}
	return rule;
}

static void add_file(char ***files, size_t *n, char *path)
{
	*files = tw_xrealloc(*files, (*n + 1) * sizeof(char *));
	(*files)[(*n)++] = path;
}

static void collect_dir(const char *dir, const char *sub, char ***files, size_t *n)
{
	struct strbuf sb = STRBUF_INIT;
	struct tw_error err;
	char **v;
	size_t m;

	sb_appendf(&sb, "%s/%s", dir, sub);
	if (dirlist_yaml(sb_str(&sb), &v, &m, &err) == 0) {
		for (size_t i = 0; i < m; i++)
			add_file(files, n, v[i]);
		free(v);
	}
	sb_free(&sb);
}

int cmd_validate(const struct tw_options *o)
{
	struct tw_profile_set profiles = { 0 };
	struct tw_rule_set rules = { 0 };
	struct tw_catalog_names names = { 0 };
	struct tw_error err;
	char **files = NULL;
	size_t nfiles = 0, errors = 0, nrules = 0, nprofiles = 0;
	const char *data = cli_data_dir(o);

	/* Shipped profiles first: rule files may use their thresholds. */
	collect_dir(data, "profiles", &files, &nfiles);
	if (o->site_dir)
		collect_dir(o->site_dir, "profiles.d", &files, &nfiles);
	/* A named file that cannot be read is reported once, here. */
	for (size_t i = 0; i < o->nfiles; i++)
		if (!is_rule_file(o->files[i]))
			add_file(&files, &nfiles, tw_xstrdup(o->files[i]));
	for (size_t i = 0; i < nfiles; i++) {
		bool named = false;
		char **msgs;
		size_t nmsgs;

		for (size_t k = 0; k < o->nfiles; k++)
			named = named || strcmp(o->files[k], files[i]) == 0;
		if (profile_validate_file(&profiles, files[i], &msgs, &nmsgs) < 0) {
			/* Shipped files are reported only when validating everything. */
			if (o->nfiles == 0 || named) {
				for (size_t k = 0; k < nmsgs; k++)
					fprintf(stderr, "%s\n", msgs[k]);
				errors += nmsgs ? nmsgs : 1;
			}
		} else if (o->nfiles == 0 || named) {
			nprofiles++;
		}
		str_list_free(msgs, nmsgs);
	}
	str_list_free(files, nfiles);
	if (profiles_resolve(&profiles, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		errors++;
	}
	names.thresholds = (const char *const *)profiles.threshold_names;
	names.nthresholds = profiles.nthreshold_names;

	files = NULL;
	nfiles = 0;
	if (o->nfiles == 0) {
		collect_dir(data, "rules", &files, &nfiles);
		if (o->site_dir)
			collect_dir(o->site_dir, "rules.d", &files, &nfiles);
	}
	for (size_t i = 0; i < o->nfiles; i++)
		if (is_rule_file(o->files[i]))
			add_file(&files, &nfiles, tw_xstrdup(o->files[i]));
	for (size_t i = 0; i < nfiles; i++) {
		char **msgs;
		size_t nmsgs;

		/* Every error of the file, not only the first. */
		if (rule_validate_file(&rules, files[i], &names, &msgs, &nmsgs) < 0) {
			for (size_t k = 0; k < nmsgs; k++)
				fprintf(stderr, "%s\n", msgs[k]);
			errors += nmsgs ? nmsgs : 1;
		} else {
			nrules++;
		}
		str_list_free(msgs, nmsgs);
	}
	str_list_free(files, nfiles);
	rule_set_free(&rules);
	profile_set_free(&profiles);
	if (errors) {
		fprintf(stderr, "twadvise: %zu error(s)\n", errors);
		return 1;
	}
	printf("%zu profile(s) and %zu rule(s) valid\n", nprofiles, nrules);
	return 0;
}
