# SPDX-License-Identifier: MIT
# man: the manual pages (mdoc). twadvise-rules.5 lists the facts of
# `twadvise --list-facts`; regenerate that list with man/update-facts.sh.
# The pages in man/ name the default paths (/usr/local/share/twadvise,
# /etc/twadvise); the installed copies, made in gen/, name the configured
# ones and carry the version in .Os.
manpage_src = man/twadvise.8 man/twadvise-rules.5 man/twadvise-profiles.5
EXTRA_DIST += $(manpage_src) man/update-facts.sh
nodist_man8_MANS = gen/twadvise.8
nodist_man5_MANS = gen/twadvise-rules.5 gen/twadvise-profiles.5
CLEANFILES += $(nodist_man8_MANS) $(nodist_man5_MANS)
gen/twadvise.8 gen/twadvise-rules.5 gen/twadvise-profiles.5: gen/%: man/% Makefile
	$(AM_V_GEN)$(MKDIR_P) gen && $(subst) $(srcdir)/man/$* > $@.tmp && mv $@.tmp $@
