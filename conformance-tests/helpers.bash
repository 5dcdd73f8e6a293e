# Shared set-up for the conformance suite. RUNTIME is the binary under test.

setup_runtime() {
  : "${RUNTIME:=$BATS_TEST_DIRNAME/../target/jrunc}"
  if [[ "$RUNTIME" != */* ]]; then
    RUNTIME=$(command -v "$RUNTIME")
  fi
  [ -x "$RUNTIME" ] || { echo "RUNTIME $RUNTIME is not executable" >&2; return 1; }
  WORK=$(mktemp -d "${BATS_TMPDIR:-/tmp}/conformance.XXXXXX")
  ROOT="$WORK/state-root"
  export RUNTIME WORK ROOT
}

teardown_runtime() {
  cd /
  [ -n "${WORK:-}" ] && rm -rf "$WORK"
}
