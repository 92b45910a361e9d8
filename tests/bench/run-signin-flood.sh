#!/usr/bin/env bash
# Sign-in flood benchmark: parents' durable ingest while 2,000 hostile sign-ins arrive from 64
# connections, against the same ingest with no flood (the baseline, same server, same session),
# and how much the database grows from the 2,000 sign-ins alone. Two floods:
#   long    60 KB e-mails from one address, as the security review sent them
#   spread  a new e-mail from a new address each (through a trusted proxy): no limit holds
#           them, so every one runs Argon2 and writes its failure (the worst case)
# Three runs each; prints every run and the medians.
#
#   tests/bench/run-signin-flood.sh                  # 64 + 64 connections, 15 s ingest runs
#   BIN=/path/to/kehou-survey RUNS=5 tests/bench/run-signin-flood.sh
#   MODES=spread tests/bench/run-signin-flood.sh     # one flood only
#
# Needs: wrk (apt-get install wrk) for the ingest, python3 for the flood (tests/bench/
# signin_flood.py), a release build (cargo build --release).
set -euo pipefail
cd "$(dirname "$0")/../.."
CONNS="${CONNS:-64}"
DURATION="${DURATION:-15s}"
RUNS="${RUNS:-3}"
FLOOD="${FLOOD:-2000}"
BIN="${BIN:-target/release/kehou-survey}"
[ -x "$BIN" ] || cargo build --release
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
export DATABASE_URL="$WORK/bench.db" RUST_LOG=warn SURVEY_TRUSTED_PROXIES=127.0.0.1
PORT=18093
URL="http://127.0.0.1:$PORT"

"$BIN" demo --schools 40 --responses 0 >/dev/null
SLUGS=$("$BIN" rounds | awk '/\/s\//{g="1:9"; if ($0 ~ /小学/) g="1:6"; else if ($0 ~ /中学/) g="7:9"; match($0, /\/s\/[a-z0-9]+/); print substr($0, RSTART+3, RLENGTH-3) ":" g}' | tr '\n' ' ')
export SLUGS
"$BIN" serve --port "$PORT" >"$WORK/server.log" 2>&1 & SERVER=$!
sleep 2

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
field() { grep -o "$1=[0-9.]*" | cut -d= -f2; }

# The sign-in form's token: its cookie and its hidden field carry the same value.
curl -s -c "$WORK/jar" "$URL/login" >"$WORK/login.html"
PRE=$(grep -o 'name="csrf" value="[^"]*"' "$WORK/login.html" | head -1 | cut -d'"' -f4)
export PRE
status=$(curl -s -o /dev/null -w '%{http_code}' -b "kehou_pre=$PRE" \
  --data "csrf=$PRE&email=probe@x.cn&password=x" "$URL/login")
[ "$status" = 401 ] || { echo "a hostile sign-in should get 401, got $status"; exit 1; }

# Bytes the database holds (pages in use, the WAL folded in first).
used_bytes() {
  python3 - "$DATABASE_URL" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=30)
db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
size = db.execute("PRAGMA page_size").fetchone()[0]
pages = db.execute("PRAGMA page_count").fetchone()[0]
free = db.execute("PRAGMA freelist_count").fetchone()[0]
print((pages - free) * size)
PY
}

# flood MODE RUN: FLOOD hostile sign-ins from CONNS threads, in the foreground.
flood() {
  python3 tests/bench/signin_flood.py 127.0.0.1 "$PORT" "$PRE" "$1" "$2" "$FLOOD" "$CONNS"
}

ingest() { # label run
  RUN=$2 wrk -t2 -c"$CONNS" -d"$DURATION" --timeout 10s -s tests/bench/ingest.lua "$URL" \
    | grep RESULT | sed "s/^/$1 /" | tee -a "$WORK/ingest.txt"
}

echo "--- baseline: ingest with no flood ---"
for i in $(seq 1 "$RUNS"); do ingest baseline "$i"; done
base=$(grep '^baseline' "$WORK/ingest.txt" | field rps | median)
echo "baseline median: rps=$base"

run=10
for mode in ${MODES:-long spread}; do
  echo "--- flood '$mode' alone: database growth from $FLOOD sign-ins ---"
  before=$(used_bytes)
  run=$((run + 1)); flood "$mode" "$run"
  after=$(used_bytes)
  echo "$mode: database grew by $((after - before)) bytes ($before -> $after)"
  echo "--- ingest while the '$mode' flood runs ---"
  for i in $(seq 1 "$RUNS"); do
    run=$((run + 1))
    flood "$mode" "$run" >"$WORK/flood-$run.txt" & FLOODER=$!
    sleep 1
    ingest "$mode" "$run"
    wait "$FLOODER"; cat "$WORK/flood-$run.txt"
  done
  m=$(grep "^$mode" "$WORK/ingest.txt" | field rps | median)
  p99=$(grep "^$mode" "$WORK/ingest.txt" | field p99_ms | median)
  echo "$mode median: rps=$m p99_ms=$p99 ratio_to_baseline=$(python3 -c "print(round($m / $base, 3))")"
done
ps -o rss= -p "$SERVER" | awk '{printf "server RSS after the floods: %.1f MB\n", $1/1024}'
echo "errors in the server log: $(grep -c -i 'error' "$WORK/server.log" || true)"
