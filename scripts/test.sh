#!/usr/bin/env bash
# Every test layer, in order. Keeps going after a failure so one run shows everything, prints a
# line per layer, and ends with the total: "N passed, N failed". Exit status 1 if anything failed.
set -uo pipefail
source "$(dirname "$0")/env.sh"

bash scripts/setup.sh || { echo "setup failed"; exit 1; }
bash scripts/build.sh || { echo "build failed"; exit 1; }

passed=0
failed=0
lines=()
logs="$(mktemp -d)"

record() { # name passed failed
  passed=$((passed + $2))
  failed=$((failed + $3))
  lines+=("$(printf '  %-34s %4d passed, %d failed' "$1" "$2" "$3")")
}

# A check that passes or fails as a whole (formatting, lints, types).
check() { # name command...
  local name=$1; shift
  step "$name"
  if "$@"; then record "$name" 1 0; else record "$name" 0 1; fi
}

# cargo test: sum its "test result:" lines; a build failure counts as a failure.
cargo_layer() { # name command...
  local name=$1; shift
  local log="$logs/$(echo "$name" | tr -c 'a-z0-9' '_').log"
  step "$name"
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local p f
  p=$(grep -E '^test result:' "$log" | grep -oE '[0-9]+ passed' | awk '{s += $1} END {print s + 0}')
  f=$(grep -E '^test result:' "$log" | grep -oE '[0-9]+ failed' | awk '{s += $1} END {print s + 0}')
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  record "$name" "$p" "$f"
}

# node:test with the spec reporter: read its "ℹ pass N" / "ℹ fail N" summary.
node_layer() { # name files...
  local name=$1; shift
  local log="$logs/$(echo "$name" | tr -c 'a-z0-9' '_').log"
  step "$name"
  node --test --test-reporter=spec "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local p f
  p=$(grep -E '^ℹ pass [0-9]+' "$log" | awk '{print $3}' | tail -1)
  f=$(grep -E '^ℹ fail [0-9]+' "$log" | awk '{print $3}' | tail -1)
  p=${p:-0}; f=${f:-0}
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  record "$name" "$p" "$f"
}

check "cargo fmt --check" cargo fmt --check
check "clippy -D warnings (native)" cargo clippy --locked --all-targets -- -D warnings
check "clippy -D warnings (wasm32)" cargo clippy --locked --all-targets --target wasm32-unknown-unknown -- -D warnings
cargo_layer "cargo test (native)" cargo test --locked
cargo_layer "wasm tests (Node)" cargo test --locked --target wasm32-unknown-unknown --test wasm
cargo_layer "wasm tests (headless Chromium)" env WASM_BINDGEN_USE_BROWSER=1 cargo test --locked --target wasm32-unknown-unknown --test wasm
node_layer "node:test (pkg, CLI, sandbox)" tests/js/*.test.js
node_layer "Playwright (page in Chromium)" --test-concurrency=1 tests/e2e/*.test.js
check "tsc --checkJs" tsc -p tsconfig.json

printf '\n\033[1mSummary\033[0m\n'
printf '%s\n' "${lines[@]}"
printf '%d passed, %d failed\n' "$passed" "$failed"
rm -rf "$logs"
[ "$failed" -eq 0 ]
