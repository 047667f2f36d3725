#!/usr/bin/env bash
# `make bench`: the figures, with the tools the project installs itself (oha for load, Lighthouse
# for the pages as a phone sees them). Builds the release as `make run` does, then measures:
# - the WASM bundle, JS glue and CSS, raw and brotli (quality 11, as served);
# - requests per second and p50/p99 latency of the front page, a filtered list, a course page
#   and `/api/v1/runs?per_page=100` at 64 connections for 20 s (oha), on the release server with
#   the demo data on SQLite, and of the same bytes served from memory by a bare axum server
#   (`tests/baseline`) in the same run, with the ratio of the two;
# - Lighthouse's mobile performance and accessibility scores for the front page, a course page
#   and the sign-up form;
# - the 500-way sign-up rush, the confirmation mail latency and the report speed on 10 schools
#   x 5 years, on SQLite and on a private PostgreSQL cluster (`cargo bench -p server --bench
#   figures`, release profile).
# It prints one table and writes it as JSON to target/bench/latest.json (and a copy named by
# the time). `make bench` reports; it fails only when a figure cannot be taken.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
source "$ROOT/scripts/pg.sh"
"$ROOT/scripts/setup-build.sh"
"$ROOT/scripts/setup-test.sh"
cd "$ROOT"

OHA_VERSION="1.16.0"
OHA="$TOOLS/oha-$OHA_VERSION/bin/oha"
if [ ! -x "$OHA" ]; then
  say "Installing oha $OHA_VERSION (a few minutes, once per machine)"
  cargo install oha --version "$OHA_VERSION" --locked \
    --root "$TOOLS/oha-$OHA_VERSION"
fi
if ! cmp -s tests/bench/package-lock.json tests/bench/node_modules/.installed-lock.json 2>/dev/null; then
  say "Installing Lighthouse"
  (cd tests/bench && npm ci --no-audit --no-fund --silent && cp package-lock.json node_modules/.installed-lock.json)
fi

WORK="$(mktemp -d /tmp/skolebaenk-bench.XXXXXX)"
chmod 755 "$WORK"
FIGURES="$WORK/figures.tsv"
: >"$FIGURES"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  pg_stop "$WORK/pg"
  rm -rf "$WORK"
}
trap cleanup EXIT
figure() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$FIGURES"; }
wait_for() {
  for _ in $(seq 1 200); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "nothing answered at $1" >&2
  return 1
}

say "Release build"
"$ROOT/scripts/build.sh" release
node scripts/precompress.mjs target/site/pkg
cargo build --release -p baseline

say "Sizes"
for asset in wasm js css; do
  file="target/site/pkg/skolebaenk.$asset"
  [ "$asset" = wasm ] && file="target/site/pkg/skolebaenk_bg.wasm"
  raw=$(stat -c %s "$file")
  br=$(node -e 'const z=require("zlib"),fs=require("fs");
    const b=z.brotliCompressSync(fs.readFileSync(process.argv[1]),{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}});
    console.log(b.length)' "$file")
  figure "size.$asset.raw" "$(awk -v b="$raw" 'BEGIN { printf "%.1f", b / 1024 }')" KB
  figure "size.$asset.brotli" "$(awk -v b="$br" 'BEGIN { printf "%.1f", b / 1024 }')" KB
done

say "Pages under load (oha, 64 connections, 20 s each), beside the same bytes from memory"
PORT="$(free_port)"
APP="http://127.0.0.1:$PORT"
SKOLEBAENK_ADDR="127.0.0.1:$PORT" SKOLEBAENK_DATABASE_URL="sqlite://$WORK/bench.db?mode=rwc" \
  SKOLEBAENK_DEMO_DATA=true SKOLEBAENK_MIGRATE=auto SKOLEBAENK_SITE_ROOT="$ROOT/target/site" \
  SKOLEBAENK_LOG=warn "$CARGO_TARGET_DIR/release/server" serve >"$WORK/server.log" 2>&1 &
PIDS+=($!)
wait_for "$APP/healthz"
declare -A PAGES=(
  [front]="/"
  [filtered]="/?skole=aarhus&tid=aften"
  [course]="/kurser/recovery-og-haab"
  [api_runs]="/api/v1/runs?per_page=100"
)
pairs=()
for name in "${!PAGES[@]}"; do
  ext=html
  [[ "$name" == api_* ]] && ext=json
  curl -fsS -o "$WORK/$name.$ext" "$APP${PAGES[$name]}"
  pairs+=("${PAGES[$name]}=$WORK/$name.$ext")
done
BPORT="$(free_port)"
BASE="http://127.0.0.1:$BPORT"
"$CARGO_TARGET_DIR/release/baseline" "127.0.0.1:$BPORT" "${pairs[@]}" >"$WORK/baseline.log" 2>&1 &
PIDS+=($!)
wait_for "$BASE/"
load() { # load NAME WHO URL
  "$OHA" -z 20s -c 64 --no-tui --output-format json "$3" >"$WORK/oha.json"
  node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1]));
    const ok=(r.statusCodeDistribution||{})["200"]||0, all=Object.values(r.statusCodeDistribution||{}).reduce((a,b)=>a+b,0);
    if (all === 0 || ok !== all) { console.error(`${process.argv[2]}: ${all-ok} of ${all} answers were not 200`); process.exit(1); }
    const p=r.latencyPercentiles;
    console.log(`${process.argv[2]}.rps\t${r.summary.requestsPerSec.toFixed(0)}\treq/s`);
    console.log(`${process.argv[2]}.p50\t${(p.p50*1000).toFixed(1)}\tms`);
    console.log(`${process.argv[2]}.p99\t${(p.p99*1000).toFixed(1)}\tms`);' \
    "$WORK/oha.json" "http.$1.$2" | tee -a "$FIGURES"
}
for name in front filtered course api_runs; do
  load "$name" app "$APP${PAGES[$name]}"
  load "$name" baseline "$BASE${PAGES[$name]}"
done

say "Lighthouse (mobile) on the front page, a course page and the sign-up form"
run_id=$(curl -fsS "$APP/api/v1/runs?per_page=1" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s);console.log((r.items||r.runs||r.data||r)[0].id)})')
CHROME_PATH="$(command -v chromium)" node tests/bench/lighthouse.mjs "$APP" \
  "/" "/kurser/recovery-og-haab" "/hold/$run_id/tilmelding" | tee -a "$FIGURES"
for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
PIDS=()

say "Rush, mail latency and report speed (SQLite and PostgreSQL, release profile)"
pg_start "$WORK/pg"
SKOLEBAENK_BENCH_FIGURES="$FIGURES" cargo bench -p server --bench figures -- "$@" 2>&1 | tee "$WORK/figures.log"
grep -E '^(rush|mail latency|report speed) ' "$WORK/figures.log" >/dev/null

say "Figures"
node tests/bench/report.mjs "$FIGURES" "$ROOT/target/bench" "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
