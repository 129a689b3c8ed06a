#!/usr/bin/env bash
# Signed webhooks per second that Ventana stores and acknowledges on SQLite, next to the same
# server's no-op route and its parse-only route (signature checked and JSON parsed, nothing
# stored), on loopback. Needs wrk (apt-get install wrk) and python3.
#   bash Benchmarks/webhook-ingest/run.sh [duration-seconds] [connections]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/Benchmarks/webhook-ingest"
DURATION="${1:-15}"
CONNECTIONS="${2:-32}"
PORT="${BENCH_PORT:-18090}"
SECRET="bench-secret"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 2; }
BIN="$ROOT/.build-release/release/ventana"
echo "== building ventana (release)"
[ -n "${VENTANA_BENCH_SKIP_BUILD:-}" ] || (cd "$ROOT" && swift build -c release --product ventana --scratch-path .build-release 2>&1 | tail -n 1)

WORK="$(mktemp -d /tmp/ventana-bench.XXXXXX)"
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
COUNT=$(( DURATION * 12000 ))
echo "== generating $COUNT signed deliveries"
python3 "$HERE/generate.py" "$COUNT" "$SECRET" "$WORK/deliveries.txt"

echo "== starting the server (SQLite file, Cloud API mode, LOG_LEVEL=warning)"
( cd "$WORK" && exec env DATABASE_URL="sqlite://$WORK/bench.sqlite" PORT="$PORT" LOG_LEVEL=warning VENTANA_BENCHMARK_ROUTES=1 \
  WHATSAPP_ACCESS_TOKEN=unused WHATSAPP_APP_SECRET="$SECRET" WHATSAPP_VERIFY_TOKEN=unused \
  WHATSAPP_PHONE_NUMBER_ID=106540352242922 WHATSAPP_BUSINESS_ACCOUNT_ID=102290129340398 \
  WHATSAPP_GRAPH_URL=http://127.0.0.1:9/v23.0 "$BIN" serve > "$WORK/server.log" 2>&1 ) &
SERVER=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done

run() {  # label path
  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$HERE/deliveries.lua" "http://127.0.0.1:$PORT" -- "$WORK/deliveries.txt" "$2" \
    | grep RESULT | sed "s/^RESULT/$1/"
}
echo "== warm-up"; wrk -t1 -c8 -d3s -s "$HERE/deliveries.lua" "http://127.0.0.1:$PORT" -- "$WORK/deliveries.txt" /bench/noop >/dev/null
echo "== measuring ${DURATION}s each, $CONNECTIONS connections, 1 wrk thread"
NOOP=$(run noop /bench/noop)
PARSE=$(run parse /bench/parse)
INGEST=$(run ingest /webhooks/whatsapp)
echo "$NOOP"
echo "$PARSE"
echo "$INGEST"
STORED=$(python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute('select count(*) from messages').fetchone()[0], c.execute('select count(*) from webhook_deliveries').fetchone()[0])" "$WORK/bench.sqlite")
echo "stored messages, deliveries: $STORED"
python3 - "$NOOP" "$PARSE" "$INGEST" "$STORED" <<'PY'
import sys
def parse(line): return dict(kv.split("=") for kv in line.split()[1:])
noop, checked, ingest = parse(sys.argv[1]), parse(sys.argv[2]), parse(sys.argv[3])
messages = int(sys.argv[4].split()[0])
ratio = float(ingest["rps"]) / float(noop["rps"])
print(f"parse/no-op = {float(checked['rps']) / float(noop['rps']):.2f}; "
      f"ingest/parse = {float(ingest['rps']) / float(checked['rps']):.2f}")
print(f"ingest/no-op = {ratio:.2f}; inbound messages stored per second = {float(ingest['rps']):.0f} "
      f"(non-2xx: {ingest['errors_status']}; messages stored {messages} of {ingest['requests']} requests)")
PY
