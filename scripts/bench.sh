#!/usr/bin/env bash
# `make bench`: the figures, with the tools the project installs itself. Builds the release
# (`cargo leptos build --release`, as `make run` does), then prints:
# - the WASM bundle's size, raw and brotli (Node's zlib), and the JS glue and CSS;
# - the time to first byte of three public pages (200 requests each, release server, demo data);
# - the 500-way sign-up rush (sign-ups per second), the confirmation mail latency and the report
#   speed on 10 schools x 5 years, on SQLite and on a private PostgreSQL cluster
#   (`cargo bench -p server --bench figures`, release profile).
# `make bench` reports; it fails only when a figure cannot be taken.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
source "$ROOT/scripts/pg.sh"
"$ROOT/scripts/setup-build.sh"
"$ROOT/scripts/setup-test.sh"
cd "$ROOT"

WORK="$(mktemp -d /tmp/skolebaenk-bench.XXXXXX)"
chmod 755 "$WORK"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  pg_stop "$WORK/pg"
  rm -rf "$WORK"
}
trap cleanup EXIT

say "Release build"
cargo leptos build --release

say "Sizes"
wasm="target/site/pkg/skolebaenk.wasm"
raw=$(stat -c %s "$wasm")
br=$(node -e 'const z=require("zlib"),fs=require("fs");
  const b=z.brotliCompressSync(fs.readFileSync(process.argv[1]),{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}});
  console.log(b.length)' "$wasm")
js=$(stat -c %s target/site/pkg/skolebaenk.js)
css=$(stat -c %s target/site/pkg/skolebaenk.css)
printf 'WASM: %d KB raw, %d KB brotli; JS glue %d KB; CSS %d KB\n' $((raw / 1024)) $((br / 1024)) $((js / 1024)) $((css / 1024))

say "Time to first byte (release server, demo data on SQLite)"
PORT="$(free_port)"
SKOLEBAENK_ADDR="127.0.0.1:$PORT" SKOLEBAENK_DATABASE_URL="sqlite://$WORK/ttfb.db?mode=rwc" \
  SKOLEBAENK_DEMO_DATA=true SKOLEBAENK_MIGRATE=auto SKOLEBAENK_SITE_ROOT="$ROOT/target/site" SKOLEBAENK_LOG=warn \
  "$CARGO_TARGET_DIR/release/server" serve >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
for path in "/" "/?skole=aarhus&tid=aften" "/kurser/recovery-og-haab"; do
  curl -s -o /dev/null "http://127.0.0.1:$PORT$path" # warm up
  for _ in $(seq 1 200); do
    curl -s -o /dev/null -w '%{time_starttransfer}\n' "http://127.0.0.1:$PORT$path"
  done | sort -n | awk -v p="$path" '{a[NR]=$1} END {printf "TTFB %-28s median %.1f ms, p95 %.1f ms, max %.1f ms (n=%d)\n", p, a[int(NR*0.5)]*1000, a[int(NR*0.95)]*1000, a[NR]*1000, NR}'
done
kill "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""

say "Rush, mail latency and report speed (SQLite and PostgreSQL, release profile)"
pg_start "$WORK/pg"
cargo bench -p server --bench figures -- "$@" 2>&1 | tee "$WORK/figures.log"
grep -E '^(rush|mail latency|report speed) ' "$WORK/figures.log" >/dev/null
