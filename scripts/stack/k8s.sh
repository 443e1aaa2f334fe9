#!/usr/bin/env bash
# k8s.sh install|start|stop|status — a Kubernetes API server for custom resources, for the tests.
#
#   etcd:     our own single-member etcd (scripts/stack/etcd, go.etcd.io/etcd/server/v3/embed),
#             client http://127.0.0.1:22379, peer http://127.0.0.1:22380, data $STACK_DIR/etcd
#   API:      k8s.io/apiextensions-apiserver (CRDs and custom resources only: no core API, no
#             Namespace objects — namespaced custom resources work in any namespace name),
#             https://127.0.0.1:26443, client-certificate authentication only
#             (O=system:masters is always authorized; anonymous requests are denied)
#   CRDs:     every CustomResourceDefinition of $SHARED_DIR/crds/*.yaml is applied at start
#             (created, or replaced when etcd data from an earlier run already holds it), and
#             start waits until all are Established and every served resource answers a list.
#
# etcd data is kept between stop and start; `SWITCHYARD_K8S_WIPE=1 k8s.sh start` starts from an
# empty etcd. Certificates (CA, serving, client) are made once with openssl and reused.
# Writes $STACK_DIR/k8s.env: SWITCHYARD_TEST_K8S_URL, _CA, _CERT, _KEY (PEM paths) and
# SWITCHYARD_TEST_ETCD_URL.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PEER=k8s
APISERVER_MODULE="k8s.io/apiextensions-apiserver"
APISERVER_VERSION="v0.34.13"
ETCD_HOST=127.0.0.1
ETCD_PORT=22379
ETCD_PEER_PORT=22380
API_PORT=26443
ETCD_URL="http://$ETCD_HOST:$ETCD_PORT"
API_URL="https://127.0.0.1:$API_PORT"

BIN_DIR="$SWITCHYARD_CACHE/bin"
APISERVER_BIN="$BIN_DIR/apiextensions-apiserver"
APISERVER_STAMP="$BIN_DIR/apiextensions-apiserver.stamp"
HELPER_SRC="$STACK_REPO/scripts/stack/etcd"
HELPER_BIN="$BIN_DIR/switchyard-k8s-helper"
HELPER_STAMP="$BIN_DIR/switchyard-k8s-helper.stamp"
INSTALL_LOG="$SWITCHYARD_CACHE/logs/k8s-install.log"

K8S_DIR="$STACK_DIR/k8s"          # PEM files, dummy kubeconfig, logs, pids
ETCD_DATA="$STACK_DIR/etcd"
ETCD_LOG="$K8S_DIR/etcd.log"
ETCD_PID="$K8S_DIR/etcd.pid"
API_LOG="$K8S_DIR/apiserver.log"
API_PID="$K8S_DIR/apiserver.pid"
APPLY_LOG="$K8S_DIR/apply-crds.log"
CA_CRT="$K8S_DIR/ca.crt"
CA_KEY="$K8S_DIR/ca.key"
SERVER_CRT="$K8S_DIR/server.crt"
SERVER_KEY="$K8S_DIR/server.key"
CLIENT_CRT="$K8S_DIR/client.crt"
CLIENT_KEY="$K8S_DIR/client.key"
DUMMY_KUBECONFIG="$K8S_DIR/dummy-kubeconfig"

# Go >= 1.25 builds the API server and the etcd helper. A machine's own Go is used when it is
# new enough; otherwise the Go toolchain comes from the Go module proxy (the module
# golang.org/toolchain, the same artifact `GOTOOLCHAIN=go1.x` makes the go command fetch),
# unpacked once into $SWITCHYARD_CACHE/go-toolchain. Nothing comes from go.dev downloads.
GO_TOOLCHAIN_VERSION="${SWITCHYARD_GO_VERSION:-1.26.8}"
GO_MIN_MINOR=25
GOPROXY_URL="${GOPROXY:-https://proxy.golang.org}"; GOPROXY_URL="${GOPROXY_URL%%,*}"; [ "$GOPROXY_URL" = direct ] && GOPROXY_URL=https://proxy.golang.org

go_new_enough() { # GO-BINARY
  local v; v="$("$1" env GOVERSION 2>/dev/null || true)"   # go1.26.8; Go < 1.16 has no GOVERSION
  [[ "$v" =~ ^go1\.([0-9]+) ]] && [ "${BASH_REMATCH[1]}" -ge "$GO_MIN_MINOR" ]
}

go_from_proxy() {
  local dir="$SWITCHYARD_CACHE/go-toolchain/go$GO_TOOLCHAIN_VERSION" zip mod
  mod="golang.org/toolchain@v0.0.1-go$GO_TOOLCHAIN_VERSION.linux-amd64"
  if [ ! -x "$dir/$mod/bin/go" ]; then
    command -v unzip >/dev/null || stack_apt_install unzip >&2 || return 1
    command -v curl >/dev/null || stack_apt_install curl >&2 || return 1
    stack_log "k8s: Go $GO_TOOLCHAIN_VERSION from the Go module proxy ($GOPROXY_URL, ~70 MB, once)"
    mkdir -p "$dir"; zip="$dir.zip.part"
    curl -fsSL --retry 3 -o "$zip" "$GOPROXY_URL/golang.org/toolchain/@v/v0.0.1-go$GO_TOOLCHAIN_VERSION.linux-amd64.zip" >&2 || { rm -f "$zip"; return 1; }
    rm -rf "${dir:?}/golang.org"; unzip -q "$zip" -d "$dir" >&2 || return 1
    rm -f "$zip"
    # Module zips carry no file modes: make the go command and its tools executable.
    chmod +x "$dir/$mod/bin/"* "$dir/$mod/pkg/tool/"*/* 2>/dev/null || true
  fi
  echo "$dir/$mod/bin/go"
}

go_cmd() {
  local g
  for g in "$(command -v go 2>/dev/null || true)" /usr/local/go/bin/go; do
    if [ -n "$g" ] && [ -x "$g" ] && [ -z "${SWITCHYARD_GO_FROM_PROXY:-}" ] && go_new_enough "$g"; then echo "$g"; return 0; fi
  done
  go_from_proxy
}

# ------------------------------------------------------------------------------------- install

apiserver_stamp_want() { echo "$APISERVER_MODULE@$APISERVER_VERSION"; }

helper_stamp_want() {
  local go="$1"
  { "$go" version; cat "$HELPER_SRC/go.mod" "$HELPER_SRC/go.sum" "$HELPER_SRC/main.go"; } | sha256sum | cut -d' ' -f1
}

do_install() {
  local go
  go="$(go_cmd)" || stack_fail "$PEER" "" "no Go >= 1.$GO_MIN_MINOR on this machine, and the Go toolchain could not be fetched from the Go module proxy ($GOPROXY_URL)"
  command -v openssl >/dev/null || stack_apt_install openssl || stack_fail "$PEER" "" "openssl missing"
  command -v curl >/dev/null || stack_apt_install curl || stack_fail "$PEER" "" "curl missing"
  mkdir -p "$BIN_DIR" "$(dirname "$INSTALL_LOG")"

  # Serialize installs (several callers may run `install` at once).
  exec 8>"$BIN_DIR/.k8s-install.lock"
  flock 8

  # Builds resolve modules from go.mod/go.sum (-mod=mod); the module cache is the default
  # GOPATH one ($(go env GOMODCACHE)), shared with the API server's build.
  export GOFLAGS="-mod=mod -buildvcs=false" GOTOOLCHAIN="${GOTOOLCHAIN:-local}"

  # 1. apiextensions-apiserver, pinned.
  if [ -x "$APISERVER_BIN" ] && [ "$(cat "$APISERVER_STAMP" 2>/dev/null)" = "$(apiserver_stamp_want)" ]; then
    :
  elif [ -x "$APISERVER_BIN" ] && "$go" version -m "$APISERVER_BIN" 2>/dev/null \
      | awk -v m="$APISERVER_MODULE" -v v="$APISERVER_VERSION" '$1=="mod" && $2==m && $3==v {f=1} END {exit !f}'; then
    apiserver_stamp_want > "$APISERVER_STAMP"   # built by someone else at the pinned version
  else
    stack_log "k8s: go install $APISERVER_MODULE@$APISERVER_VERSION (first time: a few minutes)"
    local t0=$SECONDS
    rm -f "$APISERVER_STAMP"
    if ! { echo "== $(date -Is) go install $APISERVER_MODULE@$APISERVER_VERSION"
           GOBIN="$BIN_DIR" "$go" install "$APISERVER_MODULE@$APISERVER_VERSION"; } >>"$INSTALL_LOG" 2>&1; then
      stack_fail "$PEER" "$INSTALL_LOG" "go install $APISERVER_MODULE@$APISERVER_VERSION failed"
    fi
    apiserver_stamp_want > "$APISERVER_STAMP"
    stack_log "k8s: apiextensions-apiserver installed in $((SECONDS - t0)) s"
  fi

  # 2. Our helper (embedded etcd + CRD apply), rebuilt when its sources or Go change.
  local want
  want="$(helper_stamp_want "$go")"
  if [ ! -x "$HELPER_BIN" ] || [ "$(cat "$HELPER_STAMP" 2>/dev/null)" != "$want" ]; then
    stack_log "k8s: go build scripts/stack/etcd -> $HELPER_BIN"
    local t0=$SECONDS
    rm -f "$HELPER_STAMP"
    if ! { echo "== $(date -Is) go build scripts/stack/etcd"
           (cd "$HELPER_SRC" && "$go" build -o "$HELPER_BIN.tmp" .); } >>"$INSTALL_LOG" 2>&1; then
      stack_fail "$PEER" "$INSTALL_LOG" "go build of scripts/stack/etcd failed"
    fi
    mv -f "$HELPER_BIN.tmp" "$HELPER_BIN"
    echo "$want" > "$HELPER_STAMP"
    stack_log "k8s: helper built in $((SECONDS - t0)) s"
  fi

  flock -u 8
  exec 8>&-
}

installed() {
  local go
  go="$(go_cmd)" || return 1
  [ -x "$APISERVER_BIN" ] && [ "$(cat "$APISERVER_STAMP" 2>/dev/null)" = "$(apiserver_stamp_want)" ] \
    && [ -x "$HELPER_BIN" ] && [ "$(cat "$HELPER_STAMP" 2>/dev/null)" = "$(helper_stamp_want "$go")" ]
}

# ------------------------------------------------------------------------------------- certificates

certs_ok() {
  local f
  for f in "$CA_CRT" "$CA_KEY" "$SERVER_CRT" "$SERVER_KEY" "$CLIENT_CRT" "$CLIENT_KEY"; do [ -s "$f" ] || return 1; done
  for f in "$CA_CRT" "$SERVER_CRT" "$CLIENT_CRT"; do openssl x509 -noout -checkend 86400 -in "$f" >/dev/null 2>&1 || return 1; done
  openssl verify -CAfile "$CA_CRT" "$SERVER_CRT" "$CLIENT_CRT" >/dev/null 2>&1
}

make_certs() {
  certs_ok && return 0
  stack_log "k8s: generating CA, serving and client certificates in $K8S_DIR"
  local tmp log="$K8S_DIR/openssl.log"
  tmp="$(mktemp -d)"
  (
    set -e
    umask 077
    cd "$tmp"
    openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
      -keyout ca.key -out ca.crt -subj "/CN=switchyard-test-ca" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
    printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=serverAuth" "subjectAltName=IP:127.0.0.1,DNS:localhost" > server.ext
    openssl req -newkey rsa:2048 -nodes -sha256 -keyout server.key -out server.csr -subj "/CN=127.0.0.1"
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 -days 3650 \
      -extfile server.ext -out server.crt
    printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=clientAuth" > client.ext
    openssl req -newkey rsa:2048 -nodes -sha256 -keyout client.key -out client.csr \
      -subj "/O=system:masters/CN=switchyard-test"
    openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 -days 3650 \
      -extfile client.ext -out client.crt
    cp ca.crt ca.key server.crt server.key client.crt client.key "$K8S_DIR/"
  ) >"$log" 2>&1 || { rm -rf "$tmp"; stack_fail "$PEER" "$log" "openssl certificate generation failed"; }
  rm -rf "$tmp"
  chmod 600 "$CA_KEY" "$SERVER_KEY" "$CLIENT_KEY"
  chmod 644 "$CA_CRT" "$SERVER_CRT" "$CLIENT_CRT"
}

# ------------------------------------------------------------------------------------- start/stop

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

etcd_healthy() { curl -fsS --max-time 2 "$ETCD_URL/health" 2>/dev/null | grep -q '"health":"true"'; }

api_ready() {
  curl -fsS --max-time 3 --cacert "$CA_CRT" --cert "$CLIENT_CRT" --key "$CLIENT_KEY" "$API_URL/readyz?exclude=informer-sync" 2>/dev/null | grep -qx ok
}

# wait_for PIDFILE LOG SECONDS CMD... — poll CMD until it succeeds; fail early if the process dies.
wait_for() {
  local pf="$1" logf="$2" secs="$3" i=0; shift 3
  while [ "$i" -lt $((secs * 5)) ]; do
    "$@" && return 0
    stack_pid_alive "$pf" || return 2
    sleep 0.2; i=$((i + 1))
  done
  return 1
}

write_env() {
  stack_env_write "$PEER" \
    "SWITCHYARD_TEST_K8S_URL=$API_URL" \
    "SWITCHYARD_TEST_K8S_CA=$CA_CRT" \
    "SWITCHYARD_TEST_K8S_CERT=$CLIENT_CRT" \
    "SWITCHYARD_TEST_K8S_KEY=$CLIENT_KEY" \
    "SWITCHYARD_TEST_ETCD_URL=$ETCD_URL"
}

start_etcd() {
  if stack_pid_alive "$ETCD_PID" && etcd_healthy; then return 0; fi
  if ! stack_pid_alive "$ETCD_PID"; then
    rm -f "$ETCD_PID"
    if port_in_use "$ETCD_PORT" || port_in_use "$ETCD_PEER_PORT"; then
      stack_fail "etcd" "$ETCD_LOG" "port $ETCD_PORT or $ETCD_PEER_PORT on 127.0.0.1 is taken by another process"
    fi
    if [ "${SWITCHYARD_K8S_WIPE:-0}" = 1 ]; then
      stack_log "k8s: SWITCHYARD_K8S_WIPE=1: removing etcd data $ETCD_DATA"
      rm -rf "$ETCD_DATA"
    fi
    mkdir -p "$ETCD_DATA" && chmod 700 "$ETCD_DATA"
    echo "== $(date -Is) start" >>"$ETCD_LOG"
    setsid "$HELPER_BIN" etcd -data-dir "$ETCD_DATA" \
      -client-url "$ETCD_URL" -peer-url "http://$ETCD_HOST:$ETCD_PEER_PORT" \
      </dev/null >>"$ETCD_LOG" 2>&1 &
    echo $! >"$ETCD_PID"
  fi
  local rc=0
  wait_for "$ETCD_PID" "$ETCD_LOG" 60 etcd_healthy || rc=$?
  case "$rc" in
    0) ;;
    2) rm -f "$ETCD_PID"; stack_fail "etcd" "$ETCD_LOG" "etcd exited during start" ;;
    *) stack_fail "etcd" "$ETCD_LOG" "etcd not healthy at $ETCD_URL/health after 60 s" ;;
  esac
}

start_apiserver() {
  if stack_pid_alive "$API_PID" && api_ready; then return 0; fi
  if ! stack_pid_alive "$API_PID"; then
    rm -f "$API_PID"
    if port_in_use "$API_PORT"; then
      stack_fail "$PEER" "$API_LOG" "port $API_PORT on 127.0.0.1 is taken by another process"
    fi
    # Never contacted for client-certificate requests; the authn/authz delegation needs a file.
    cat >"$DUMMY_KUBECONFIG" <<'EOF'
apiVersion: v1
kind: Config
clusters:
- cluster:
    server: http://127.1.2.3:12345
  name: unreachable
contexts:
- context:
    cluster: unreachable
    user: nobody
  name: default
current-context: default
users:
- name: nobody
  user:
    username: nobody
    password: nobody
EOF
    mkdir -p "$K8S_DIR/apiserver-certs"
    echo "== $(date -Is) start" >>"$API_LOG"
    setsid "$APISERVER_BIN" \
      --etcd-servers="$ETCD_URL" \
      --bind-address=127.0.0.1 --secure-port="$API_PORT" \
      --cert-dir="$K8S_DIR/apiserver-certs" \
      --tls-cert-file="$SERVER_CRT" --tls-private-key-file="$SERVER_KEY" \
      --client-ca-file="$CA_CRT" \
      --authentication-skip-lookup \
      --authentication-kubeconfig="$DUMMY_KUBECONFIG" \
      --authorization-kubeconfig="$DUMMY_KUBECONFIG" \
      --kubeconfig="$DUMMY_KUBECONFIG" \
      --enable-priority-and-fairness=false \
      --disable-admission-plugins=NamespaceLifecycle,MutatingAdmissionWebhook,ValidatingAdmissionWebhook,ValidatingAdmissionPolicy \
      </dev/null >>"$API_LOG" 2>&1 &
    echo $! >"$API_PID"
  fi
  local rc=0
  wait_for "$API_PID" "$API_LOG" 120 api_ready || rc=$?
  case "$rc" in
    0) ;;
    2) rm -f "$API_PID"; stack_fail "$PEER" "$API_LOG" "apiextensions-apiserver exited during start" ;;
    *) stack_fail "$PEER" "$API_LOG" "apiextensions-apiserver not ready at $API_URL/readyz after 120 s" ;;
  esac
}

apply_crds() {
  local files=()
  shopt -s nullglob
  files=("$SHARED_DIR"/crds/*.yaml)
  shopt -u nullglob
  [ "${#files[@]}" -gt 0 ] || stack_fail "$PEER" "" "no CRD files in $SHARED_DIR/crds"
  echo "== $(date -Is) apply ${files[*]}" >>"$APPLY_LOG"
  "$HELPER_BIN" apply-crds -server "$API_URL" -ca "$CA_CRT" -cert "$CLIENT_CRT" -key "$CLIENT_KEY" \
    -timeout 180s "${files[@]}" >>"$APPLY_LOG" 2>&1 \
    || stack_fail "$PEER" "$APPLY_LOG" "applying the CRDs of $SHARED_DIR/crds failed"
}

do_start() {
  local t0=$SECONDS
  installed || do_install
  mkdir -p "$K8S_DIR"
  make_certs
  if stack_pid_alive "$API_PID" && stack_pid_alive "$ETCD_PID" && api_ready && [ -f "$STACK_DIR/$PEER.env" ]; then
    stack_log "k8s: already running at $API_URL"
    return 0
  fi
  start_etcd
  start_apiserver
  apply_crds
  write_env
  stack_log "k8s: ready at $API_URL (etcd $ETCD_URL) in $((SECONDS - t0)) s"
}

do_stop() {
  stack_kill "$API_PID"
  stack_kill "$ETCD_PID"
  rm -f "$STACK_DIR/$PEER.env"
}

do_status() {
  if [ -s "$CLIENT_CRT" ] && api_ready; then
    echo "k8s: running at $API_URL (apiserver pid $(cat "$API_PID" 2>/dev/null || echo '?'), etcd pid $(cat "$ETCD_PID" 2>/dev/null || echo '?'))"
    return 0
  fi
  echo "k8s: not running"
  return 1
}

case "${1:-}" in
  install) do_install ;;
  start) do_start ;;
  stop) do_stop ;;
  status) do_status ;;
  go) go_cmd ;;   # prints the Go this stack builds with (fetching it when the machine has none)
  *) echo "usage: $0 install|start|stop|status|go" >&2; exit 2 ;;
esac
