#!/usr/bin/env bash
# `make run`: installs what is missing, builds a release, and serves the app with demo data on a
# SQLite file in data/. Set SKOLEBAENK_ADDR to use another address (default 127.0.0.1:3000).
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
"$ROOT/scripts/setup-build.sh"

cd "$ROOT"
say "Building (the first build takes several minutes)"
"$ROOT/scripts/build.sh" release
node "$ROOT/scripts/precompress.mjs" "$ROOT/target/site/pkg"

export SKOLEBAENK_SITE_ROOT="${SKOLEBAENK_SITE_ROOT:-$ROOT/target/site}"
export SKOLEBAENK_DATABASE_URL="${SKOLEBAENK_DATABASE_URL:-sqlite://$ROOT/data/skolebaenk.db?mode=rwc}"
# The demo is asked for here; a plain `server serve` starts an empty database empty.
export SKOLEBAENK_DEMO_DATA="${SKOLEBAENK_DEMO_DATA:-true}"
# A demo on this machine migrates its own schema; an installation runs `server migrate` as a
# deploy step instead (see Operations in the README).
export SKOLEBAENK_MIGRATE="${SKOLEBAENK_MIGRATE:-auto}"
say "Starting Skolebænk"
exec "$CARGO_TARGET_DIR/release/server" serve
