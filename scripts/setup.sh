#!/usr/bin/env bash
# Installs what building and testing need on a fresh machine. Idempotent: each step is skipped
# when its tool is already there, so a warm machine passes through in about a second.
set -euo pipefail
source "$(dirname "$0")/env.sh"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "setup: adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
    step "setup: adding $component"
    rustup component add "$component"
  fi
done

want="$(wasm_bindgen_version)"
have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have" != "$want" ]; then
  step "setup: installing wasm-bindgen-cli $want (takes 2–4 minutes once)"
  # Not --locked: its lockfile pins a crate version the registry no longer serves.
  cargo install wasm-bindgen-cli --version "$want" --no-default-features
fi

# npm start needs no browser; npm test does.
if [ "${1:-}" != "--no-browser" ] && { [ ! -x "$CHROMIUM" ] || [ ! -x "$CHROMEDRIVER" ]; }; then
  step "setup: installing Chromium and ChromeDriver from Debian"
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends chromium chromium-driver
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "setup: installing npm dev tools (npm ci)"
  npm ci --no-audit --no-fund
fi
