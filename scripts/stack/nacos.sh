#!/usr/bin/env bash
# A REAL Nacos 3.x server for the tests: the official server + console modules as republished on
# Maven Central (io.github.pig-mesh.nacos, thin jars), started by our own launcher
# (scripts/stack/nacos/src/main/java/dev/switchyard/stack/SwitchyardNacos.java) in "merged" mode:
# one JVM, standalone, embedded Derby, auth ON.
#
#   HTTP API (server)  http://127.0.0.1:18848/nacos   (v1/v2 client APIs, v3 admin APIs)
#   gRPC               127.0.0.1:19848 (SDK), 127.0.0.1:19849 (cluster)   (main port +1000/+1001)
#   JRaft              127.0.0.1:17848                (main port -1000; used even standalone)
#   console            http://127.0.0.1:18080         (UI + /v3/console/... APIs)
# Everything binds 127.0.0.1 only (JRaft through our LoopbackRaftRpcFactory, see nacos/src).
#
# install  resolves the dependencies with Maven (repo: $SWITCHYARD_CACHE/m2) into
#          $SWITCHYARD_CACHE/nacos/<version>/lib and compiles the launcher into .../classes;
#          skipped when the cache matches the hash of nacos/pom.xml + everything in nacos/src.
# start    a cold start recreates $STACK_DIR/nacos from scratch (fresh Derby data, fresh token
#          secret, server identity and admin password), waits for readiness, initialises the
#          admin user `nacos`, checks a login, and writes $STACK_DIR/nacos.env. `start` on a
#          running, healthy server only rewrites nacos.env. `stop` keeps the data for inspection.
#
# Env knobs: SWITCHYARD_NACOS_API_COMPAT=1 also enables the deprecated v1/v2 admin and console
# APIs (nacos.core.api.compatibility.admin/console.enabled, off by default in Nacos 3).
#
# Usage: nacos.sh install|start|stop|status
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PEER=nacos
NACOS_HOST=127.0.0.1
NACOS_PORT=18848                       # gRPC: +1000 (19848), +1001 (19849); raft would be -1000
NACOS_CONSOLE_PORT=18080
NACOS_CTX=/nacos
NACOS_USER=nacos
NACOS_URL="http://$NACOS_HOST:$NACOS_PORT$NACOS_CTX"
NACOS_CONSOLE_URL="http://$NACOS_HOST:$NACOS_CONSOLE_PORT"
START_TIMEOUT="${SWITCHYARD_NACOS_START_TIMEOUT:-120}"

SRC="$STACK_REPO/scripts/stack/nacos"
POM="$SRC/pom.xml"
LAUNCHER_CLASS=dev.switchyard.stack.SwitchyardNacos
NACOS_VERSION="$(sed -n 's:.*<nacos.version>\(.*\)</nacos.version>.*:\1:p' "$POM" | head -n 1)"
[ -n "$NACOS_VERSION" ] || stack_fail "$PEER" "" "cannot read <nacos.version> from $POM"
DIST="$SWITCHYARD_CACHE/nacos/$NACOS_VERSION"
M2="$SWITCHYARD_CACHE/m2"

BASE="$STACK_DIR/nacos"                # nacos.home: conf/, data/ (Derby), logs/
LOG="$BASE/nacos.out"
PIDFILE="$STACK_DIR/nacos.pid"
SECRETS="$BASE/secrets.env"

# Hash of the pom and every launcher source/resource file (names and contents).
cache_key() {
  (cd "$SRC" && find pom.xml src -type f | LC_ALL=C sort | while read -r f; do echo "$f"; cat "$f"; done) \
    | sha256sum | cut -c1-16
}

installed() {
  [ -f "$DIST/.installed" ] && [ "$(cat "$DIST/.installed")" = "$(cache_key)" ] \
    && [ -f "$DIST/classes/dev/switchyard/stack/SwitchyardNacos.class" ] \
    && [ -s "$DIST/classpath.txt" ] && [ -f "$DIST/lib/nacos-server-$NACOS_VERSION.jar" ]
}

need_tools() {
  local pkgs=()
  command -v java >/dev/null 2>&1 && command -v javac >/dev/null 2>&1 || pkgs+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null 2>&1 || pkgs+=(maven)
  command -v curl >/dev/null 2>&1 || pkgs+=(curl)
  [ "${#pkgs[@]}" -eq 0 ] || stack_apt_install "${pkgs[@]}" || stack_fail "$PEER" "" "apt-get install ${pkgs[*]} failed"
  local v
  v="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  [ "${v%%.*}" -ge 17 ] 2>/dev/null || stack_fail "$PEER" "" "Nacos 3 needs Java >= 17 (found '${v:-none}')"
}

cmd_install() {
  need_tools
  if installed; then
    stack_log "$PEER $NACOS_VERSION already installed ($DIST)"
    return 0
  fi
  mkdir -p "$SWITCHYARD_CACHE/nacos" "$M2"
  local tmp="$DIST.tmp.$$" ilog="$SWITCHYARD_CACHE/nacos/install.log"
  rm -rf "$tmp"; mkdir -p "$tmp/lib" "$tmp/classes"
  : >"$ilog"
  stack_log "$PEER: resolving Nacos $NACOS_VERSION with Maven (first time: ~190 MB from Maven Central)"
  # Run from the scratch dir so nothing (target/, etc.) lands in the repo.
  (cd "$tmp" && mvn -B -q -f "$POM" -Dmaven.repo.local="$M2" -DincludeScope=runtime \
      dependency:copy-dependencies -DoutputDirectory="$tmp/lib" \
      dependency:build-classpath -Dmdep.outputFile="$tmp/maven-classpath.txt") >>"$ilog" 2>&1 \
    || { rm -rf "$tmp"; stack_fail "$PEER" "$ilog" "Maven could not resolve the Nacos dependencies"; }
  find "$SRC/src/main/java" -name '*.java' >"$tmp/sources.txt"
  javac -nowarn -encoding UTF-8 --release 17 -d "$tmp/classes" -cp "$tmp/lib/*" @"$tmp/sources.txt" >>"$ilog" 2>&1 \
    || { rm -rf "$tmp"; stack_fail "$PEER" "$ilog" "compiling the launcher failed"; }
  cp -R "$SRC/src/main/resources/." "$tmp/classes/"
  # The classpath ORDER matters, so no `lib/*` (the JVM expands it in directory order): Nacos needs
  # com.caucho:hessian 4.x to shadow the older com.caucho.* copies inside com.alipay.sofa:hessian
  # (pulled in by jraft-core, still needed for com.alipay.hessian.clhm), as in the official fat jar.
  # classpath.txt: jar names, hessian 4 first, then Maven's order (see runtime_classpath).
  local jars
  jars="$(tr ':' '\n' <"$tmp/maven-classpath.txt" | xargs -n1 basename)"
  { echo "$jars" | grep -E '^hessian-4\.' ; echo "$jars" | grep -vE '^hessian-4\.'; } >"$tmp/classpath.txt"
  rm -f "$tmp/maven-classpath.txt" "$tmp/sources.txt"
  cache_key >"$tmp/.installed"
  rm -rf "$DIST"; mv "$tmp" "$DIST"
  stack_log "$PEER $NACOS_VERSION installed ($(ls "$DIST/lib" | wc -l) jars in $DIST/lib)"
}

# lib/<jar>:… in classpath.txt order, then the launcher classes.
runtime_classpath() {
  sed "s|^|$DIST/lib/|" "$DIST/classpath.txt" | tr '\n' ':'
  echo "$DIST/classes"
}

load_secrets() {
  [ -f "$SECRETS" ] || return 1
  # shellcheck disable=SC1090
  source "$SECRETS"
  [ -n "${NACOS_PASSWORD:-}" ]
}

# POST /v3/auth/user/login → {"accessToken":"…","tokenTtl":18000,"globalAdmin":true,"username":"nacos"}
login_ok() {
  curl -fsS --max-time 5 -X POST "$NACOS_URL/v3/auth/user/login" \
    --data-urlencode "username=$NACOS_USER" --data-urlencode "password=$NACOS_PASSWORD" 2>/dev/null \
    | grep -q '"accessToken"'
}

ready() {
  curl -fsS --max-time 5 "$NACOS_URL/v3/admin/core/state/readiness" >/dev/null 2>&1 \
    && curl -fsS --max-time 5 "$NACOS_CONSOLE_URL/v3/console/health/readiness" >/dev/null 2>&1
}

healthy() {
  stack_pid_alive "$PIDFILE" || return 1
  load_secrets || return 1
  ready && login_ok
}

write_env() {
  stack_env_write "$PEER" \
    "SWITCHYARD_TEST_NACOS_URL=$NACOS_URL" \
    "SWITCHYARD_TEST_NACOS_USERNAME=$NACOS_USER" \
    "SWITCHYARD_TEST_NACOS_PASSWORD=$NACOS_PASSWORD" \
    "SWITCHYARD_TEST_NACOS_CONSOLE_URL=$NACOS_CONSOLE_URL" \
    "SWITCHYARD_TEST_NACOS_GRPC_PORT=$((NACOS_PORT + 1000))"
}

port_busy() { (exec 3<>"/dev/tcp/$NACOS_HOST/$1") 2>/dev/null; }

cmd_start() {
  installed || cmd_install
  if healthy; then
    write_env
    stack_log "$PEER already running at $NACOS_URL"
    return 0
  fi
  if stack_pid_alive "$PIDFILE"; then
    stack_log "$PEER running but unhealthy: restarting from scratch"
    cmd_stop
  fi
  local p
  for p in "$NACOS_PORT" $((NACOS_PORT + 1000)) $((NACOS_PORT + 1001)) $((NACOS_PORT - 1000)) "$NACOS_CONSOLE_PORT"; do
    port_busy "$p" && stack_fail "$PEER" "" "port $p is already in use by another process"
  done

  # Fresh server every cold start.
  rm -rf "$BASE" "$STACK_DIR/$PEER.env"
  mkdir -p "$BASE/conf" "$BASE/logs"
  chmod 700 "$BASE"
  : >"$LOG"

  NACOS_PASSWORD="$(stack_random_secret 16)"
  local token_key identity_key identity_value compat=false
  token_key="$(head -c 48 /dev/urandom | base64 -w0)"
  identity_key="switchyard-$(stack_random_secret 8)"
  identity_value="$(stack_random_secret 24)"
  [ "${SWITCHYARD_NACOS_API_COMPAT:-0}" = 1 ] && compat=true
  (umask 077; printf 'NACOS_PASSWORD=%s\n' "$NACOS_PASSWORD" >"$SECRETS")

  # Loaded by every Spring context through --spring.config.additional-location (secrets stay off
  # the command line).
  (umask 077; cat >"$BASE/conf/application.properties" <<EOF
# Generated by scripts/stack/nacos.sh — regenerated on every cold start.
nacos.standalone=true
nacos.server.main.port=$NACOS_PORT
nacos.server.contextPath=$NACOS_CTX
nacos.console.port=$NACOS_CONSOLE_PORT
nacos.console.contextPath=
nacos.console.ui.enabled=true
server.address=$NACOS_HOST
nacos.inetutils.ip-address=$NACOS_HOST
nacos.inetutils.prefer-hostname-over-ip=false
nacos.deployment.type=merged

# embedded Derby under \${nacos.home}/data
spring.sql.init.platform=
nacos.core.sys.basic.processors=2

nacos.core.auth.enabled=true
nacos.core.auth.system.type=nacos
nacos.core.auth.admin.enabled=true
nacos.core.auth.console.enabled=true
nacos.core.auth.caching.enabled=true
nacos.core.auth.server.identity.key=$identity_key
nacos.core.auth.server.identity.value=$identity_value
nacos.core.auth.plugin.nacos.token.cache.enable=false
nacos.core.auth.plugin.nacos.token.expire.seconds=18000
nacos.core.auth.plugin.nacos.token.secret.key=$token_key

nacos.core.api.compatibility.client.enabled=true
nacos.core.api.compatibility.admin.enabled=$compat
nacos.core.api.compatibility.console.enabled=$compat

nacos.istio.mcp.server.enabled=false
nacos.k8s.sync.enabled=false
nacos.ai.mcp.registry.enabled=false
management.endpoints.web.exposure.include=
server.tomcat.accesslog.enabled=false
server.error.include-message=always
EOF
  )

  stack_log "$PEER: starting Nacos $NACOS_VERSION on $NACOS_URL (console $NACOS_CONSOLE_URL)"
  (
    cd "$BASE"
    exec setsid java -Xms512m -Xmx1g -Xss512k -XX:+UseG1GC -XX:MaxDirectMemorySize=256m \
      -XX:-OmitStackTraceInFastThrow -Djava.awt.headless=true -Djava.net.preferIPv4Stack=true \
      -Dnacos.standalone=true -Dnacos.home="$BASE" -Dnacos.server.ip="$NACOS_HOST" \
      -Dnacos.remote.grpc.listen.ip="$NACOS_HOST" -Dnacos.member.list= \
      -Dnacos.deployment.type=merged -Dnacos.logs.path="$BASE/logs" -DJM.LOG.PATH="$BASE/logs" \
      -DJM.SNAPSHOT.PATH="$BASE/data" -Dderby.stream.error.file="$BASE/logs/derby.log" \
      -cp "$(runtime_classpath)" "$LAUNCHER_CLASS" \
      --spring.config.additional-location="file:$BASE/conf/"
  ) >>"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"

  local i=0
  until ready; do
    stack_pid_alive "$PIDFILE" || stack_fail "$PEER" "$LOG" "the JVM exited during startup"
    i=$((i + 1))
    if [ "$i" -ge $((START_TIMEOUT * 2)) ]; then
      stack_kill "$PIDFILE"
      stack_fail "$PEER" "$LOG" "not ready after ${START_TIMEOUT}s ($NACOS_URL/v3/admin/core/state/readiness)"
    fi
    sleep 0.5
  done

  # Nacos 3 has no default admin password: initialise it once (only works while no admin exists).
  # POST /v3/auth/user/admin password=… → {"username":"nacos","password":"…"}
  local out
  out="$(curl -sS --max-time 10 -X POST "$NACOS_URL/v3/auth/user/admin" \
           --data-urlencode "password=$NACOS_PASSWORD" 2>&1)" \
    || { stack_kill "$PIDFILE"; stack_fail "$PEER" "$LOG" "admin init request failed: $out"; }
  echo "$out" | grep -q "\"username\":\"$NACOS_USER\"" \
    || { stack_kill "$PIDFILE"; stack_fail "$PEER" "$LOG" "admin init did not succeed: $out"; }
  i=0
  until login_ok; do
    i=$((i + 1))
    [ "$i" -lt 20 ] || { stack_kill "$PIDFILE"; stack_fail "$PEER" "$LOG" "login as $NACOS_USER failed after admin init"; }
    sleep 0.5
  done

  write_env
  stack_log "$PEER ready at $NACOS_URL (console $NACOS_CONSOLE_URL, user $NACOS_USER)"
}

cmd_stop() {
  if stack_pid_alive "$PIDFILE"; then
    # setsid made the JVM a process-group leader: stop it and anything it spawned.
    local pid; pid="$(cat "$PIDFILE")"
    kill -- -"$pid" 2>/dev/null || true
    stack_kill "$PIDFILE"
    stack_log "$PEER stopped"
  else
    rm -f "$PIDFILE"
  fi
  rm -f "$STACK_DIR/$PEER.env"
}

cmd_status() {
  if healthy; then
    echo "$PEER: running at $NACOS_URL (console $NACOS_CONSOLE_URL, pid $(cat "$PIDFILE"))"
    return 0
  fi
  echo "$PEER: not running"
  return 1
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
