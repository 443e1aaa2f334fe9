#!/usr/bin/env bash
# HAProxy (Debian) as the load balancer in front of console replicas, for the production-mode
# test (lib/testing/replicas.integration.test.ts). Nothing runs in the background: the backends
# are test-specific, so each test writes its own configuration and runs the binary itself on
# loopback ports it picks. `install` takes the Debian package (cached by apt like the other
# peers) and makes sure Debian's own service is not left running; `start` checks the binary
# parses a configuration, then writes $STACK_DIR/haproxy.env (SWITCHYARD_TEST_HAPROXY=<binary>).
#
# Usage: haproxy.sh install|start|stop|status
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PEER=haproxy
HAPROXY=/usr/sbin/haproxy
LOG="$STACK_DIR/haproxy/check.log"

write_env() { stack_env_write "$PEER" "SWITCHYARD_TEST_HAPROXY=$HAPROXY"; }

config_check() {
  mkdir -p "$(dirname "$LOG")"
  local cfg="$STACK_DIR/haproxy/check.cfg"
  cat >"$cfg" <<'CFG'
defaults
  mode http
  timeout connect 1s
  timeout client 5s
  timeout server 5s
frontend probe
  bind 127.0.0.1:3259
  default_backend b
backend b
  server s1 127.0.0.1:1
CFG
  "$HAPROXY" -c -f "$cfg" >"$LOG" 2>&1
}

cmd_install() {
  stack_apt_install haproxy
  [ -x "$HAPROXY" ] || stack_fail "$PEER" "" "$HAPROXY missing after install"
  # Debian's postinst may start the system service on :80; the tests never use it.
  stack_no_system_service haproxy
  [ -f /run/haproxy.pid ] && kill "$(cat /run/haproxy.pid)" 2>/dev/null || true
}

cmd_start() {
  [ -x "$HAPROXY" ] || stack_fail "$PEER" "" "HAProxy not installed (run: $0 install)"
  config_check || stack_fail "$PEER" "$LOG" "haproxy -c refused a minimal configuration"
  write_env
  stack_log "$PEER ready ($("$HAPROXY" -v | head -n 1))"
}

cmd_stop() { rm -f "$STACK_DIR/$PEER.env"; stack_log "$PEER stopped"; }

cmd_status() {
  if [ -x "$HAPROXY" ] && [ -f "$STACK_DIR/$PEER.env" ]; then echo "$PEER: $HAPROXY"; else echo "$PEER: stopped"; return 1; fi
}

case "${1:-}" in
  install) cmd_install ;;
  start)   cmd_start ;;
  stop)    cmd_stop ;;
  status)  cmd_status ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
