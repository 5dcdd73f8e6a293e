#!/usr/bin/env bats
# AppArmor and SELinux labels. On a host without the module the config is refused at create
# time and nothing is left behind; where the module is enabled the label must show in the
# process. RUNTIME=runc passes these too.

load helpers

setup() {
  setup_runtime
  make_bundle cat /proc/self/attr/current
}

teardown() {
  teardown_containers
}

@test "apparmorProfile without AppArmor on the host: refused, nothing left" {
  if apparmor_enabled; then skip "this host has AppArmor"; fi
  edit_config '.process.apparmorProfile = "jrunc-test-profile"'
  run "$RUNTIME" --root "$ROOT" run --bundle "$BUNDLE" "$(cid)"
  [ "$status" -ne 0 ]
  # runc >= 1.2 and jrunc: "apparmor: config provided but apparmor not supported";
  # runc 1.1: "unable to apply apparmor profile: ..."
  [[ "$output" == *"apparmor"* ]]
  left_nothing
}

@test "apparmorProfile with AppArmor: the process runs confined by it" {
  if ! apparmor_enabled; then skip "this host has no AppArmor"; fi
  edit_config '.process.apparmorProfile = "unconfined"'
  run "$RUNTIME" --root "$ROOT" run --bundle "$BUNDLE" "$(cid)"
  [ "$status" -eq 0 ]
  [[ "$output" == *"unconfined"* ]]
}

@test "selinuxLabel without SELinux on the host: refused with runc's message, nothing left" {
  if selinux_enabled; then skip "this host has SELinux"; fi
  edit_config '.process.selinuxLabel = "system_u:system_r:container_t:s0"'
  run "$RUNTIME" --root "$ROOT" run --bundle "$BUNDLE" "$(cid)"
  [ "$status" -ne 0 ]
  [[ "$output" == *"selinux label is specified in config, but selinux is disabled or not supported"* ]]
  left_nothing
}
