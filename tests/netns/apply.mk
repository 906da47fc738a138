# SPDX-License-Identifier: MIT
# apply tests: --apply / --revert in a throw-away network namespace (root
# only; exit 77 = skipped otherwise), with the test profiles of
# tests/fixtures/apply/ (shipped through tests/fixtures in EXTRA_DIST).
TESTS += tests/netns/apply.sh
EXTRA_DIST += tests/netns/apply.sh
