#!/usr/bin/env bash
# Real time: stream fan-out to 1,000 connected clients.
#
# What it measures: how fast one event reaches every connected stream client. A release
# `ventana serve` (Cloud API mode, SQLite file, LOG_LEVEL=warning, as
# Benchmarks/webhook-ingest/run.sh starts it, plus a first admin from VENTANA_ADMIN_EMAIL /
# VENTANA_ADMIN_PASSWORD) gets CLIENTS WebSocket connections to /api/v1/stream, all signed in as
# that admin (`Authorization: Bearer <token>` from POST /api/v1/auth/login). Then EVENTS new
# contacts each send one signed inbound message (POST /webhooks/whatsapp), paced at RATE per
# second (RATE=0: all at once from 16 threads); each new chat records one `session.changed`
# event, which every admin client must receive. fanout.py reports per-client delivery latency
# (arrival − POST start, and arrival − the event's created_at) p50/p99/max, the time until the
# last client had each event, whether every client got every event exactly once and in seq
# order, and the server's VmRSS/VmHWM, threads and open files (/proc/PID/status) before, with
# the clients connected, after the events and 3 s after the clients left. The event feed polls
# the log 4×/s: up to ~250 ms is by design.
# The clients (Python, `websockets`, in WORKERS processes) run on the same machine as the server.
#
#   bash Benchmarks/realtime/fanout.sh [clients=1000] [events=200] [rate=20] [workers=2]
#   VENTANA_BENCH_SKIP_BUILD=1 …   uses .build-release/release/ventana as it is
#   BENCH_PORT=18096, KEEP=1 keeps the temp dir
# Needs python3 with websockets (pip install websockets).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/Benchmarks/realtime"
CLIENTS="${1:-1000}"
EVENTS="${2:-200}"
RATE="${3:-20}"
WORKERS="${4:-2}"
PORT="${BENCH_PORT:-18096}"
SECRET="bench-secret"
EMAIL="bench@example.com"
PASSWORD="bench-password-1"

python3 -c "import websockets" 2>/dev/null || { echo "websockets is missing: pip install websockets"; exit 2; }
# Each client is a socket in the server and one in a client process: raise the open-file limit.
NEED=$(( CLIENTS + 1024 ))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$NEED" ]; then
  ulimit -n "$NEED" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
fi
echo "== open-file limit $(ulimit -n)"
if [ -z "${VENTANA_BENCH_SKIP_BUILD:-}" ]; then
  echo "== building ventana (release)"
  (cd "$ROOT" && swift build -c release --product ventana --scratch-path .build-release 2>&1 | tail -n 1)
fi
BIN="$ROOT/.build-release/release/ventana"
echo "== binary $(stat -c '%y' "$BIN" | cut -d. -f1), sha256 $(sha256sum "$BIN" | cut -c1-12); $(nproc) cores; loadavg $(cut -d' ' -f1-3 /proc/loadavg)"

WORK="$(mktemp -d /tmp/ventana-fanout.XXXXXX)"
SERVER=""; WATCH=""
cleanup() {
  for p in $WATCH $SERVER; do kill "$p" 2>/dev/null || true; done
  for p in $WATCH $SERVER; do wait "$p" 2>/dev/null || true; done
  [ -n "${KEEP:-}" ] && echo "kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT

echo "== starting the server (SQLite file, Cloud API mode, LOG_LEVEL=warning, first admin $EMAIL)"
( cd "$WORK" && exec env DATABASE_URL="sqlite://$WORK/bench.sqlite" PORT="$PORT" LOG_LEVEL=warning \
  VENTANA_ADMIN_EMAIL="$EMAIL" VENTANA_ADMIN_PASSWORD="$PASSWORD" \
  WHATSAPP_ACCESS_TOKEN=unused WHATSAPP_APP_SECRET="$SECRET" WHATSAPP_VERIFY_TOKEN=unused \
  WHATSAPP_PHONE_NUMBER_ID=106540352242922 WHATSAPP_BUSINESS_ACCOUNT_ID=102290129340398 \
  WHATSAPP_GRAPH_URL=http://127.0.0.1:9/v23.0 "$BIN" serve > "$WORK/server.log" 2>&1 ) &
SERVER=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$PORT/health" >/dev/null || { echo "server did not start"; cat "$WORK/server.log"; exit 1; }
echo "== server open-file limit: $(grep 'Max open files' "/proc/$SERVER/limits" | awk '{print $4}')"

python3 "$HERE/loadwatch.py" "$SERVER" "$WORK/load-conditions.txt" & WATCH=$!
echo "== $CLIENTS clients, $EVENTS events, rate ${RATE}/s (0 = burst), $WORKERS client processes"
python3 "$HERE/fanout.py" "$PORT" "$SERVER" "$WORK/bench.sqlite" "$CLIENTS" "$EVENTS" "$RATE" "$WORKERS" "$EMAIL" "$PASSWORD" "$SECRET"
kill "$WATCH" 2>/dev/null || true; wait "$WATCH" 2>/dev/null || true; WATCH=""
kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=""
cat "$WORK/load-conditions.txt"
WARNINGS=$(grep -c -E " (warning|error|critical) " "$WORK/server.log" || true)
echo "server log: $WARNINGS lines at warning or above"; grep -E " (warning|error|critical) " "$WORK/server.log" | head -n 5 || true
