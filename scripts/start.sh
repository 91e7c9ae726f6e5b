#!/usr/bin/env bash
# npm start: build, then serve the sandbox (Huma + Crona emulators with sample data) and the page.
# PORT, SEED, PEOPLE and DRIFT choose the port (default 8080), the data set, its size and the share
# of people who differ between the systems.
set -euo pipefail
source "$(dirname "$0")/env.sh"

bash scripts/setup.sh --no-browser
bash scripts/build.sh
step "start: sandbox and integration page"
exec node tests/sandbox/main.js --port "${PORT:-8080}" --seed "${SEED:-1}" --people "${PEOPLE:-60}" --drift "${DRIFT:-0}"
