# SPDX-License-Identifier: MIT
# man: the manual pages (mdoc). twadvise-rules.5 lists the facts of
# `twadvise --list-facts`; regenerate that list with man/update-facts.sh.
dist_man_MANS += man/twadvise.8 man/twadvise-rules.5 man/twadvise-profiles.5
EXTRA_DIST += man/update-facts.sh
