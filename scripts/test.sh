#!/usr/bin/env bash
# `make test`: installs what is missing, then runs formatting and lint checks, unit and
# integration tests (SQLite and a private PostgreSQL cluster), and the browser tests (release
# build, headless Chromium, axe) with JavaScript on and off. Ends with one summary line.
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

say "Starting a private PostgreSQL cluster"
pg_start "$WORK/pg"

say "Unit and integration tests (SQLite and PostgreSQL)"
status=0
cargo test --workspace --features app/ssr 2>&1 | tee "$WORK/cargo-test.log" || status=$?
count_cargo "$WORK/cargo-test.log"
[ "$status" -eq 0 ] || { echo "cargo test failed"; failed=$((failed > 0 ? failed : 1)); }

say "The sign-up rush: 500 concurrent sign-ups for 20 seats, SQLite and PostgreSQL"
status=0
cargo test -p server --test race -- --ignored --nocapture --test-threads 1 2>&1 | tee "$WORK/race.log" || status=$?
count_cargo "$WORK/race.log"
grep -Eo 'race [A-Za-z]+: .*' "$WORK/race.log" || true
[ "$status" -eq 0 ] || { echo "race test failed"; failed=$((failed > 0 ? failed : 1)); }

say "Confirmation mail latency: 200 sign-ups, SQLite and PostgreSQL"
status=0
cargo test -p server --test latency -- --ignored --nocapture --test-threads 1 2>&1 | tee "$WORK/latency.log" || status=$?
count_cargo "$WORK/latency.log"
grep -Eo 'mail latency [A-Za-z]+: .*' "$WORK/latency.log" || true
[ "$status" -eq 0 ] || { echo "latency measurement failed"; failed=$((failed > 0 ? failed : 1)); }

say "Release build for the browser tests"
cargo leptos build --release
cargo build --release -p smtp-sink

say "Browser tests (headless Chromium, axe; JavaScript on and off)"
# Mail goes over SMTP to the test sink, which writes what it receives to $WORK/mail.
SMTP_PORT="$(free_port)"
"$CARGO_TARGET_DIR/release/smtp-sink" "127.0.0.1:$SMTP_PORT" "$WORK/mail" >"$WORK/sink.log" 2>&1 &
SINK_PID=$!
PORT="$(free_port)"
SKOLEBAENK_ADDR="127.0.0.1:$PORT" \
SKOLEBAENK_DATABASE_URL="sqlite://$WORK/browser.db?mode=rwc" \
SKOLEBAENK_SITE_ROOT="$ROOT/target/site" \
SKOLEBAENK_LOG=warn \
SKOLEBAENK_RATE_LIMITS=1000,100,1000,100 \
SKOLEBAENK_MAIL_BACKEND=smtp \
SKOLEBAENK_SMTP_HOST=127.0.0.1 \
SKOLEBAENK_SMTP_PORT="$SMTP_PORT" \
SKOLEBAENK_SMTP_TLS=none \
SKOLEBAENK_MAIL_RETRY=1 \
SKOLEBAENK_JOBS_INTERVAL_SECS=1 \
  "$CARGO_TARGET_DIR/release/server" serve >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
# A second server with its own database writes its mail to files, for the demo outbox page.
OUTBOX_PORT="$(free_port)"
SKOLEBAENK_ADDR="127.0.0.1:$OUTBOX_PORT" \
SKOLEBAENK_DATABASE_URL="sqlite://$WORK/outbox.db?mode=rwc" \
SKOLEBAENK_SITE_ROOT="$ROOT/target/site" \
SKOLEBAENK_LOG=warn \
SKOLEBAENK_MAIL_DIR="$WORK/files" \
  "$CARGO_TARGET_DIR/release/server" serve >"$WORK/outbox-server.log" 2>&1 &
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
SERVER_BIN="$CARGO_TARGET_DIR/release/server" \
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
  "$CARGO_TARGET_DIR/release/server" api-key randers write Schemathesis)"
"$SCHEMATHESIS" run "http://127.0.0.1:$PORT/api/v1/openapi.json" \
  --url "http://127.0.0.1:$PORT" \
  --header "Authorization: Bearer $API_KEY" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance \
  --max-examples 50 --workers 1 --seed 1 2>&1 | tee "$WORK/schemathesis.log" || status=$?
if [ "$status" -eq 0 ]; then passed=$((passed + 1)); else
  echo "Schemathesis found problems"; failed=$((failed + 1))
  tail -50 "$WORK/server.log"
fi

# After the browser tests: a plain `cargo test --release` rebuilds the release server binary
# without the settings cargo-leptos builds it with.
say "Report speed: 10 schools x 5 years of generated data, SQLite and PostgreSQL (release build)"
status=0
cargo test --release -p server --test report_speed -- --ignored --nocapture --test-threads 1 2>&1 | tee "$WORK/report-speed.log" || status=$?
count_cargo "$WORK/report-speed.log"
grep -Eo 'report speed [A-Za-z]+: .*' "$WORK/report-speed.log" || true
[ "$status" -eq 0 ] || { echo "report speed measurement failed"; failed=$((failed > 0 ? failed : 1)); }

echo
echo "summary: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
