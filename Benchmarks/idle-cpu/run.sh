#!/usr/bin/env bash
# CPU an idle server uses with its background loops running (scheduler 4×/s, event feed 4×/s,
# webhook dispatcher 1×/s, outbox sweeper, template sync), and with 20,000 chats whose windows
# are pending in the scheduler. Reads utime+stime from /proc over a quiet interval.
#   bash Benchmarks/idle-cpu/run.sh [seconds] [chats]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SECONDS_IDLE="${1:-30}"
CHATS="${2:-20000}"
PORT="${BENCH_PORT:-18092}"
[ -n "${VENTANA_BENCH_SKIP_BUILD:-}" ] || (cd "$ROOT" && swift build -c release --product ventana --scratch-path .build-release 2>&1 | tail -n 1)
BIN="$ROOT/.build-release/release/ventana"
WORK="$(mktemp -d /tmp/ventana-idle.XXXXXX)"
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT
python3 "$ROOT/Benchmarks/webhook-ingest/generate.py" "$CHATS" bench-secret "$WORK/deliveries.txt"
# Fresh timestamps: every chat's window is open, so each has a pending transition.
NOW=$(date +%s)
python3 - "$WORK/deliveries.txt" "$NOW" <<'PY'
import sys, hmac, hashlib, json
path, now = sys.argv[1], int(sys.argv[2])
lines = open(path).read().splitlines()
with open(path, "w") as out:
    for i, line in enumerate(lines):
        body = json.loads(line.split("\t", 1)[1])
        message = body["entry"][0]["changes"][0]["value"]["messages"][0]
        message["from"] = body["entry"][0]["changes"][0]["value"]["contacts"][0]["wa_id"] = f"57310{i:07d}"
        message["timestamp"] = str(now - 3600)
        raw = json.dumps(body, separators=(",", ":"), ensure_ascii=True)
        out.write("sha256=" + hmac.new(b"bench-secret", raw.encode(), hashlib.sha256).hexdigest() + "\t" + raw + "\n")
PY
( cd "$WORK" && exec env DATABASE_URL="sqlite://$WORK/idle.sqlite" PORT="$PORT" LOG_LEVEL=warning \
  WHATSAPP_ACCESS_TOKEN=unused WHATSAPP_APP_SECRET=bench-secret WHATSAPP_VERIFY_TOKEN=unused \
  WHATSAPP_PHONE_NUMBER_ID=106540352242922 WHATSAPP_BUSINESS_ACCOUNT_ID=102290129340398 \
  WHATSAPP_GRAPH_URL=http://127.0.0.1:9/v23.0 "$BIN" serve > "$WORK/server.log" 2>&1 ) &
SERVER=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done
cpu() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }
measure() {  # label
  sleep 2
  local before after hz
  hz=$(getconf CLK_TCK); before=$(cpu); sleep "$SECONDS_IDLE"; after=$(cpu)
  python3 -c "import sys; t=(int(sys.argv[2])-int(sys.argv[1]))/int(sys.argv[3]); print(f'$1: {t:.3f} CPU-seconds in {sys.argv[4]} s = {100*t/float(sys.argv[4]):.2f} % of one core')" "$before" "$after" "$hz" "$SECONDS_IDLE"
}
measure "idle, empty"
wrk -t1 -c16 -d60s -s "$ROOT/Benchmarks/webhook-ingest/deliveries.lua" "http://127.0.0.1:$PORT" -- "$WORK/deliveries.txt" /webhooks/whatsapp >/dev/null &
WRK=$!
# Stop the load once every chat is in.
for _ in $(seq 1 600); do
  n=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from conversations').fetchone()[0])" "$WORK/idle.sqlite" 2>/dev/null || echo 0)
  [ "$n" -ge "$CHATS" ] && break; sleep 0.2
done
kill "$WRK" 2>/dev/null || true; wait "$WRK" 2>/dev/null || true
echo "chats with a pending transition: $n"
measure "idle, $n chats pending"
