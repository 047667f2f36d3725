#!/usr/bin/env bash
# Builds the site and the server with cargo, the wasm-bindgen CLI and wasm-opt directly (the
# steps cargo-leptos would take, without compiling cargo-leptos itself):
# - the WASM bundle (`app` with `hydrate`, for wasm32) and the server binary, side by side;
# - wasm-bindgen's JS glue and bundle into target/site/pkg as skolebaenk.js and
#   skolebaenk_bg.wasm; in a release, the bundle shrunk by wasm-opt;
# - the style sheet as skolebaenk.css, and the files of public/ into target/site.
# `build.sh release` (make run, make bench) or `build.sh debug` (make test). `cargo leptos watch`
# still works for development; it names the bundle skolebaenk.wasm, which the server also finds.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

MODE="${1:-release}"
cd "$ROOT"
SITE="$ROOT/target/site"
PKG="$SITE/pkg"
# The WASM has a target folder of its own (as with cargo-leptos): the build scripts and
# macros it shares with the server are built with other features, and would otherwise be
# rebuilt each time the other side is built.
FRONT="$CARGO_TARGET_DIR/front"
case "$MODE" in
  release) wasm_profile=wasm-release; server_profile=release ;;
  debug) wasm_profile=dev; server_profile=dev ;;
  *) echo "usage: build.sh release|debug" >&2; exit 2 ;;
esac
wasm_dir="$wasm_profile"
[ "$wasm_profile" = dev ] && wasm_dir=debug

say "Building the WASM bundle and the server ($MODE)"
# A debug build type-erases Leptos' views (`--cfg=erase_components`, as cargo-leptos does for
# debug builds): far less code to compile and a debug bundle a third the size. Both sides must
# agree, or hydration finds other markers than the server wrote: so the server gets it too.
if [ "$MODE" = debug ]; then
  export RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }--cfg=erase_components"
fi
cargo build --package=app --lib --target-dir="$FRONT" --target=wasm32-unknown-unknown \
  --no-default-features --features=hydrate --profile="$wasm_profile" &
front=$!
if ! cargo build --package=server --bin=server --no-default-features --profile="$server_profile"; then
  wait "$front" || true
  exit 1
fi
wait "$front"

mkdir -p "$PKG"
wasm-bindgen --target web --no-typescript --out-dir "$PKG" --out-name skolebaenk \
  "$FRONT/wasm32-unknown-unknown/$wasm_dir/app.wasm"
# A bundle from cargo-leptos (skolebaenk.wasm) would be preferred by nothing, but it would be
# stale: remove it so that only this build's files are in the site.
rm -f "$PKG/skolebaenk.wasm"
if [ "$MODE" = release ]; then
  # The features Rust's wasm32 target uses; wasm-opt must keep them.
  wasm-opt -Oz --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
    --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue \
    "$PKG/skolebaenk_bg.wasm" -o "$PKG/skolebaenk_bg.wasm"
fi
cp style/main.css "$PKG/skolebaenk.css"
cp -r public/. "$SITE/"
