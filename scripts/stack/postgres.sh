#!/usr/bin/env bash
# PostgreSQL 15 (Debian) for the tests: a PRIVATE cluster under $STACK_DIR/postgres, never the
# system cluster. Listens on 127.0.0.1:55432 only (scram-sha-256); its unix socket lives in
# $STACK_DIR/postgres/run and accepts only the `postgres` OS user (peer), for this script.
#
#   switchyard_admin  superuser (password generated) — owns switchyard_test; can CREATE DATABASE,
#                     so tests that want a fresh database use SWITCHYARD_TEST_PG_ADMIN_URL:
#                       CREATE DATABASE x TEMPLATE switchyard_template OWNER switchyard_owner;
#                       GRANT CONNECT, TEMP ON DATABASE x TO switchyard_app;
#                     then migrate it through SWITCHYARD_TEST_PG_MIGRATION_URL (lib/testing/db.ts).
#   switchyard_app    LOGIN, NOSUPERUSER, owns no database or schema (password generated);
#                     CONNECT, TEMP on switchyard_test and USAGE, CREATE on schema public,
#                     so it can run the migrations but cannot bypass what the admin sets up.
#                     In the template it has USAGE only (test databases are migrated by the owner).
#   switchyard_owner  LOGIN, NOSUPERUSER (password generated): the migration owner, as
#                     DATABASE_MIGRATION_URL in production (README: Database roles). Test
#                     databases are created OWNER switchyard_owner; it migrates them and grants
#                     switchyard_app only what the console needs, so the tests run against the
#                     production grants (lib/testing/db.ts, docs/security.md §35).
#
# A cold `start` recreates the cluster from scratch (fresh data, fresh passwords); `start` on a
# running, healthy cluster only adds what is missing (the owner role) and rewrites
# $STACK_DIR/postgres.env. `stop` keeps the data for
# inspection until the next cold start.
#
# Usage: postgres.sh install|start|stop|status
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PEER=postgres
PG_BIN=/usr/lib/postgresql/15/bin
PG_HOST=127.0.0.1
PG_PORT=55432
PG_DB=switchyard_test
PG_TEMPLATE=switchyard_template
BASE="$STACK_DIR/postgres"
DATA="$BASE/data"
RUN="$BASE/run"
LOG="$BASE/postgres.log"
SECRETS="$BASE/secrets.env"

# Run a command as the cluster's OS owner (initdb/postgres refuse to run as root).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# psql as the bootstrap superuser over the private unix socket.
psql_local() {
  as_owner /usr/bin/psql -X -q -v ON_ERROR_STOP=1 -h "$RUN" -p "$PG_PORT" -U postgres "$@"
}

load_secrets() {
  [ -f "$SECRETS" ] || return 1
  # shellcheck disable=SC1090
  source "$SECRETS"
  [ -n "${PG_ADMIN_PASSWORD:-}" ] && [ -n "${PG_APP_PASSWORD:-}" ]
}

app_url()   { echo "postgres://switchyard_app:$PG_APP_PASSWORD@$PG_HOST:$PG_PORT/$PG_DB"; }
admin_url() { echo "postgres://switchyard_admin:$PG_ADMIN_PASSWORD@$PG_HOST:$PG_PORT/$PG_DB"; }
owner_url() { echo "postgres://switchyard_owner:$PG_OWNER_PASSWORD@$PG_HOST:$PG_PORT/$PG_DB"; }

# The migration owner role. Idempotent, so a cluster started by an older version of this
# script gains it without a restart (a cold start would drop every test database in use).
ensure_owner_role() {
  if [ -z "${PG_OWNER_PASSWORD:-}" ]; then
    PG_OWNER_PASSWORD="$(stack_random_secret 24)"
    (umask 077; printf 'PG_OWNER_PASSWORD=%s\n' "$PG_OWNER_PASSWORD" >>"$SECRETS")
  fi
  psql_local -d postgres -v owner_pw="$PG_OWNER_PASSWORD" >>"$LOG" 2>&1 <<SQL || return 1
SELECT format('CREATE ROLE switchyard_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD %L', :'owner_pw')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'switchyard_owner') \gexec
ALTER ROLE switchyard_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'owner_pw';
GRANT CONNECT ON DATABASE $PG_DB TO switchyard_owner;
SQL
  stack_wait "PGCONNECT_TIMEOUT=2 /usr/bin/psql -X -At '$(owner_url)' -c 'select 1'" 20
}

server_running() {
  [ -f "$DATA/postmaster.pid" ] && kill -0 "$(head -n 1 "$DATA/postmaster.pid")" 2>/dev/null
}

# Healthy = running, and both roles can log in over TCP with their passwords.
healthy() {
  server_running || return 1
  load_secrets || return 1
  /usr/bin/psql -X -q -At "$(app_url)" -c 'select 1' >/dev/null 2>&1 || return 1
  /usr/bin/psql -X -q -At "$(admin_url)" -c 'select 1' >/dev/null 2>&1
}

write_env() {
  stack_env_write "$PEER" \
    "SWITCHYARD_TEST_PG_URL=$(app_url)" \
    "SWITCHYARD_TEST_PG_ADMIN_URL=$(admin_url)" \
    "SWITCHYARD_TEST_PG_MIGRATION_URL=$(owner_url)" \
    "SWITCHYARD_TEST_PG_TEMPLATE=$PG_TEMPLATE"
}

cmd_install() {
  stack_apt_install postgresql postgresql-client openssl
  [ -x "$PG_BIN/initdb" ] || stack_fail "$PEER" "" "$PG_BIN/initdb missing after install"
  # Debian's postinst creates and may start the system cluster 15/main; we never use it.
  if command -v pg_lsclusters >/dev/null 2>&1 && pg_lsclusters -h 2>/dev/null | awk '$4 == "online"' | grep -q .; then
    stack_log "stopping the system PostgreSQL cluster(s) (we run a private one)"
    pg_lsclusters -h | awk '$4 == "online" {print $1, $2}' | while read -r v c; do
      pg_ctlcluster "$v" "$c" stop || true
    done
  fi
}

cmd_start() {
  [ -x "$PG_BIN/initdb" ] || stack_fail "$PEER" "" "PostgreSQL 15 not installed (run: $0 install)"
  if healthy; then
    ensure_owner_role || stack_fail "$PEER" "$LOG" "creating the migration owner role failed"
    write_env
    stack_log "$PEER already running on $PG_HOST:$PG_PORT"
    return 0
  fi
  if server_running; then
    stack_log "$PEER running but unhealthy: restarting from scratch"
    cmd_stop
  fi
  if (exec 3<>"/dev/tcp/$PG_HOST/$PG_PORT") 2>/dev/null; then
    stack_fail "$PEER" "" "port $PG_PORT is already in use by another process"
  fi

  # Fresh cluster every cold start.
  rm -rf "$BASE"
  mkdir -p "$DATA" "$RUN"
  chmod 700 "$DATA" "$RUN"
  : >"$LOG"
  if [ "$(id -u)" -eq 0 ]; then
    chown -R postgres:postgres "$BASE"
    runuser -u postgres -- test -x "$BASE" \
      || stack_fail "$PEER" "" "the postgres OS user cannot reach $BASE (a parent directory is not world-executable)"
  fi

  PG_ADMIN_PASSWORD="$(stack_random_secret 24)"
  PG_APP_PASSWORD="$(stack_random_secret 24)"
  PG_OWNER_PASSWORD="$(stack_random_secret 24)"
  (umask 077; printf 'PG_ADMIN_PASSWORD=%s\nPG_APP_PASSWORD=%s\nPG_OWNER_PASSWORD=%s\n' "$PG_ADMIN_PASSWORD" "$PG_APP_PASSWORD" "$PG_OWNER_PASSWORD" >"$SECRETS")

  as_owner "$PG_BIN/initdb" -D "$DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=peer --auth-host=reject --no-sync >>"$LOG" 2>&1 \
    || stack_fail "$PEER" "$LOG" "initdb failed"

  cat >"$DATA/pg_hba.conf" <<'EOF'
# Private test cluster (scripts/stack/postgres.sh)
# TYPE  DATABASE  USER      ADDRESS        METHOD
local   all       postgres                 peer
host    all       all       127.0.0.1/32   scram-sha-256
EOF
  cat >>"$DATA/postgresql.conf" <<EOF

# --- scripts/stack/postgres.sh ---
listen_addresses = '$PG_HOST'
port = $PG_PORT
unix_socket_directories = '$RUN'
unix_socket_permissions = 0700
password_encryption = 'scram-sha-256'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
log_min_messages = warning
log_line_prefix = '%m [%p] %u@%d '
timezone = 'UTC'
EOF
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$DATA/pg_hba.conf" "$DATA/postgresql.conf"

  as_owner "$PG_BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >>"$LOG" 2>&1 \
    || stack_fail "$PEER" "$LOG" "pg_ctl start failed"

  psql_local -d postgres \
    -v admin_pw="$PG_ADMIN_PASSWORD" -v app_pw="$PG_APP_PASSWORD" >>"$LOG" 2>&1 <<'SQL' \
    || stack_fail "$PEER" "$LOG" "creating roles failed"
CREATE ROLE switchyard_admin LOGIN SUPERUSER PASSWORD :'admin_pw';
CREATE ROLE switchyard_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  PASSWORD :'app_pw';
SQL
  for db in "$PG_DB" "$PG_TEMPLATE"; do
    psql_local -d postgres -c "CREATE DATABASE $db OWNER switchyard_admin" >>"$LOG" 2>&1 \
      || stack_fail "$PEER" "$LOG" "CREATE DATABASE $db failed"
    # The template's app role gets USAGE only; switchyard_test keeps the single-role setup.
    local create_on_public=", CREATE"; [ "$db" = "$PG_TEMPLATE" ] && create_on_public=""
    psql_local -d "$db" >>"$LOG" 2>&1 <<SQL || stack_fail "$PEER" "$LOG" "grants on $db failed"
GRANT CONNECT, TEMP ON DATABASE $db TO switchyard_app;
GRANT USAGE$create_on_public ON SCHEMA public TO switchyard_app;
SQL
  done
  psql_local -d postgres -c "ALTER DATABASE $PG_TEMPLATE WITH IS_TEMPLATE true" >>"$LOG" 2>&1 \
    || stack_fail "$PEER" "$LOG" "marking $PG_TEMPLATE as a template failed"
  ensure_owner_role || stack_fail "$PEER" "$LOG" "creating the migration owner role failed"

  stack_wait "PGCONNECT_TIMEOUT=2 /usr/bin/psql -X -At '$(app_url)' -c 'select 1'" 20 \
    || stack_fail "$PEER" "$LOG" "switchyard_app cannot log in over TCP"
  healthy || stack_fail "$PEER" "$LOG" "health check failed"
  write_env
  stack_log "$PEER ready on $PG_HOST:$PG_PORT (db $PG_DB)"
}

cmd_stop() {
  if server_running; then
    as_owner "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w -t 30 stop >>"$LOG" 2>&1 || {
      local pid; pid="$(head -n 1 "$DATA/postmaster.pid" 2>/dev/null || true)"
      [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
    }
  fi
  rm -f "$STACK_DIR/$PEER.env"
  stack_log "$PEER stopped"
}

cmd_status() {
  if healthy; then
    echo "$PEER: running on $PG_HOST:$PG_PORT (pid $(head -n 1 "$DATA/postmaster.pid"))"
  elif server_running; then
    echo "$PEER: running but unhealthy (see $LOG)"; return 1
  else
    echo "$PEER: stopped"; return 1
  fi
}

case "${1:-}" in
  install) cmd_install ;;
  start)   cmd_start ;;
  stop)    cmd_stop ;;
  status)  cmd_status ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
