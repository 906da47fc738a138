#!/bin/sh
# SPDX-License-Identifier: MIT
# netns-errors.sh: --netns with a missing or invalid name fails with a
# clear message and exit status 1.
. "$(dirname "$0")/lib.sh"

name=twtest-$$-absent
err=$("$TWADVISE" --netns "$name" --format json 2>&1 >/dev/null)
rc=$?
[ $rc = 1 ] || fail "exit status $rc for an unknown namespace"
printf '%s\n' "$err" | grep -qF "network namespace '$name' not found (/run/netns/$name)" ||
	fail "unclear error: $err"
for bad in ../x a/b ..; do
	"$TWADVISE" --netns "$bad" --format json >/dev/null 2>&1 && fail "accepted --netns $bad"
done
echo "ok"
