#!/usr/bin/env bash
# Prints the path of helm, built once with `go install helm.sh/helm/v3/cmd/helm@<version>` from
# the Go module proxy into $SWITCHYARD_CACHE (no release download). Go comes from the machine
# when it is >= 1.25, else from the Go module proxy's toolchain module — the same rule and cache
# as scripts/stack/k8s.sh. Used by scripts/helm-chart.integration.test.ts.
set -euo pipefail
HELM_VERSION="${SWITCHYARD_HELM_VERSION:-v3.22.0}"
GO_TOOLCHAIN_VERSION="${SWITCHYARD_GO_VERSION:-1.26.8}"
GO_MIN_MINOR=25
CACHE="${SWITCHYARD_CACHE:-$HOME/.cache/switchyard}"
DIR="$CACHE/helm-$HELM_VERSION"
BIN="$DIR/helm"
GOPROXY_URL="${GOPROXY:-https://proxy.golang.org}"; GOPROXY_URL="${GOPROXY_URL%%,*}"; [ "$GOPROXY_URL" = direct ] && GOPROXY_URL=https://proxy.golang.org

go_new_enough() {
  local v; v="$("$1" env GOVERSION 2>/dev/null || true)"
  [[ "$v" =~ ^go1\.([0-9]+) ]] && [ "${BASH_REMATCH[1]}" -ge "$GO_MIN_MINOR" ]
}

go_cmd() {
  local g dir mod zip
  for g in "$(command -v go 2>/dev/null || true)" /usr/local/go/bin/go; do
    if [ -n "$g" ] && [ -x "$g" ] && go_new_enough "$g"; then echo "$g"; return 0; fi
  done
  dir="$CACHE/go-toolchain/go$GO_TOOLCHAIN_VERSION"
  mod="golang.org/toolchain@v0.0.1-go$GO_TOOLCHAIN_VERSION.linux-amd64"
  if [ ! -x "$dir/$mod/bin/go" ]; then
    echo "helm.sh: Go $GO_TOOLCHAIN_VERSION from the Go module proxy ($GOPROXY_URL, once)" >&2
    mkdir -p "$dir"; zip="$dir.zip.part"
    curl -fsSL --retry 3 -o "$zip" "$GOPROXY_URL/golang.org/toolchain/@v/v0.0.1-go$GO_TOOLCHAIN_VERSION.linux-amd64.zip" >&2
    rm -rf "${dir:?}/golang.org"; unzip -q "$zip" -d "$dir" >&2; rm -f "$zip"
    chmod +x "$dir/$mod/bin/"* "$dir/$mod/pkg/tool/"*/* 2>/dev/null || true
  fi
  echo "$dir/$mod/bin/go"
}

if [ ! -x "$BIN" ]; then
  mkdir -p "$DIR" "$CACHE/logs"
  exec 8>"$DIR/.install.lock"; flock 8
  if [ ! -x "$BIN" ]; then
    go="$(go_cmd)"
    echo "helm.sh: building helm $HELM_VERSION with $("$go" version) (once; log in $CACHE/logs/helm-install.log)" >&2
    GOBIN="$DIR" GOFLAGS="-mod=mod -buildvcs=false" GOTOOLCHAIN=local "$go" install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >"$CACHE/logs/helm-install.log" 2>&1 \
      || { tail -n 30 "$CACHE/logs/helm-install.log" >&2; exit 1; }
  fi
fi
echo "$BIN"
