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

# Reports of an earlier run never count in this one.
rm -rf test-results
mkdir -p test-results

step "lint and types"
if npx eslint . --max-warnings=0 && npx tsc --noEmit; then
  results+=("lint/types: passed")
else
  status=1; results+=("lint/types: FAILED")
fi

step "unit tests"
if npx vitest run --project unit --reporter=default --reporter=json --outputFile.json=test-results/unit.json; then results+=("unit: passed"); else status=1; results+=("unit: FAILED"); fi

step "test stack (real peers)"
cleanup() { [ "${SWITCHYARD_KEEP_STACK:-0}" = 1 ] || bash scripts/stack/down.sh || true; }
trap cleanup EXIT
# Every run starts its peers from clean data: a stack left running by a crashed run is
# stopped first, and etcd is wiped (ZooKeeper and Nacos start empty on every cold start).
# SWITCHYARD_REUSE_STACK=1 keeps a running stack as it is (a quicker loop while developing).
if [ "${SWITCHYARD_REUSE_STACK:-0}" != 1 ]; then
  bash scripts/stack/down.sh >/dev/null 2>&1 || true
  export SWITCHYARD_K8S_WIPE=1
fi
bash scripts/stack/up.sh

step "build"
bash scripts/run.sh build
# First-load JavaScript per route of this build (printed; the budget is enforced in the browser
# by e2e/shell/bundle-budget.spec.ts).
node scripts/first-load-js.mjs || true

step "integration tests"
if npx vitest run --project integration --reporter=default --reporter=json --outputFile.json=test-results/integration.json; then results+=("integration: passed"); else status=1; results+=("integration: FAILED"); fi

step "end-to-end tests"
if npx playwright test; then results+=("e2e: passed"); else status=1; results+=("e2e: FAILED"); fi

echo; echo "==== summary ===="; printf '%s\n' "${results[@]}"
node scripts/test-summary.mjs test-results/unit.json test-results/integration.json test-results/e2e.json
exit "$status"
