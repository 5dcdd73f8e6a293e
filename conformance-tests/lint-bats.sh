#!/usr/bin/env bash
# lint-bats.sh [FILE...]: finds the assertions of a bats file that cannot fail.
#
# bats runs a test under `set -e`, and bash's errexit ignores
#   - a pipeline negated with `!`:                      ! grep -q x file
#   - a failure of any but the last command of `&&`:    [ "$a" = 1 ] && [ "$b" = 2 ]
# unless that command is the last of the test (or function), whose status is the test's. Such a
# line checks nothing. Write `run ! cmd` (bats >= 1.5), `run cmd; [ "$status" -ne 0 ]`,
# `if cmd; then false; fi`, or one assertion per line instead.
#
# A statement is flagged when, in a @test or function body, it is not the last statement at the
# body's own level (anything inside a loop, if, case or { } group is never last) and
#   - its last pipeline is negated with `!`, or
#   - its last operator is `&&` and its last command is not skip/break/continue/return/exit
#     (`cond && break` is control flow, not an assertion).
# Conditions (if/elif/while/until ...) and what runs inside quotes, $( ), ( ), [[ ]], (( )) and
# { } groups after && or || are not looked at.
#
# Default files: every *.bats and *.bash of conformance-tests/ and conformance-tests/e2e/.
# Prints FILE:LINE: reason: the statement, for each finding; exits 1 when there is one.
set -euo pipefail

dir=$(cd "$(dirname "$0")" && pwd)
if [ $# -eq 0 ]; then
  set -- "$dir"/*.bats "$dir"/*.bash "$dir"/e2e/*.bats "$dir"/e2e/*.bash
fi

exec awk '
function reset_file() {
  nstack = 0; inbody = 0; nbody = 0; buf = ""; bufline = 0
  nhd = 0; inhd = 0; depth = 0; cond = 0; casepat = 0
}
function top() { return nstack > 0 ? stack[nstack] : "" }
function push(m) { stack[++nstack] = m }
function pop() { if (nstack > 0) nstack-- }
function code_ctx(m) { return m == "" || m == "P" || m == "G" }
# the character before position i that is not a blank ("" at the start)
function prev_nonblank(s, i,   c) {
  for (i = i - 1; i >= 1; i--) { c = substr(s, i, 1); if (c != " " && c != "\t") return c }
  return ""
}
# scan one physical line: returns it with everything inside quotes and opaque constructs blanked
# (replaced by x, openers and closers by Q), keeping the quote/nesting state in stack[]
function scan(line,   out, i, n, c, c2, c3, m, w, rest, q, dash, term, pc) {
  out = ""; n = length(line); linecont = 0
  for (i = 1; i <= n; i++) {
    c = substr(line, i, 1); c2 = substr(line, i, 2); c3 = substr(line, i, 3); m = top()
    if (m == "S") { if (c == "\047") { pop(); out = out "Q" } else out = out "x"; continue }
    if (m == "A") {
      if (c == "\\") { out = out "xx"; i++; continue }
      if (c == "\047") { pop(); out = out "Q" } else out = out "x"
      continue
    }
    if (m == "T") { if (c == "\\") { out = out "xx"; i++ } else if (c == "`") { pop(); out = out "Q" } else out = out "x"; continue }
    if (m == "D") {
      if (c == "\\") { out = out "xx"; i++; continue }
      if (c == "\"") { pop(); out = out "Q"; continue }
      if (c3 == "$((") { push("R"); out = out "xxx"; i += 2; continue }
      if (c2 == "$(") { push("P"); out = out "xx"; i++; continue }
      if (c2 == "${") { push("B"); out = out "xx"; i++; continue }
      if (c == "`") { push("T"); out = out "x"; continue }
      out = out "x"; continue
    }
    if (m == "B") {
      if (c == "\\") { out = out "xx"; i++; continue }
      if (c == "}") { pop(); out = out (nstack == 0 ? "Q" : "x"); continue }
      if (c == "\047") { push("S"); out = out "x"; continue }
      if (c == "\"") { push("D"); out = out "x"; continue }
      if (c2 == "${") { push("B"); out = out "xx"; i++; continue }
      if (c2 == "$(") { push("P"); out = out "xx"; i++; continue }
      out = out "x"; continue
    }
    if (m == "R" || m == "K") {
      if (m == "R" && c2 == "))") { pop(); out = out (nstack == 0 ? "QQ" : "xx"); i++; continue }
      if (m == "K" && c2 == "]]") { pop(); out = out (nstack == 0 ? "QQ" : "xx"); i++; continue }
      if (c == "\\") { out = out "xx"; i++; continue }
      if (c == "\047") { push("S"); out = out "x"; continue }
      if (c == "\"") { push("D"); out = out "x"; continue }
      if (c2 == "${") { push("B"); out = out "xx"; i++; continue }
      if (c3 == "$((") { push("R"); out = out "xxx"; i += 2; continue }
      if (c2 == "$(") { push("P"); out = out "xx"; i++; continue }
      if (c == "(") { push("P"); out = out "x"; continue }
      out = out "x"; continue
    }
    # code: the top level, a subshell or $( ), a { } group after && or ||
    pc = (i == 1) ? " " : substr(line, i - 1, 1)
    if (c == "\\") {
      if (i == n) { linecont = 1; out = out " "; continue }
      out = out (m == "" ? c2 : "xx"); i++; continue
    }
    if (c == "#" && (pc == " " || pc == "\t" || pc == ";" || pc == "(" || i == 1)) break
    if (c == "\047") { push("S"); out = out (m == "" ? "Q" : "x"); continue }
    if (c2 == "$\047") { push("A"); out = out (m == "" ? "QQ" : "xx"); i++; continue }
    if (c == "\"") { push("D"); out = out (m == "" ? "Q" : "x"); continue }
    if (c == "`") { push("T"); out = out (m == "" ? "Q" : "x"); continue }
    if (c3 == "$((") { push("R"); out = out (m == "" ? "QQQ" : "xxx"); i += 2; continue }
    if (c2 == "$(") { push("P"); out = out (m == "" ? "QQ" : "xx"); i++; continue }
    if (c2 == "${") { push("B"); out = out (m == "" ? "QQ" : "xx"); i++; continue }
    if (c2 == "((") { push("R"); out = out (m == "" ? "QQ" : "xx"); i++; continue }
    if (c2 == "[[" && (pc == " " || pc == "\t" || i == 1)) { push("K"); out = out (m == "" ? "QQ" : "xx"); i++; continue }
    if (c == "(") { push("P"); out = out (m == "" ? "Q" : "x"); continue }
    if (c == ")" && m == "P") { pop(); out = out (nstack == 0 ? "Q" : "x"); continue }
    if (c == "{" && (i == n || substr(line, i + 1, 1) ~ /[ \t]/)) {
      q = prev_nonblank(line, i)
      if (m == "G" || q == "&" || q == "|" || q == ")") { push("G"); out = out (m == "" ? "Q" : "x"); continue }
    }
    if (c == "}" && m == "G" && (pc == " " || pc == "\t" || pc == ";")) { pop(); out = out (nstack == 0 ? "Q" : "x"); continue }
    if (c3 == "<<<") { out = out (m == "" ? c3 : "xxx"); i += 2; continue }
    if (c2 == "<<") {
      rest = substr(line, i + 2); dash = 0
      if (substr(rest, 1, 1) == "-") { dash = 1; rest = substr(rest, 2) }
      sub(/^[ \t]*/, "", rest)
      term = rest; sub(/[ \t;|&)<>].*$/, "", term); gsub(/[\047"\\]/, "", term)
      if (term != "") { hd[++nhd] = term; hddash[nhd] = dash }
      out = out (m == "" ? c2 : "xx"); i++; continue
    }
    out = out (m == "" ? c : "x")
  }
  return out
}
function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
function firstword(s,   w) { w = s; sub(/[ \t;].*$/, "", w); return w }
function stripword(s) { sub(/^[^ \t]*[ \t]*/, "", s); return s }
# a compound command (if, loop, case, { }) opened at the level of the body: a statement there too,
# so that what comes before it is not the last statement
function compound(ln) {
  if (depth == 0) { nst++; st_text[nst] = ""; st_line[nst] = ln; st_depth[nst] = 0 }
  depth++
}
# a statement of the current body, at the current depth, unless it is a condition
function statement(s, ln,   w, again) {
  s = trim(s)
  again = 1
  while (again && s != "") {
    again = 0; w = firstword(s)
    if (w == "esac") { depth--; casepat = 0; return }
    if (casepat) { if (index(s, ")") == 0) return; s = trim(substr(s, index(s, ")") + 1)); casepat = 0; again = 1; continue }
    if (w == "then" || w == "do") { cond = 0; s = stripword(s); again = 1; continue }
    if (w == "else") { s = stripword(s); again = 1; continue }
    if (w == "if" || w == "while" || w == "until") { compound(ln); cond = 1; return }
    if (w == "elif") { cond = 1; return }
    if (w == "fi" || w == "done") { depth--; return }
    if (w == "for" || w == "select") { compound(ln); return }
    if (w == "case") { compound(ln); casepat = 1; return }
    if (w == "{") { compound(ln); s = stripword(s); again = 1; continue }
    if (w == "}") { depth--; s = stripword(s); again = 1; continue }
  }
  if (s == "" || cond) return
  nst++; st_text[nst] = s; st_line[nst] = ln; st_depth[nst] = depth
}
# splits a logical line into statements at ; ;; & and newlines
function statements(t, ln,   i, n, c, seg, nx, pv) {
  seg = ""; n = length(t)
  for (i = 1; i <= n; i++) {
    c = substr(t, i, 1); nx = substr(t, i + 1, 1); pv = (i > 1) ? substr(t, i - 1, 1) : ""
    if (c == ";" && nx == ";") { statement(seg, ln); seg = ""; casepat = 1; i++; continue }
    if (c == ";") { statement(seg, ln); seg = ""; continue }
    if (c == "&" && nx == "&") { seg = seg "&&"; i++; continue }
    if (c == "&" && pv != ">" && pv != "<" && nx != ">" && pv != "|") { statement(seg, ln); seg = ""; continue }
    seg = seg c
  }
  statement(seg, ln)
}
# why statement s cannot fail ("" when it can)
function verdict(s,   last, op, p, rest, w) {
  last = s; op = ""; rest = s
  while (1) {
    p = 0
    if (match(rest, /&&|\|\|/)) p = RSTART
    if (!p) break
    op = substr(rest, p, 2); rest = substr(rest, p + 2); last = rest
  }
  last = trim(last); w = firstword(last)
  if (last ~ /^![ \t]/) return "a negated command (!) ignored by set -e"
  if (op == "&&" && w != "skip" && w != "break" && w != "continue" && w != "return" && w != "exit")
    return "a failure before the last && ignored by set -e"
  return ""
}
function end_body(   i, lastd0, why) {
  lastd0 = 0
  for (i = 1; i <= nst; i++) if (st_depth[i] == 0) lastd0 = i
  for (i = 1; i <= nst; i++) {
    if (st_depth[i] == 0 && i == lastd0) continue
    why = verdict(st_text[i])
    if (why != "") { printf "%s:%d: %s: %s\n", FILENAME, st_line[i], why, body_src[st_line[i]]; found++ }
  }
  inbody = 0; nst = 0; depth = 0; cond = 0; casepat = 0
}
FNR == 1 { if (NR > 1 && inbody) end_body(); reset_file() }
{
  src = $0
  if (inhd) {
    t = src; if (hddash[hdcur]) sub(/^\t+/, "", t)
    if (t == hd[hdcur]) { hdcur++; if (hdcur > nhd) { inhd = 0; nhd = 0 } }
    next
  }
  if (!inbody && nstack == 0 && buf == "") {
    if (src ~ /^@test .*\{[ \t]*$/ || src ~ /^(function[ \t]+)?[A-Za-z_][A-Za-z0-9_]*[ \t]*\(\)[ \t]*\{/) {
      inbody = 1; nst = 0; depth = 0; cond = 0; casepat = 0
      # a function may go on after its { (a comment); a @test line ends with it
      if (src !~ /^@test /) { rest = src; sub(/^[^{]*\{/, "", rest); scan(rest) }
      next
    }
  }
  if (inbody && nstack == 0 && buf == "" && src ~ /^}[ \t]*$/) { end_body(); next }
  body_src[FNR] = src
  out = scan(src)
  if (buf == "") bufline = FNR
  buf = buf out " "
  tb = trim(out)
  if (!(nstack > 0 || linecont || tb ~ /(&&|\|\||\|)$/)) {
    if (inbody) statements(buf, bufline)
    buf = ""
  }
  if (nhd > 0) { inhd = 1; hdcur = 1 }
}
END { if (inbody) end_body(); exit found ? 1 : 0 }
' "$@"
