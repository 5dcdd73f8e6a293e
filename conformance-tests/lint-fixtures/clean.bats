#!/usr/bin/env bats
# lint-bats.sh self-test: nothing here may be reported.
# Not a test suite: bats never runs this directory.

bats_require_minimum_version 1.5.0

# a helper whose last statement is its status
has_opt() {
  [[ ",$1," == *",$2,"* ]]
}

cond_helper() {
  local i
  for i in 1 2 3; do
    [ "$i" = 2 ] && return 0
    [ "$i" = 9 ] && break
    [ "$i" = 8 ] && continue
    sleep 0
  done
  [ -n "$1" ] && [ -e "$1" ]
}

@test "run ! and explicit checks" {
  run ! grep -q x /nonexistent
  if grep -q x /nonexistent; then false; fi
  [ 1 = 1 ] && [ 2 = 2 ] || false
  [ -d /nonexistent ] && skip "never"
  ! kill -0 99999999 2>/dev/null || false
  true
}

@test "conditions are not assertions" {
  if ! false && true; then :; fi
  while [ -e /nonexistent ] && ! true; do :; done
  until true && true; do :; done
  if true; then :; elif ! false && true; then :; fi
  true
}

@test "opaque: quotes, [[ ]], subshells, substitutions, arithmetic, groups after ||, comments" {
  [[ a == a && b == b ]]
  (cd / && true)
  x=$(true && echo "a && b")
  echo "! x && y" '! z && w' $'! q && r \' && s'
  (( 1 && 1 ))
  echo $(( 1 && 1 ))
  [ 1 = 1 ] || { false && true; }
  f() { false && true; }
  # ! a comment && so on
  echo ${x:-'&& !'} $# "$#"
  echo "$(echo "nested && ! quotes")"
  cat > /dev/null <<EOF
! heredoc && text
EOF
  cat > /dev/null <<-EOF
	! tab-stripped && heredoc
	EOF
  jq -n '1
    ! not code && either
    ' >/dev/null || true
  echo a >&2 &
  wait
  true
}

@test "the last statement may be a negation" {
  [ 1 = 1 ]
  ! false
}

@test "the last statement may be a && list" {
  true
  [ 1 = 1 ] && [ 2 = 2 ]
}

@test "a case branch with control flow" {
  for s in a b; do
    case $s in
      a) [ "$s" = a ] || false ;;
      b) true ;;
    esac
  done
}
