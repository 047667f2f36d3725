#!/usr/bin/env bash
# Measures what the foundation issue asks to report: the release WASM bundle's size (raw and
# brotli) and the time to first byte of the front page (200 requests against a release server
# with the demo data). Run after a release build (`make run` or `make test` builds one).
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
source "$ROOT/scripts/pg.sh"
cd "$ROOT"

wasm="target/site/pkg/skolebaenk.wasm"
[ -f "$wasm" ] || { echo "no release build at $wasm: run 'cargo leptos build --release' first" >&2; exit 1; }
command -v brotli >/dev/null || { echo "brotli not found: apt-get install brotli" >&2; exit 1; }
raw=$(stat -c %s "$wasm")
br=$(brotli -c -q 11 "$wasm" | wc -c)
js=$(stat -c %s target/site/pkg/skolebaenk.js)
css=$(stat -c %s target/site/pkg/skolebaenk.css)
printf 'WASM: %d KB raw, %d KB brotli; JS glue %d KB; CSS %d KB\n' $((raw / 1024)) $((br / 1024)) $((js / 1024)) $((css / 1024))

WORK="$(mktemp -d)"
PORT="$(free_port)"
SKOLEBAENK_ADDR="127.0.0.1:$PORT" SKOLEBAENK_DATABASE_URL="sqlite://$WORK/m.db?mode=rwc" \
  SKOLEBAENK_SITE_ROOT="$ROOT/target/site" SKOLEBAENK_LOG=warn \
  "$CARGO_TARGET_DIR/release/server" serve >"$WORK/log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
for path in "/" "/?skole=aarhus&tid=aften" "/kurser/recovery-og-haab"; do
  curl -s -o /dev/null "http://127.0.0.1:$PORT$path" # warm up
  for _ in $(seq 1 200); do
    curl -s -o /dev/null -w '%{time_starttransfer}\n' "http://127.0.0.1:$PORT$path"
  done | sort -n | awk -v p="$path" '{a[NR]=$1} END {printf "TTFB %-28s median %.1f ms, p95 %.1f ms, max %.1f ms (n=%d)\n", p, a[int(NR*0.5)]*1000, a[int(NR*0.95)]*1000, a[NR]*1000, NR}'
done
