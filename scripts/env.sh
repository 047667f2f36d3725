# Shared settings for the project's scripts. Source it; do not run it.
#
# Tools the build needs (wasm-bindgen, wasm-opt) are installed into a folder outside
# the clone, keyed by version, so every clone on a machine reuses them. The cargo target folder is
# kept there too, so a fresh clone does not start from a cold build.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${SKOLEBAENK_CACHE:-$HOME/.cache/skolebaenk}"
TOOLS="$CACHE/tools"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$CACHE/target}"

BINARYEN_VERSION="132.0.0"
SCHEMATHESIS_VERSION="4.32.5"
SCHEMATHESIS="$TOOLS/schemathesis-$SCHEMATHESIS_VERSION/bin/schemathesis"
# The wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' "$ROOT/Cargo.lock")"

export PATH="$TOOLS/wasm-bindgen-$WASM_BINDGEN_VERSION/bin:$TOOLS/binaryen-$BINARYEN_VERSION/node_modules/.bin:$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
