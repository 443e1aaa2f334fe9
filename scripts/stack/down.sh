#!/usr/bin/env bash
# Stops the peers started by up.sh (all, or those named).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
peers=("$@"); [ "${#peers[@]}" -eq 0 ] && peers=(nacos k8s zookeeper ldap postgres chromium prometheus haproxy)
for p in "${peers[@]}"; do bash "$here/$p.sh" stop >/dev/null 2>&1 || echo "stack: $p did not stop cleanly" >&2; done
echo "stack: down (${peers[*]})" >&2
