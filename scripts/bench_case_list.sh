#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 and Redis server and runs scripts/bench_case_list.py
# against them (gunicorn, the queue's worker and wrk are started by the script).
# With DATABASE_URL (and REDIS_URL) set, those servers are used instead.
set -euo pipefail
cd "$(dirname "$0")/.."
PG_BIN=/usr/lib/postgresql/15/bin
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v redis-server >/dev/null || apt-get install -y -qq redis-server >/dev/null
run_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup=()
trap 'for step in "${cleanup[@]}"; do eval "$step"; done' EXIT

if [ -z "${REDIS_URL:-}" ]; then
  REDIS_PORT="${REDIS_PORT:-56439}"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    >/dev/null
  cleanup+=("redis-cli -p $REDIS_PORT shutdown nosave >/dev/null 2>&1 || true")
  # The queue on database 0, the shared cache on database 1.
  export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0" CACHE_URL="redis://127.0.0.1:$REDIS_PORT/1"
fi

if [ -z "${DATABASE_URL:-}" ]; then
  PG_DIR="$(mktemp -d /tmp/portal-bench-pg.XXXXXX)"
  PG_PORT="${PG_PORT:-55439}"
  chown postgres:postgres "$PG_DIR"
  cleanup+=("run_pg $PG_BIN/pg_ctl -D $PG_DIR/data -m fast stop >/dev/null 2>&1 || true; rm -rf $PG_DIR")
  run_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --no-sync >/dev/null
  run_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c shared_buffers=256MB" \
    start >/dev/null
  run_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres portal_bench
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/portal_bench"
fi
.venv/bin/python scripts/bench_case_list.py
