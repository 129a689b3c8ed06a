#!/usr/bin/env bash
# The storage floor of webhook ingest: Ventana's batch statements through SQLite's C interface
# from one thread (storage-floor.py), on a file `ventana migrate` made — to compare with what
# run.sh measures through the server.
#   bash Benchmarks/webhook-ingest/storage-floor.sh [batches=2000] [batch=16]
#   VENTANA_BENCH_SKIP_BUILD=1 …   uses .build-release/release/ventana as it is
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BIN="$ROOT/.build-release/release/ventana"
[ -n "${VENTANA_BENCH_SKIP_BUILD:-}" ] || (cd "$ROOT" && swift build -c release --product ventana --scratch-path .build-release 2>&1 | tail -n 1)
WORK="$(mktemp -d /tmp/ventana-floor.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && DATABASE_URL="sqlite://$WORK/floor.sqlite" LOG_LEVEL=warning "$BIN" migrate >/dev/null)
python3 "$ROOT/Benchmarks/webhook-ingest/storage-floor.py" "$WORK/floor.sqlite" "${1:-2000}" "${2:-16}"
