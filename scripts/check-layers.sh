#!/usr/bin/env bash
# Checks that the app's layers only point down (see app/src/lib.rs): every `crate::<module>` path
# in a layer's files must name a module of the same layer or one below. So that every arrow is
# visible to this check, grouped imports (`crate::{a, b}`) and `super::super` are refused. Prints each
# arrow that points up or sideways and exits 1 if there is one; otherwise prints a summary.
#
#   foundation  i18n format error   (used by all)
#   rules       rules
#   dto         dto
#   services    services
#   endpoints   server_fns | http   (siblings: neither uses the other)
#   components  components          (pieces several pages show)
#   pages       pages               (a page uses components, never another page)
#   shell       shell               (the router)
set -euo pipefail
cd "$(dirname "$0")/../app/src"

rank() {
  case "$1" in
    i18n|format|error|tr|i) echo 0 ;;
    rules) echo 1 ;;
    dto) echo 2 ;;
    services) echo 3 ;;
    server_fns|http) echo 4 ;;
    components) echo 5 ;;
    pages) echo 6 ;;
    shell|App) echo 7 ;;
    *) echo 9 ;;
  esac
}

layer_of_file() { # the top module a file belongs to
  local f="${1#./}"
  f="${f%%/*}"
  echo "${f%.rs}"
}

status=0
files=0
arrows=0
while IFS= read -r file; do
  files=$((files + 1))
  from="$(layer_of_file "$file")"
  [ "$from" = "lib" ] && continue
  from_rank="$(rank "$from")"
  # every crate::<name> mentioned outside comments
  while IFS=: read -r line to; do
    [ -z "$to" ] && continue
    to_rank="$(rank "$to")"
    if [ "$to_rank" -gt "$from_rank" ] || { [ "$to_rank" -eq "$from_rank" ] && [ "$to" != "$from" ] && [ "$from_rank" -ge 1 ]; } ; then
      echo "$file:$line: $from -> $to"
      status=1
    fi
    arrows=$((arrows + 1))
  done < <(grep -n 'crate::[a-z_]' "$file" | grep -v -E '^[0-9]+:\s*//' \
    | grep -o -E '^[0-9]+:|crate::[a-z_]+' | awk '/^[0-9]+:$/ {n=$0; next} {sub("crate::", ""); print n $0}' \
    | sed 's/:refusals$/:rules/' | sort -u)
  # A page uses the pages' own helpers (pages.rs) and its own folder, never another page.
  if [ "$from" = "pages" ]; then
    own="${file#./pages/}"
    own="${own%%/*}"
    own="${own%.rs}"
    while IFS=: read -r line page; do
      if [ -f "pages/$page.rs" ] && [ "$page" != "$own" ]; then
        echo "$file:$line: pages/$own -> pages/$page (move what both show to components)"
        status=1
      fi
    done < <(grep -n -o -E 'crate::pages::[a-z_]+' "$file" | sed 's/crate::pages:://')
  fi
  while IFS= read -r hit; do
    echo "$file:${hit%%:*}: a grouped crate:: import or super::super (name each module with crate::)"
    status=1
  done < <(grep -n -E 'crate::\{|super::super' "$file" | grep -v -E '^[0-9]+:\s*//' || true)
done < <(find . -name '*.rs' | sort)
[ "$status" -eq 0 ] && echo "layers: $files files, $arrows crate:: references, none pointing up or sideways"
exit $status
