# cli tests: the built binary on the scenario snapshots of
# tests/fixtures/snapshots/ (see tests/fixtures/make-scenarios.sh).
#   golden.sh       outputs pinned in tests/fixtures/golden/ (--update to
#                   regenerate), expected findings per scenario, --profile auto
#   invariants.sh   the contract's invariants on every snapshot x profile
#   contract.sh     tests/contract/tools/contract-check (vendored) on every
#                   snapshot x profile (skipped without python3-jsonschema,
#                   except with CI=true, where that fails)
#   load-errors.sh  bad rule and profile files (tests/fixtures/bad/) refused
#                   with an exact FILE:LINE:COL
TESTS += \
	tests/cli/golden.sh \
	tests/cli/invariants.sh \
	tests/cli/contract.sh \
	tests/cli/load-errors.sh
EXTRA_DIST += \
	tests/cli/golden.sh \
	tests/cli/invariants.sh \
	tests/cli/contract.sh \
	tests/cli/load-errors.sh
# output.sh and fleet.sh: --output/--check/--diff/--ignore/acknowledgements,
# prometheus and nagios, exit codes on bad input; several --snapshot (JSON
# Lines, summary table) and site overrides.
TESTS += tests/cli/output.sh tests/cli/fleet.sh
EXTRA_DIST += tests/cli/output.sh tests/cli/fleet.sh
