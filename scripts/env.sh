# Sourced by the other scripts: the tool paths every step needs, whatever the caller's PATH.
# binaryen's wasm-opt from npm comes first: Debian's wasm-opt 108 corrupts current wasm-bindgen output.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
cd "$ROOT"

# The wasm-bindgen CLI must equal the crate version exactly; Cargo.lock is the source of truth.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock
}

step() { printf '\n\033[1m▶ %s\033[0m\n' "$*"; }
export NPM_CONFIG_LOGLEVEL=error
