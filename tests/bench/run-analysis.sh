#!/usr/bin/env bash
# Analysis benchmark: a generated city-scale round (default 1,000,000
# responses, 400 schools, 19 townships) on SQLite; times, from the database to
# the finished file, the full city analysis (every bureau table) and one
# school's report, three runs each with peak RSS from /usr/bin/time -v; then
# the DuckDB baseline on the same data exported as Parquet.
#
#   tests/bench/run-analysis.sh
#   RESPONSES=100000 SCHOOLS=40 tests/bench/run-analysis.sh
#
# Needs: a release build, /usr/bin/time, python3 with duckdb (pip install duckdb).
set -euo pipefail
cd "$(dirname "$0")/../.."
RESPONSES="${RESPONSES:-1000000}"
SCHOOLS="${SCHOOLS:-400}"
BIN=target/release/kehou-survey
DIR="${BENCH_DIR:-target/bench-analysis-$RESPONSES}"
mkdir -p "$DIR"
export DATABASE_URL="$DIR/city.db" RUST_LOG=warn
if [ ! -f "$DIR/generated" ]; then
  rm -f "$DIR"/city.db*
  /usr/bin/time -f "generated in %e s, peak RSS %M KB" \
    "$BIN" generate --schools "$SCHOOLS" --responses "$RESPONSES" --seed 2026
  touch "$DIR/generated"
fi
ROUND=1
SCHOOL=$(sqlite3 "$DIR/city.db" "SELECT code FROM schools ORDER BY code LIMIT 1" 2>/dev/null || echo G2026S0001)

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
run3() { # label, args...
  local label=$1; shift
  : > "$DIR/$label.txt"
  for i in 1 2 3; do
    /usr/bin/time -v "$BIN" "$@" 2> "$DIR/time.txt" >/dev/null
    local wall rss inner
    wall=$(grep "Elapsed (wall" "$DIR/time.txt" | awk -F': ' '{split($2,t,":"); print (t[1]*60+t[2])*1000}')
    rss=$(grep "Maximum resident" "$DIR/time.txt" | awk '{print $6}')
    inner=$(grep "^timing:" "$DIR/time.txt" || true)
    echo "$label run $i: wall ${wall} ms, peak RSS $((rss / 1024)) MB; $inner"
    echo "$wall $rss" >> "$DIR/$label.txt"
  done
  echo "$label median: wall $(cut -d' ' -f1 "$DIR/$label.txt" | median) ms, peak RSS $(( $(cut -d' ' -f2 "$DIR/$label.txt" | median) / 1024 )) MB"
}

run3 city-xlsx analyze --round $ROUND --format xlsx --out "$DIR/city.xlsx"
run3 city-parquet analyze --round $ROUND --format parquet --out "$DIR/city.parquet"
run3 school-json analyze --round $ROUND --school "$SCHOOL" --format json --out "$DIR/school.json"
run3 school-xlsx analyze --round $ROUND --school "$SCHOOL" --format xlsx --out "$DIR/school.xlsx"
echo "--- DuckDB baseline: category x township shares from Parquet ---"
python3 tests/bench/duckdb_baseline.py "$DIR/city.db" $ROUND "$DIR"
