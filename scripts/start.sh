#!/usr/bin/env bash
# npm start: build, then run the integration service with the sandbox (Huma + Crona emulators with
# sample data): a throwaway data directory, the sandbox connection saved, one link that signs you in.
# PORT, SEED, PEOPLE and DRIFT choose the service's port (default 8080), the data set, its size and
# the share of people who differ between the systems.
set -euo pipefail
source "$(dirname "$0")/env.sh"

bash scripts/setup.sh --no-browser
bash scripts/build.sh
step "start: the integration service with the sandbox"
exec node scripts/start.js
