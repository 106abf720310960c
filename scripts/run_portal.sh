#!/usr/bin/env bash
# `make run`: the portal (Django's runserver) and a booklet worker beside it, so that
# booklets are made without any other server. The queue is a folder under var/queue
# (kombu's filesystem transport) unless CELERY_BROKER_URL or REDIS_URL says otherwise.
# Ctrl+C (or the end of either) stops both.
#
#   scripts/run_portal.sh HOST:PORT
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${BIN:-.venv/bin}"
ADDRESS="${1:-127.0.0.1:8000}"

QUEUE_DIR="${QUEUE_DIR:-var/queue}"
mkdir -p "$QUEUE_DIR/messages" "$QUEUE_DIR/control"

# Each in a process group of its own, so that stopping one stops its children too
# (runserver's reloader, the worker's layout processes).
setsid "$BIN/celery" -A portal worker --pool threads --concurrency 2 --loglevel WARNING \
  --without-gossip --without-mingle --without-heartbeat &
worker=$!
setsid "$BIN/python" manage.py runserver "$ADDRESS" &
server=$!

stop() {
  trap - INT TERM EXIT
  kill -TERM -- "-$server" "-$worker" 2>/dev/null || true
  wait "$server" "$worker" 2>/dev/null || true
}
trap stop INT TERM EXIT
# Whichever ends first (Ctrl+C reaches both) ends the other.
wait -n "$server" "$worker" || true
