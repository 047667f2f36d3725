#!/usr/bin/env bash
# `make test`: installs what is missing, then runs the formatting, lint and layer checks, the unit
# tests and the one integration test binary (SQLite and a private PostgreSQL cluster, including
# the 500-way sign-up rush), the browser tests (a debug build, so hydration warnings show;
# headless Chromium, axe) with JavaScript on and off, and Schemathesis against the API.
# Correctness only: throughput, latency, sizes and report speed are `make bench` figures.
# Ends with one summary line.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
source "$ROOT/scripts/pg.sh"
"$ROOT/scripts/setup-build.sh"
"$ROOT/scripts/setup-test.sh"
cd "$ROOT"

WORK="$(mktemp -d /tmp/skolebaenk-test.XXXXXX)"
chmod 755 "$WORK"
SERVER_PID=""
OUTBOX_PID=""
SINK_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
  [ -n "$OUTBOX_PID" ] && kill "$OUTBOX_PID" 2>/dev/null || true
  [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null || true
  pg_stop "$WORK/pg"
  rm -rf "$WORK"
}
trap cleanup EXIT

passed=0
failed=0
count_cargo() { # adds up "test result: … N passed; M failed" lines
  local p f
  p=$(grep -Eo 'test result: [a-zA-Z]+\. [0-9]+ passed' "$1" | awk '{s+=$4} END {print s+0}')
  f=$(grep -Eo '[0-9]+ failed;' "$1" | awk '{s+=$1} END {print s+0}')
  passed=$((passed + p)); failed=$((failed + f))
}

say "Checking formatting and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --features app/ssr -- -D warnings
cargo clippy -p app --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings

say "Checking that the layers only point down"
if "$ROOT/scripts/check-layers.sh"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

say "Starting a private PostgreSQL cluster"
pg_start "$WORK/pg"

say "Unit and integration tests (SQLite and PostgreSQL; one integration test binary)"
status=0
cargo test --workspace --features app/ssr 2>&1 | tee "$WORK/cargo-test.log" || status=$?
count_cargo "$WORK/cargo-test.log"
[ "$status" -eq 0 ] || { echo "cargo test failed"; failed=$((failed > 0 ? failed : 1)); }

# A debug build: quicker to make than the release `make run` and `make bench` build, and its
# WASM reports hydration mismatches, which the browser tests count as failures.
say "Build for the browser tests"
"$ROOT/scripts/build.sh" debug
cargo build -p smtp-sink
BIN="$CARGO_TARGET_DIR/debug"

say "The WASM bundle within its budget (.ci/wasm-budget)"
budget=$(awk '$1 == "debug-gzip-kb" { print $2 }' .ci/wasm-budget)
size=$(node -e 'const z=require("zlib"),fs=require("fs");
  console.log(Math.round(z.gzipSync(fs.readFileSync(process.argv[1])).length / 1024))' target/site/pkg/skolebaenk_bg.wasm)
if [ "$size" -le "$budget" ]; then
  echo "WASM (debug, gzip): $size KB of $budget KB"
  passed=$((passed + 1))
else
  echo "WASM (debug, gzip): $size KB is over its budget of $budget KB" >&2
  failed=$((failed + 1))
fi

say "Browser tests (headless Chromium, axe; JavaScript on and off)"
# Mail goes over SMTP to the test sink, which writes what it receives to $WORK/mail.
SMTP_PORT="$(free_port)"
"$BIN/smtp-sink" "127.0.0.1:$SMTP_PORT" "$WORK/mail" >"$WORK/sink.log" 2>&1 &
SINK_PID=$!
PORT="$(free_port)"
SKOLEBAENK_ADDR="127.0.0.1:$PORT" \
SKOLEBAENK_DATABASE_URL="sqlite://$WORK/browser.db?mode=rwc" \
SKOLEBAENK_DEMO_DATA=true \
SKOLEBAENK_MIGRATE=auto \
SKOLEBAENK_SITE_ROOT="$ROOT/target/site" \
SKOLEBAENK_LOG=warn \
SKOLEBAENK_RATE_LIMITS=1000,100,1000,100 \
SKOLEBAENK_MAIL_BACKEND=smtp \
SKOLEBAENK_SMTP_HOST=127.0.0.1 \
SKOLEBAENK_SMTP_PORT="$SMTP_PORT" \
SKOLEBAENK_SMTP_TLS=none \
SKOLEBAENK_MAIL_RETRY=1 \
SKOLEBAENK_JOBS_INTERVAL_SECS=1 \
SKOLEBAENK_WEBHOOK_ALLOW_PRIVATE=true \
  "$BIN/server" serve >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
# A second server with its own database writes its mail to files, for the demo outbox page.
OUTBOX_PORT="$(free_port)"
SKOLEBAENK_ADDR="127.0.0.1:$OUTBOX_PORT" \
SKOLEBAENK_DATABASE_URL="sqlite://$WORK/outbox.db?mode=rwc" \
SKOLEBAENK_DEMO_DATA=true \
SKOLEBAENK_MIGRATE=auto \
SKOLEBAENK_SITE_ROOT="$ROOT/target/site" \
SKOLEBAENK_LOG=warn \
SKOLEBAENK_MAIL_DIR="$WORK/files" \
  "$BIN/server" serve >"$WORK/outbox-server.log" 2>&1 &
OUTBOX_PID=$!
for port in "$PORT" "$OUTBOX_PORT"; do
  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.2
  done
done
status=0
BASE_URL="http://127.0.0.1:$PORT" \
OUTBOX_BASE_URL="http://127.0.0.1:$OUTBOX_PORT" \
MAIL_DIR="$WORK/mail" \
SMTP_PORT="$SMTP_PORT" \
SITE_ROOT="$ROOT/target/site" \
SERVER_BIN="$BIN/server" \
SINK_BIN="$BIN/smtp-sink" \
SKOLEBAENK_DATABASE_URL="sqlite://$WORK/browser.db?mode=rwc" \
  node --test --test-reporter=tap tests/browser/ 2>&1 | tee "$WORK/browser.log" || status=$?
p=$(grep -E '^# pass ' "$WORK/browser.log" | awk '{print $3}' | tail -1)
f=$(grep -E '^# fail ' "$WORK/browser.log" | awk '{print $3}' | tail -1)
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
if [ "$status" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then failed=$((failed + 1)); fi
if [ "$status" -ne 0 ]; then echo "--- server log ---"; tail -50 "$WORK/server.log"; fi

# Schemathesis after the browser tests (it signs up through the API, on the same server):
# generated requests against every documented operation, with a write key for Randers.
say "Schemathesis against the running server: no 5xx, answers as documented"
status=0
API_KEY="$(SKOLEBAENK_DATABASE_URL="sqlite://$WORK/browser.db?mode=rwc" SKOLEBAENK_LOG=error \
  "$BIN/server" api-key randers write Schemathesis)"
"$SCHEMATHESIS" run "http://127.0.0.1:$PORT/api/v1/openapi.json" \
  --url "http://127.0.0.1:$PORT" \
  --header "Authorization: Bearer $API_KEY" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance \
  --max-examples 50 --workers 1 --seed 1 2>&1 | tee "$WORK/schemathesis.log" || status=$?
if [ "$status" -eq 0 ]; then passed=$((passed + 1)); else
  echo "Schemathesis found problems"; failed=$((failed + 1))
  tail -50 "$WORK/server.log"
fi

echo
echo "summary: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
