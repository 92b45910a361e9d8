#!/usr/bin/env bash
# Ingest benchmark. Durable submissions per second
# through HTTP on loopback with 64 concurrent clients, on SQLite, driven by
# wrk, against a baseline: a bare actix-web handler that parses the same form
# and writes nothing. Three runs each; prints every run and the medians.
#
#   tests/bench/run-ingest.sh            # defaults: 64 connections, 15 s runs
#   CONNS=256 DURATION=20s tests/bench/run-ingest.sh
#
# Needs: wrk (apt-get install wrk), a release build (cargo build --release).
set -euo pipefail
cd "$(dirname "$0")/../.."
CONNS="${CONNS:-64}"
DURATION="${DURATION:-15s}"
RUNS="${RUNS:-3}"
BIN="${BIN:-target/release/kehou-survey}"
[ -x "$BIN" ] || cargo build --release
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
export DATABASE_URL="$WORK/bench.db" RUST_LOG=warn

"$BIN" demo --schools 40 --responses 0 >/dev/null
SLUGS=$("$BIN" rounds | awk '/\/s\//{g="1:9"; if ($0 ~ /小学/) g="1:6"; else if ($0 ~ /中学/) g="7:9"; match($0, /\/s\/[a-z0-9]+/); print substr($0, RSTART+3, RLENGTH-3) ":" g}' | tr '\n' ' ')
export SLUGS

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
field() { grep -o "$1=[0-9.]*" | cut -d= -f2; }

run_wrk() { # label port
  local out="$WORK/$1.txt"; : > "$out"
  for i in $(seq 1 "$RUNS"); do
    RUN=$i wrk -t2 -c"$CONNS" -d"$DURATION" --timeout 10s -s tests/bench/ingest.lua "http://127.0.0.1:$2" \
      | grep RESULT | tee -a "$out"
  done
  echo "$1 median: rps=$(field rps < "$out" | median) p50_ms=$(field p50_ms < "$out" | median) p99_ms=$(field p99_ms < "$out" | median)"
}

echo "--- baseline: bare actix-web form handler, writes nothing ---"
"$BIN" bench-baseline --port 18091 & sleep 1
run_wrk baseline 18091
kill %1; wait %1 2>/dev/null || true

echo "--- kehou-survey on SQLite (WAL, synchronous=FULL, group commit) ---"
"$BIN" serve --port 18092 >/dev/null 2>&1 & sleep 2
run_wrk sqlite 18092
ps -o rss= -p $! | awk '{printf "server RSS after load: %.1f MB\n", $1/1024}'
# The counting thread adds responses to the answer counters about once a second: how many are
# still waiting right after the load, and how long until none is.
python3 - "$DATABASE_URL" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
start = time.time()
first = None
while True:
    (waiting,) = db.execute("SELECT count(*) FROM responses WHERE NOT counted").fetchone()
    first = waiting if first is None else first
    if waiting == 0 or time.time() - start > 30:
        break
    time.sleep(0.1)
print(f"uncounted right after the load: {first}; {waiting} after {time.time() - start:.1f} s")
(total,) = db.execute("SELECT count(*) FROM responses").fetchone()
(counted,) = db.execute("SELECT coalesce(sum(n), 0) FROM answer_counts WHERE question_id = '#'").fetchone()
print(f"responses {total}, in the counters {counted}")
PY
kill %1; wait %1 2>/dev/null || true
acked=$(awk '{for(i=1;i<=NF;i++){split($i,a,"="); if(a[1]=="requests")r+=a[2]; if(a[1]=="non2xx3xx")n+=a[2]}} END{print r-n}' "$WORK/sqlite.txt")
"$BIN" rounds > "$WORK/rounds.txt"
echo "acknowledged (303) by wrk: $acked; $(head -1 "$WORK/rounds.txt" | grep -o '回收 [0-9]* 份') stored (wrk does not count requests still in flight when it stops)"
