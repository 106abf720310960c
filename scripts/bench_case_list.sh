#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 and runs scripts/bench_case_list.py against it.
set -euo pipefail
cd "$(dirname "$0")/.."
PG_BIN=/usr/lib/postgresql/15/bin
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
if [ -n "${DATABASE_URL:-}" ]; then
  exec .venv/bin/python scripts/bench_case_list.py
fi
PG_DIR="$(mktemp -d /tmp/portal-bench-pg.XXXXXX)"
PG_PORT="${PG_PORT:-55439}"
chown postgres:postgres "$PG_DIR"
run_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
trap 'run_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$PG_DIR"' EXIT
run_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --no-sync >/dev/null
run_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c shared_buffers=256MB" start >/dev/null
run_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres portal_bench
DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/portal_bench" .venv/bin/python scripts/bench_case_list.py
