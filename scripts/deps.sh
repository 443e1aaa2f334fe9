#!/usr/bin/env bash
# Source after node.sh: installs the locked dependencies when node_modules is missing or older
# than package-lock.json. `npm ci` first; npm 11 can write a lockfile that its own `npm ci`
# then rejects (optional packages of other platforms are left out when the registry's
# addresses are omitted from the lockfile, as on our machines), so fall back to an install
# that follows the lockfile without rewriting it.
sy_install_deps() {
  if [ -d node_modules ] && [ -f node_modules/.package-lock.json ] && [ ! package-lock.json -nt node_modules/.package-lock.json ]; then
    return 0
  fi
  if npm ci --no-audit --no-fund --loglevel=error 2>/dev/null; then return 0; fi
  echo "deps: npm ci refused this lockfile; installing from it with npm install --no-save" >&2
  npm install --no-save --no-audit --no-fund --loglevel=error
}
