#!/usr/bin/env bats
# lint-bats.sh self-test: the lint must report exactly the lines that end in the comment
# "lint: expected".
# Not a test suite: bats never runs this directory.

helper() {
  ! grep -q x /etc/hostname # lint: expected
  echo done
}

@test "a negated command before the end" {
  ! grep -q x /etc/hostname # lint: expected
  true
}

@test "a negated pipeline before the end" {
  ! echo "$output" | grep -q OK # lint: expected
  true
}

@test "a && b before the end" {
  [ 1 = 1 ] && [ 2 = 3 ] # lint: expected
  true
}

@test "a && b over two lines" {
  [ 1 = 1 ] && # lint: expected
    [ 2 = 3 ]
  true
}

@test "negations joined by &&" {
  ! has_opt a && ! has_opt b # lint: expected
  true
}

@test "in a loop that ends the test: every iteration but the last is ignored" {
  for k in a b; do
    ! grep -qx "$k" /etc/hostname # lint: expected
  done
}

@test "a && b in a loop" {
  for k in a b; do
    [ "$k" = a ] && [ -e /nonexistent ] # lint: expected
  done
}

@test "a && b in an if branch" {
  if true; then
    [ 1 = 1 ] && [ 2 = 3 ] # lint: expected
  else
    ! true # lint: expected
  fi
  true
}

@test "in a case branch" {
  case x in
    x) [ 1 = 1 ] && [ 2 = 3 ] ;; # lint: expected
    *) true ;;
  esac
  true
}

@test "after a heredoc and a multi-line string" {
  cat > /dev/null <<'TXT'
! not code
a && b
TXT
  x='line one
! not code either'
  [ -n "$x" ] && [ -z "$x" ] # lint: expected
  true
}

@test "in a { } block" {
  {
    ! false # lint: expected
  } 2>/dev/null
  true
}

@test "several on one line" {
  true; ! false; true # lint: expected
  true
}

helper_then_loop() {
  ! grep -q x /etc/hostname # lint: expected
  for k in a; do
    [ -n "$k" ]
  done
}

@test "a negation followed by an if at the end" {
  [ 1 = 1 ] && [ 2 = 3 ] # lint: expected
  if true; then
    true
  fi
}
