#!/usr/bin/env bash
# Shared helpers for the test stack. Each peer script (postgres.sh, ldap.sh, zookeeper.sh,
# nacos.sh, k8s.sh, chromium.sh) sources this file and answers `install | start | stop | status`.
#
# Layout:
#   $SWITCHYARD_CACHE (~/.cache/switchyard)  toolchains, built binaries, Maven repo: kept between runs
#   $STACK_DIR (<repo>/.stack)              data, logs, pids and <peer>.env of the running stack
# A peer's `start` is idempotent, binds 127.0.0.1 only, waits until the peer really answers,
# and writes $STACK_DIR/<peer>.env (KEY=VALUE lines the tests read). A peer that fails stops
# the run with its name and the tail of its log (stack_fail).
set -euo pipefail

STACK_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SWITCHYARD_CACHE="${SWITCHYARD_CACHE:-$HOME/.cache/switchyard}"
STACK_DIR="${SWITCHYARD_STACK_DIR:-$STACK_REPO/.stack}"
SHARED_DIR="${SWITCHYARD_SHARED_DIR:-$STACK_REPO/../shared}"
mkdir -p "$SWITCHYARD_CACHE" "$STACK_DIR"

stack_log() { echo "stack: $*" >&2; }

# stack_fail PEER LOGFILE MESSAGE — name the peer, say why, show the tail of its log, exit 1.
stack_fail() {
  local peer="$1" logfile="${2:-}" msg="${3:-failed to start}"
  echo "stack: $peer FAILED: $msg" >&2
  if [ -n "$logfile" ] && [ -f "$logfile" ]; then
    echo "---- last 40 lines of $logfile ----" >&2
    tail -n 40 "$logfile" >&2
    echo "---- end of $peer log ----" >&2
  fi
  exit 1
}

# stack_wait_port HOST PORT SECONDS — true once a TCP connect succeeds.
stack_wait_port() {
  local host="$1" port="$2" secs="$3" i=0
  while [ "$i" -lt $((secs * 5)) ]; do
    if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then return 0; fi
    sleep 0.2; i=$((i + 1))
  done
  return 1
}

# stack_wait CMD SECONDS — poll a shell command until it succeeds.
stack_wait() {
  local cmd="$1" secs="$2" i=0
  while [ "$i" -lt $((secs * 2)) ]; do
    if bash -c "$cmd" >/dev/null 2>&1; then return 0; fi
    sleep 0.5; i=$((i + 1))
  done
  return 1
}

# stack_pid_alive PIDFILE
stack_pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# stack_wait_started PEER PIDFILE LOGFILE SECONDS WHAT CMD... — after starting a peer in the
# background: poll CMD every 0.5 s until it succeeds; stop the run (stack_fail) as soon as the
# process dies, or after SECONDS with "WHAT after SECONDS s".
stack_wait_started() {
  local peer="$1" pf="$2" logf="$3" secs="$4" what="$5" i=0
  shift 5
  until "$@"; do
    stack_pid_alive "$pf" || stack_fail "$peer" "$logf" "$peer exited during startup"
    i=$((i + 1)); [ "$i" -ge $((secs * 2)) ] && stack_fail "$peer" "$logf" "$what after $secs s"
    sleep 0.5
  done
}

# stack_no_system_service NAME — a Debian package may ship (and start) its own service; the
# stack runs private instances only, so the system one is stopped and disabled.
stack_no_system_service() {
  local name="$1"
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl disable --now "$name" >/dev/null 2>&1 || true
  elif [ -x "/etc/init.d/$name" ]; then
    "/etc/init.d/$name" stop >/dev/null 2>&1 || true
  elif command -v service >/dev/null 2>&1; then
    service "$name" stop >/dev/null 2>&1 || true
  fi
}

# stack_kill PIDFILE — TERM, then KILL after 10 s.
stack_kill() {
  local pf="$1" pid i=0
  [ -f "$pf" ] || return 0
  pid="$(cat "$pf")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pf"
}

# stack_apt_install PKG... — install Debian packages once (apt-get update first when needed).
stack_apt_install() {
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ "${#missing[@]}" -eq 0 ] && return 0
  stack_log "apt-get install ${missing[*]}"
  local SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 || true
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$SWITCHYARD_CACHE/apt-$$.log" 2>&1 \
    || { tail -n 20 "$SWITCHYARD_CACHE/apt-$$.log" >&2; return 1; }
  rm -f "$SWITCHYARD_CACHE/apt-$$.log"
}

# stack_env_write PEER KEY=VALUE... — the peer's connection facts for the tests.
stack_env_write() {
  local peer="$1"; shift
  printf '%s\n' "$@" > "$STACK_DIR/$peer.env"
}

# stack_random_secret BYTES — hex
stack_random_secret() { head -c "${1:-32}" /dev/urandom | od -An -tx1 | tr -d ' \n'; }
