#!/usr/bin/env bash
# Brings up the real peers the tests need, on 127.0.0.1 only: install (idempotent, cached in
# ~/.cache/switchyard), start, health-check. `up.sh` = all; `up.sh nacos k8s` = just those.
# A peer that fails stops the run with its name and the tail of its log.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib.sh"

ALL=(postgres ldap zookeeper chromium k8s nacos prometheus haproxy)
peers=("$@"); [ "${#peers[@]}" -eq 0 ] && peers=("${ALL[@]}")
for p in "${peers[@]}"; do [ -f "$here/$p.sh" ] || { echo "stack: unknown peer '$p' (known: ${ALL[*]})" >&2; exit 2; }; done

t0=$(date +%s)
run_step() { # peer step → runs scripts/stack/<peer>.sh <step>, output in $STACK_DIR/<step>-<peer>.log
  local p="$1" step="$2" log="$STACK_DIR/$2-$1.log" s=$(date +%s)
  if bash "$here/$p.sh" "$step" >"$log" 2>&1; then
    echo "stack: $p $step ok ($(( $(date +%s) - s ))s)" >&2
  else
    echo "stack: $p $step FAILED — output follows" >&2
    tail -n 60 "$log" >&2
    return 1
  fi
}

# Debian packages first, one at a time (one dpkg lock); Maven and Go work in parallel after.
failed=()
for p in "${peers[@]}"; do
  case "$p" in postgres|ldap|zookeeper|chromium|prometheus|haproxy) run_step "$p" install || failed+=("$p");; esac
done
pids=(); names=()
for p in "${peers[@]}"; do
  case "$p" in k8s|nacos) run_step "$p" install & pids+=($!); names+=("$p");; esac
done
for i in "${!pids[@]}"; do wait "${pids[$i]}" || failed+=("${names[$i]}"); done
[ "${#failed[@]}" -eq 0 ] || { echo "stack: install failed for: ${failed[*]}" >&2; exit 1; }

# Fixed loopback ports: a port another process holds fails the run now, naming the port and
# the process — not after a health check's timeout with an unrelated error. A peer of ours
# that is already running (status ok) keeps its ports.
declare -A PORTS=([postgres]="55432" [ldap]="3389 3390" [zookeeper]="22181" [nacos]="18848 18080 19848 19849" [k8s]="22379 22380 26443" [chromium]="" [prometheus]="29090" [haproxy]="")
taken=()
for p in "${peers[@]}"; do
  bash "$here/$p.sh" status >/dev/null 2>&1 && continue
  for port in ${PORTS[$p]:-}; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      holder="$(ss -Hltnp "sport = :$port" 2>/dev/null | grep -o 'users:(([^)]*))' | head -1)"
      taken+=("$p needs 127.0.0.1:$port, which is taken by ${holder:-another process (run: ss -ltnp 'sport = :$port')}")
    fi
  done
done
if [ "${#taken[@]}" -ne 0 ]; then
  printf 'stack: port in use: %s\n' "${taken[@]}" >&2
  echo "stack: stop those processes (or an old stack: bash scripts/stack/down.sh) and run again" >&2
  exit 1
fi

# Start everything at once; each start waits for its own health check.
pids=(); names=()
for p in "${peers[@]}"; do run_step "$p" start & pids+=($!); names+=("$p"); done
for i in "${!pids[@]}"; do wait "${pids[$i]}" || failed+=("${names[$i]}"); done
if [ "${#failed[@]}" -ne 0 ]; then
  echo "stack: could not start: ${failed[*]} (see above); stopping the rest" >&2
  bash "$here/down.sh" "${peers[@]}" >/dev/null 2>&1 || true
  exit 1
fi
cat "$STACK_DIR"/*.env > "$STACK_DIR/stack.env.all" 2>/dev/null || true
echo "stack: up (${peers[*]}) in $(( $(date +%s) - t0 ))s; connection facts in $STACK_DIR/*.env" >&2
