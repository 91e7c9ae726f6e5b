#!/usr/bin/env bash
# Builds the npm package in pkg/: the release wasm, its web and nodejs bindings, one wasm-opt pass.
set -euo pipefail
source "$(dirname "$0")/env.sh"

step "build: cargo (wasm32, release, opt-level 2)"
cargo build --lib --release --target wasm32-unknown-unknown
wasm=target/wasm32-unknown-unknown/release/crona_sync.wasm

step "build: wasm-bindgen (web + nodejs) and wasm-opt -Oz"
out=target/pkg-staging
rm -rf "$out"
wasm-bindgen --target web --out-dir "$out/web" "$wasm"
wasm-bindgen --target nodejs --out-dir "$out/node" "$wasm"
# The _bg.wasm is byte-identical for both targets: optimise once, copy.
# The features rustc enables for wasm32 by default (rustc --print cfg); wasm-opt must allow them.
wasm-opt -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-bulk-memory-opt --enable-multivalue --enable-mutable-globals \
  --enable-nontrapping-float-to-int --enable-reference-types --enable-sign-ext \
  "$out/web/crona_sync_bg.wasm" -o "$out/crona_sync_bg.wasm"
for target in web node; do
  cp "$out/crona_sync_bg.wasm" "$out/$target/crona_sync_bg.wasm"
  rm -rf "pkg/$target"
  mkdir -p "pkg/$target"
  cp "$out/$target"/crona_sync* "pkg/$target/"
done
# pkg/ is "type": "module"; the nodejs build is CommonJS.
echo '{ "type": "module" }' > pkg/web/package.json
echo '{ "type": "commonjs" }' > pkg/node/package.json
printf 'build: pkg/ ready (wasm %s bytes)\n' "$(wc -c < pkg/web/crona_sync_bg.wasm)"
