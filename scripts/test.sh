#!/usr/bin/env bash
# `npm test`: brings up the real peers, then runs unit (Vitest), integration (Vitest against
# the peers) and end-to-end (Playwright in Debian's Chromium) tests. Exits non-zero on any
# failure, including a peer that cannot start. SWITCHYARD_KEEP_STACK=1 leaves peers running.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node.sh
export NEXT_TELEMETRY_DISABLED=1
source scripts/deps.sh
sy_install_deps

step() { echo; echo "==== $* ===="; }
status=0
results=()

step "lint and types"
npx eslint . --max-warnings=0 && npx tsc --noEmit || { status=1; results+=("lint/types: FAILED"); }

step "unit tests"
if npx vitest run --project unit; then results+=("unit: passed"); else status=1; results+=("unit: FAILED"); fi

step "test stack (real peers)"
cleanup() { [ "${SWITCHYARD_KEEP_STACK:-0}" = 1 ] || bash scripts/stack/down.sh || true; }
trap cleanup EXIT
bash scripts/stack/up.sh

step "build"
bash scripts/run.sh build

step "integration tests"
if npx vitest run --project integration; then results+=("integration: passed"); else status=1; results+=("integration: FAILED"); fi

step "end-to-end tests"
if npx playwright test; then results+=("e2e: passed"); else status=1; results+=("e2e: FAILED"); fi

echo; echo "==== summary ===="; printf '%s\n' "${results[@]}"
exit "$status"
