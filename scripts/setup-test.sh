#!/usr/bin/env bash
# Installs what the tests need, skipping whatever is already there: Debian's Chromium and
# PostgreSQL, the Node packages of the browser tests (tests/package-lock.json), and Schemathesis
# from PyPI in its own virtual environment beside the other tools.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

packages=()
command -v chromium >/dev/null || packages+=(chromium chromium-driver)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || packages+=(postgresql)
if [ ! -x "$SCHEMATHESIS" ]; then
  command -v python3 >/dev/null || packages+=(python3)
  python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || packages+=(python3-venv)
fi
if [ ${#packages[@]} -gt 0 ]; then
  say "Installing ${packages[*]} with apt-get"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${packages[@]}"
fi

cd "$ROOT/tests"
# A copy of the lockfile marks what node_modules holds; install again when it changes.
if ! cmp -s package-lock.json node_modules/.installed-lock.json 2>/dev/null; then
  say "Installing the browser tests' Node packages"
  npm ci --no-audit --no-fund --silent
  cp package-lock.json node_modules/.installed-lock.json
fi

if [ ! -x "$SCHEMATHESIS" ]; then
  say "Installing Schemathesis $SCHEMATHESIS_VERSION from PyPI"
  venv="$TOOLS/schemathesis-$SCHEMATHESIS_VERSION"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
