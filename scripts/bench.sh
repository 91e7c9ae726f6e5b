#!/usr/bin/env bash
# npm run bench: release build, then the benchmarks (figures in target/bench/summary.json).
# BENCH_SIZES (default 1000,10000,50000), BENCH_PAGE=0 (skip the browser) and BENCH_RATELIMIT=0 (skip
# the rate-limited fetch) narrow it down.
set -euo pipefail
source "$(dirname "$0")/env.sh"

bash scripts/setup.sh
bash scripts/build.sh
step "bench: native bank validation (cargo test --release)"
cargo test --locked --release --test bench_bank -- --ignored --nocapture
step "bench: preview, baseline, replan, size, page"
node tests/bench/run.js
