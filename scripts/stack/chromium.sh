#!/usr/bin/env bash
# Chromium (Debian) for Playwright: installed from apt only — never a downloaded browser
# (no `npx playwright install`). Nothing runs in the background: `start` checks that
# /usr/bin/chromium starts headless and renders a page, then writes $STACK_DIR/chromium.env.
# `install` also adds a small CJK font (WenQuanYi Micro Hei) so Chinese text renders in
# screenshots instead of tofu boxes.
#
# Playwright: chromium.launch({ executablePath: process.env.SWITCHYARD_TEST_CHROMIUM,
#   args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
#          '--disable-background-networking', '--disable-component-update', '--disable-sync'] })
#
# Usage: chromium.sh install|start|stop|status
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PEER=chromium
CHROMIUM=/usr/bin/chromium
LOG="$STACK_DIR/chromium/check.log"
CJK_FONT_PKG=fonts-wqy-microhei

write_env() { stack_env_write "$PEER" "SWITCHYARD_TEST_CHROMIUM=$CHROMIUM"; }

# render_check — headless Chromium renders a data: URL; prints nothing, returns 0 on success.
render_check() {
  local profile out rc=0
  profile="$(mktemp -d "${TMPDIR:-/tmp}/switchyard-chromium.XXXXXX")"
  mkdir -p "$(dirname "$LOG")"
  echo "== $(date -u +%FT%TZ) $("$CHROMIUM" --version 2>&1 || true)" >"$LOG"
  out="$(timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-dev-shm-usage --user-data-dir="$profile" \
    --dump-dom 'data:text/html,<p id="probe">ok</p>' 2>>"$LOG")" || rc=1
  rm -rf "$profile"
  echo "$out" >>"$LOG"
  [ "$rc" -eq 0 ] && [[ "$out" == *'<p id="probe">ok</p>'* ]]
}

cmd_install() {
  stack_apt_install chromium "$CJK_FONT_PKG" fontconfig
  [ -x "$CHROMIUM" ] || stack_fail "$PEER" "" "$CHROMIUM missing after install"
  fc-list :lang=zh family 2>/dev/null | grep -q . \
    || stack_fail "$PEER" "" "no font with Chinese coverage after installing $CJK_FONT_PKG"
}

cmd_start() {
  [ -x "$CHROMIUM" ] || stack_fail "$PEER" "" "$CHROMIUM not installed (run: $0 install)"
  "$CHROMIUM" --version >/dev/null 2>&1 || stack_fail "$PEER" "" "$CHROMIUM --version fails"
  render_check || stack_fail "$PEER" "$LOG" "headless Chromium did not render a test page"
  write_env
  stack_log "$PEER ready: $("$CHROMIUM" --version 2>/dev/null)"
}

cmd_stop() {
  # Nothing runs between tests; just withdraw the env file.
  rm -f "$STACK_DIR/$PEER.env"
  stack_log "$PEER stopped"
}

cmd_status() {
  if [ -x "$CHROMIUM" ] && [ -f "$STACK_DIR/$PEER.env" ]; then
    echo "$PEER: ready ($("$CHROMIUM" --version 2>/dev/null))"
  elif [ -x "$CHROMIUM" ]; then
    echo "$PEER: installed, not checked (run: $0 start)"; return 1
  else
    echo "$PEER: not installed"; return 1
  fi
}

case "${1:-}" in
  install) cmd_install ;;
  start)   cmd_start ;;
  stop)    cmd_stop ;;
  status)  cmd_status ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
