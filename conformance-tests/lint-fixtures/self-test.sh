#!/usr/bin/env bash
# The lint's own test: lint-bats.sh must report exactly the lines of bad.bats that end in the
# comment "lint: expected" (and exit 1), and nothing in clean.bats (and exit 0).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
lint="$here/../lint-bats.sh"
fail=0

rc=0
got=$("$lint" "$here/bad.bats" | cut -d: -f2 | sort -n | tr '\n' ' ') || rc=$?
want=$(grep -n '# lint: expected$' "$here/bad.bats" | cut -d: -f1 | sort -n | tr '\n' ' ')
if [ "$rc" -ne 1 ]; then
  echo "lint self-test: bad.bats: exit $rc, expected 1" >&2
  fail=1
fi
if [ "$got" != "$want" ]; then
  echo "lint self-test: bad.bats: reported lines [$got], expected [$want]" >&2
  fail=1
fi

rc=0
out=$("$lint" "$here/clean.bats") || rc=$?
if [ "$rc" -ne 0 ] || [ -n "$out" ]; then
  echo "lint self-test: clean.bats: exit $rc, expected 0 and no report:" >&2
  echo "$out" >&2
  fail=1
fi

if [ "$fail" -eq 0 ]; then
  echo "lint self-test: ok ($(echo "$want" | wc -w) findings in bad.bats, none in clean.bats)"
fi
exit "$fail"
