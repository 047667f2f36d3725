#!/usr/bin/env bash
# Installs what building the app needs, skipping whatever is already there:
# the wasm32 target, the wasm-bindgen CLI and wasm-opt (npm's binaryen). The build itself is
# scripts/build.sh; cargo-leptos is not needed (for `cargo leptos watch` while developing, see
# the README).
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

command -v cargo >/dev/null || { echo "cargo not found: install Rust with rustup first" >&2; exit 1; }
command -v npm >/dev/null || { echo "npm not found: install Node.js and npm first (apt-get install nodejs npm)" >&2; exit 1; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "Adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once per machine)"
  # Not --locked: the CLI's own lockfile names a crate version the registry may lack.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" \
    --root "$TOOLS/wasm-bindgen-$WASM_BINDGEN_VERSION"
fi

if ! wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
  say "Installing wasm-opt (binaryen $BINARYEN_VERSION from npm)"
  mkdir -p "$TOOLS/binaryen-$BINARYEN_VERSION"
  npm install --prefix "$TOOLS/binaryen-$BINARYEN_VERSION" --no-audit --no-fund --silent \
    "binaryen@$BINARYEN_VERSION"
fi
