#!/usr/bin/env bash
# Real time: emit lateness under load.
#
# What it measures: how late the transition scheduler emits the clock transitions of chats
# whose windows close while the server is busy ingesting webhooks. A release `ventana serve`
# (Cloud API mode, SQLite file, LOG_LEVEL=warning, as Benchmarks/webhook-ingest/run.sh starts it)
# first receives signed deliveries from CHATS new contacts (one message each) whose WhatsApp
# timestamps make their windows close (timestamp + 24 h) over SPREAD seconds, starting about
# LEAD seconds after those deliveries have been posted (whole seconds, CHATS/SPREAD per second;
# the posting rate is calibrated first with 2,000 other new chats). From then until the last
# window has closed (+5 s) and every measured chat's `expired` event is in the log (at most 300 s
# past the span), wrk keeps posting the webhook-ingest benchmark's deliveries (5,000 other
# contacts, timestamped just before the run: their windows stay open through it).
# Afterwards, for the `expired` session.changed event of each measured chat:
#   - lateness as recorded = created_at − at (at = the due time), read from the SQLite file
#     (dates are REAL Unix seconds there);
#   - lateness as witnessed = when an outside reader (lateness.py observe, polling the log every
#     20 ms) first saw the row − at. The scheduler stamps every event of one tick with the tick's
#     start, so created_at understates lateness when a tick has much to emit.
# Checks that every expected transition was emitted exactly once, and reports the ingest rate
# while transitions fell due and the machine's load (loadwatch.py).
#
#   bash Benchmarks/realtime/lateness.sh [chats=20000] [spread-seconds=60] [connections=32]
#   VENTANA_BENCH_SKIP_BUILD=1 …   uses .build-release/release/ventana as it is
#   LEAD=35 (seconds from the end of posting to the first expiry), BENCH_PORT=18094, KEEP=1 keeps the temp dir
# Needs wrk and python3. Target (real-time issue): p99 under one second.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/Benchmarks/realtime"
INGEST="$ROOT/Benchmarks/webhook-ingest"
CHATS="${1:-20000}"
SPREAD="${2:-60}"
CONNECTIONS="${3:-32}"
LEAD="${LEAD:-35}"
TAIL=5
PORT="${BENCH_PORT:-18094}"
SECRET="bench-secret"
PREFIX="57320"   # measured contacts; the load's are 57300…

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 2; }
if [ -z "${VENTANA_BENCH_SKIP_BUILD:-}" ]; then
  echo "== building ventana (release)"
  (cd "$ROOT" && swift build -c release --product ventana --scratch-path .build-release 2>&1 | tail -n 1)
fi
BIN="$ROOT/.build-release/release/ventana"
echo "== binary $(stat -c '%y' "$BIN" | cut -d. -f1), sha256 $(sha256sum "$BIN" | cut -c1-12); $(nproc) cores; loadavg $(cut -d' ' -f1-3 /proc/loadavg)"

WORK="$(mktemp -d /tmp/ventana-lateness.XXXXXX)"
SERVER=""; WITNESS=""; WATCH=""; LOADER=""
cleanup() {
  for p in $LOADER $WITNESS $WATCH $SERVER; do kill "$p" 2>/dev/null || true; done
  for p in $LOADER $WITNESS $WATCH $SERVER; do wait "$p" 2>/dev/null || true; done
  [ -n "${KEEP:-}" ] && echo "kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT

# Enough distinct load deliveries that wrk does not wrap around (the ingest benchmark saw up to 8,000/s).
LOAD_COUNT=$(( (LEAD + SPREAD + TAIL + 60) * 8000 ))
echo "== generating $LOAD_COUNT load deliveries (webhook-ingest's generate.py)"
python3 "$INGEST/generate.py" "$LOAD_COUNT" "$SECRET" "$WORK/load.txt"

echo "== starting the server (SQLite file, Cloud API mode, LOG_LEVEL=warning)"
( cd "$WORK" && exec env DATABASE_URL="sqlite://$WORK/bench.sqlite" PORT="$PORT" LOG_LEVEL=warning \
  WHATSAPP_ACCESS_TOKEN=unused WHATSAPP_APP_SECRET="$SECRET" WHATSAPP_VERIFY_TOKEN=unused \
  WHATSAPP_PHONE_NUMBER_ID=106540352242922 WHATSAPP_BUSINESS_ACCOUNT_ID=102290129340398 \
  WHATSAPP_GRAPH_URL=http://127.0.0.1:9/v23.0 "$BIN" serve > "$WORK/server.log" 2>&1 ) &
SERVER=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$PORT/health" >/dev/null || { echo "server did not start"; cat "$WORK/server.log"; exit 1; }
# How fast does this server take new chats right now? Post 2,000 from other new contacts
# (windows already closed, so never scheduled) and time it, to aim the first expiry LEAD seconds
# after the measured deliveries will have been posted.
post_once() {  # file -> prints "RESULT …; N stored in S s", waits until the contacts are stored
  local file="$1" prefix="$2" n="$3" start poster
  start=$(date +%s.%N)
  wrk -t1 -c"$CONNECTIONS" -d600s -s "$HERE/once.lua" "http://127.0.0.1:$PORT" -- "$file" > "$WORK/post.txt" & poster=$!
  for _ in $(seq 1 2400); do [ "$(count_contacts "$prefix")" -ge "$n" ] && break; sleep 0.25; done
  POSTED_AT=$(date +%s.%N)
  kill -INT "$poster" 2>/dev/null || true; wait "$poster" 2>/dev/null || true
  echo "$(grep RESULT "$WORK/post.txt"); $(count_contacts "$prefix") chats stored in $(python3 -c "import sys; print(f'{float(sys.argv[1]) - float(sys.argv[2]):.1f}')" "$POSTED_AT" "$start") s"
}
count_contacts() {
  python3 -c "import sqlite3,sys; c=sqlite3.connect(f'file:{sys.argv[1]}?mode=ro', uri=True); print(c.execute('select count(*) from contacts where wa_id like ?', (sys.argv[2] + '%',)).fetchone()[0])" "$WORK/bench.sqlite" "$1" 2>/dev/null || echo 0
}
echo "== calibrating: 2,000 new chats with closed windows"
python3 "$HERE/deliveries.py" 57340 2000 "$SECRET" "$WORK/calibration.txt" $(( $(date +%s) - 86400 )) 60
CAL_START=$(date +%s.%N)
post_once "$WORK/calibration.txt" 57340 2000
RATE=$(python3 -c "import sys; print(max(50, int(2000 / (float(sys.argv[1]) - float(sys.argv[2])))))" "$POSTED_AT" "$CAL_START")
# Windows close from FIRST_EXPIRY on. Measured chats go in slower than the calibration's (they
# are scheduled and record an `expiring` event; 20,000 took about 1.5 × CHATS/RATE here).
FIRST_EXPIRY=$(( $(date +%s) + CHATS * 150 / 100 / RATE + 1 + LEAD ))
echo "== generating $CHATS measured deliveries: windows close $(date -u -d @$FIRST_EXPIRY +%T) … +$SPREAD s ($(( CHATS / SPREAD ))/s)"
python3 "$HERE/deliveries.py" "$PREFIX" "$CHATS" "$SECRET" "$WORK/measured.txt" "$FIRST_EXPIRY" "$SPREAD"
python3 "$HERE/lateness.py" observe "$WORK/bench.sqlite" "$WORK/observed.tsv" $(( FIRST_EXPIRY + SPREAD + 330 )) & WITNESS=$!

echo "== posting the measured deliveries ($CONNECTIONS connections, each once)"
post_once "$WORK/measured.txt" "$PREFIX" "$CHATS"
echo "(calibration: $RATE new chats/s)"
NOW=$POSTED_AT
python3 -c "import sys; print(f'posted; first window closes in {float(sys.argv[1]) - float(sys.argv[2]):.1f} s')" "$FIRST_EXPIRY" "$NOW"

# The load runs until the last window has closed (+5 s) and every measured chat's expired event
# is in the log, so that every transition is emitted under load (at most 300 s past the span).
MIN_END=$(( FIRST_EXPIRY + SPREAD + TAIL )); MAX_END=$(( FIRST_EXPIRY + SPREAD + 300 ))
echo "== ingest load: wrk -t1 -c$CONNECTIONS, webhook-ingest's deliveries.lua, until the last window has closed and every transition is in"
count_expired() {
  python3 -c "import sqlite3,sys; c=sqlite3.connect(f'file:{sys.argv[1]}?mode=ro', uri=True); print(c.execute(\"select count(distinct e.conversation_id) from events e join conversations c on c.id = e.conversation_id join contacts k on k.id = c.contact_id where e.state = 'expired' and k.wa_id like ?\", (sys.argv[2] + '%',)).fetchone()[0])" "$WORK/bench.sqlite" "$PREFIX" 2>/dev/null || echo 0
}
python3 "$HERE/loadwatch.py" "$SERVER" "$WORK/load-conditions.txt" & WATCH=$!
LOAD_START=$(date +%s.%N)
wrk -t1 -c"$CONNECTIONS" -d"$(( MAX_END - $(date +%s) + 5 ))s" --latency -s "$INGEST/deliveries.lua" "http://127.0.0.1:$PORT" -- "$WORK/load.txt" /webhooks/whatsapp > "$WORK/load-result.txt" & LOADER=$!
while [ "$(date +%s)" -lt "$MAX_END" ]; do
  if [ "$(date +%s)" -ge "$MIN_END" ] && [ "$(count_expired)" -ge "$CHATS" ]; then break; fi
  sleep 0.5
done
kill -INT "$LOADER" 2>/dev/null || true; wait "$LOADER" 2>/dev/null || true; LOADER=""
LOAD_END=$(date +%s.%N)
WRK_RESULT=$(grep RESULT "$WORK/load-result.txt" | sed 's/^RESULT //')
echo "$WRK_RESULT (of $LOAD_COUNT distinct deliveries; more requests than that means wrk wrapped around)"
kill "$WATCH" 2>/dev/null || true; wait "$WATCH" 2>/dev/null || true; WATCH=""   # load conditions: over the load
sleep 3   # a duplicate would come out within a tick or two
kill "$WITNESS" 2>/dev/null || true; wait "$WITNESS" 2>/dev/null || true; WITNESS=""
kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=""

echo "== results"
python3 "$HERE/lateness.py" report "$WORK/bench.sqlite" "$WORK/observed.tsv" "$PREFIX" "$CHATS" "$FIRST_EXPIRY" "$SPREAD" "$LOAD_START" "$LOAD_END" "$WRK_RESULT"
cat "$WORK/load-conditions.txt"
WARNINGS=$(grep -c -E " (warning|error|critical) " "$WORK/server.log" || true)
echo "server log: $WARNINGS lines at warning or above"; grep -E " (warning|error|critical) " "$WORK/server.log" | head -n 5 || true
