# SPDX-License-Identifier: MIT
# Documentation tests: the manual pages are lint-clean, their examples
# run, twadvise-rules(5) lists every fact, and the contrib/ files pass
# their tools' checks (tools missing: skipped).
DOCS_TESTS = \
	tests/cli/manlint.sh \
	tests/cli/man-examples.sh \
	tests/cli/docs-facts.sh \
	tests/cli/docs-references.sh \
	tests/cli/contrib.sh
TESTS += $(DOCS_TESTS)
EXTRA_DIST += $(DOCS_TESTS) \
	contrib/ansible/twadvise.yml \
	contrib/systemd/twadvise-textfile.service \
	contrib/systemd/twadvise-textfile.timer
# Licence tags: every source, build, script and data file starts with its
# SPDX line (scripts/spdx-check.sh lists those that do not).
TESTS += scripts/spdx-check.sh
EXTRA_DIST += scripts/spdx-check.sh
