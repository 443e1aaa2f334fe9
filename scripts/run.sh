#!/usr/bin/env bash
# Starts Switchyard. Modes:
#   console  fresh machine → running console: Node 24, npm ci, build when sources changed, start
#   build    next build        start   serve a build        dev   development server
# Serving goes through scripts/server.mts, which derives the client address from the TCP peer
# (and trusted proxies) before Next.js sees the request.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node.sh

mode="${1:-console}"
export PORT="${PORT:-3000}"
export HOSTNAME="${HOSTNAME_BIND:-${SWITCHYARD_BIND:-0.0.0.0}}"
export NEXTAUTH_URL="${NEXTAUTH_URL:-http://localhost:${PORT}}"
export NEXT_TELEMETRY_DISABLED=1

build_stamp() {
  # Sources that change the build; a rebuild happens only when one of them did.
  { git ls-files -s app components lib db public next.config.ts package-lock.json tsconfig.json postcss.config.mjs 2>/dev/null || true
    git diff --stat 2>/dev/null || true; } | sha256sum | cut -c1-16
}

source scripts/deps.sh
ensure_modules() { sy_install_deps; }

ensure_build() {
  local stamp; stamp="$(build_stamp)"
  if [ ! -f .next/BUILD_ID ] || [ "$(cat .next/.switchyard-stamp 2>/dev/null)" != "$stamp" ]; then
    npx next build
    echo "$stamp" > .next/.switchyard-stamp
  fi
}

case "$mode" in
  console)
    ensure_modules
    ensure_build
    exec node scripts/server.mts
    ;;
  build) ensure_modules; npx next build; echo "$(build_stamp)" > .next/.switchyard-stamp ;;
  start) exec node scripts/server.mts ;;
  dev) ensure_modules; exec node scripts/server.mts --dev ;;
  *) echo "usage: scripts/run.sh console|build|start|dev" >&2; exit 2 ;;
esac
