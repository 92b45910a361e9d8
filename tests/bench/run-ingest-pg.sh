#!/usr/bin/env bash
# Ingest on PostgreSQL: durable submissions per second through HTTP with
# one server instance, then with two instances on the same database (each wrk
# process drives one instance with half the clients), beside the bare
# actix-web baseline measured in the same run. synchronous_commit stays on.
#
#   tests/bench/run-ingest-pg.sh                 # 64 clients in total, 3 × 10 s each
#   CONNS=256 tests/bench/run-ingest-pg.sh
#
# Needs: a release build, wrk, psql, PostgreSQL at 127.0.0.1:5432 (trust auth).
set -euo pipefail
cd "$(dirname "$0")/../.."
CONNS="${CONNS:-64}"
DURATION="${DURATION:-10s}"
RUNS="${RUNS:-3}"
BIN="${BIN:-target/release/kehou-survey}"
PG_ADMIN="${PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}"
[ -x "$BIN" ] || cargo build --release
DB="kehou_bench_$$"
psql "$PG_ADMIN" -qc "CREATE DATABASE $DB"
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
}
trap cleanup EXIT
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB" RUST_LOG=warn
echo "synchronous_commit: $(psql "$DATABASE_URL" -Atc 'SHOW synchronous_commit')"

"$BIN" demo --schools 40 --responses 0 >/dev/null
SLUGS=$("$BIN" rounds | awk '/\/s\//{g="1:9"; if ($0 ~ /小学/) g="1:6"; else if ($0 ~ /中学/) g="7:9"; match($0, /\/s\/[a-z0-9]+/); print substr($0, RSTART+3, RLENGTH-3) ":" g}' | tr '\n' ' ')
export SLUGS
WORK=$(mktemp -d)

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
field() { grep -o "$1=[0-9.]*" | cut -d= -f2; }
rss() { ps -o rss= -p "$1" | awk '{printf "%.1f MB", $1/1024}'; }

one() { # label port conns run
  RUN=$4 wrk -t2 -c"$3" -d"$DURATION" --timeout 10s -s tests/bench/ingest.lua "http://127.0.0.1:$2" | grep RESULT
}

echo "--- baseline: bare actix-web form handler, writes nothing ($CONNS clients) ---"
"$BIN" bench-baseline --port 18191 & BASE=$!; sleep 1
for i in $(seq 1 "$RUNS"); do one baseline 18191 "$CONNS" "$i"; done | tee "$WORK/base.txt"
echo "baseline median: rps=$(field rps < "$WORK/base.txt" | median)"
kill $BASE; wait $BASE 2>/dev/null || true

echo "--- one instance on PostgreSQL ($CONNS clients) ---"
"$BIN" serve --port 18192 >/dev/null 2>&1 & A=$!; sleep 2
echo "idle RSS: $(rss $A)"
for i in $(seq 1 "$RUNS"); do one one 18192 "$CONNS" "$i"; done | tee "$WORK/one.txt"
echo "RSS after the load: $(rss $A)"
echo "one instance median: rps=$(field rps < "$WORK/one.txt" | median) p50_ms=$(field p50_ms < "$WORK/one.txt" | median) p99_ms=$(field p99_ms < "$WORK/one.txt" | median)"

echo "--- two instances on one PostgreSQL ($CONNS clients in total) ---"
"$BIN" serve --port 18193 >/dev/null 2>&1 & B=$!; sleep 2
: > "$WORK/two.txt"
for i in $(seq 1 "$RUNS"); do
  one a 18192 $((CONNS / 2)) $((10 + i)) > "$WORK/a.txt" & WA=$!
  one b 18193 $((CONNS / 2)) $((50 + i)) > "$WORK/b.txt"
  wait $WA
  awk '{for(i=1;i<=NF;i++){split($i,kv,"="); if(kv[1]=="rps")r+=kv[2]; if(kv[1]=="p99_ms"&&kv[2]>p)p=kv[2]; if(kv[1]=="p50_ms"&&kv[2]>m)m=kv[2]}} END{printf "RESULT rps=%.1f p50_ms=%.2f p99_ms=%.2f (sum of both; the slower p50 and p99)\n", r, m, p}' "$WORK/a.txt" "$WORK/b.txt" | tee -a "$WORK/two.txt"
done
echo "RSS after the load: $(rss $A), $(rss $B)"
echo "two instances median: rps=$(field rps < "$WORK/two.txt" | median) p50_ms=$(field p50_ms < "$WORK/two.txt" | median) p99_ms=$(field p99_ms < "$WORK/two.txt" | median)"
# How far the counting threads are behind right after the load, and how long they take to
# catch up.
echo "uncounted right after the load: $(psql "$DATABASE_URL" -Atc 'SELECT count(*) FROM responses WHERE NOT counted')"
for s in $(seq 1 120); do
  waiting=$(psql "$DATABASE_URL" -Atc 'SELECT count(*) FROM responses WHERE NOT counted')
  [ "$waiting" = 0 ] && break
  sleep 1
done
echo "uncounted after $s s: $waiting"
echo "stored: $(psql "$DATABASE_URL" -Atc 'SELECT count(*) FROM responses') responses, in the counters: $(psql "$DATABASE_URL" -Atc "SELECT coalesce(sum(n),0) FROM answer_counts WHERE question_id = '#'"), duplicate keys: $(psql "$DATABASE_URL" -Atc 'SELECT count(*) - count(DISTINCT idempotency_key) FROM responses')"
