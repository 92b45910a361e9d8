#!/usr/bin/env bash
# Scanner benchmark: prints one blank reply slip of the shipped survey the way a school does
# (demo database, `kehou-survey slips` through headless Chromium, `pdftoppm` at 300 dpi), then
# fills and scans a synthetic corpus on it (`scan-corpus`): ticks, crosses and fills of varied
# pen and ink, stray marks, struck-out answers, pages turned up to ±5° (some upside down or on
# their side), slight perspective, 150–300 dpi, blur, noise and JPEG at quality 60–90. It
# prints silently wrong answers, questions sent to review, the share of marks read without
# review, and the scanning speed on one thread (median of 3 runs; decoding not counted, and
# counted).
#
#   tests/bench/run-scan.sh                 # 1,000 slips at 150–300 dpi
#   SLIPS=1000 DPI=200 tests/bench/run-scan.sh
#
# Needs: a release build (cargo build --release), chromium, pdftoppm (poppler-utils), sqlite3.
# The command exits non-zero when any answer was read wrong without review or fewer than 99%
# of marks (outside struck-out questions) were read without review.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="${BIN:-${CARGO_TARGET_DIR:-target}/release/kehou-survey}"
SLIPS="${SLIPS:-1000}"
SEED="${SEED:-1}"
DIR="${BENCH_DIR:-$(mktemp -d)}"
export SURVEY_DIR="$PWD/survey-definitions" DATABASE_URL="$DIR/demo.db" RUST_LOG=warn
rm -f "$DIR"/demo.db* "$DIR"/slip* "$DIR"/page-*.png
"$BIN" demo --schools 10 --responses 10 >/dev/null
# The corpus is laid out for a primary school without per-student codes.
SCHOOL=$(sqlite3 "$DATABASE_URL" "SELECT code FROM schools WHERE level = 'primary' ORDER BY code LIMIT 1")
"$BIN" slips --round 1 --school "$SCHOOL" --count 1 --out "$DIR/slip.pdf"
pdftoppm -r 300 -gray -png "$DIR/slip.pdf" "$DIR/page"
PAGE=$(ls "$DIR"/page-*.png | tail -1)
ARGS=(--slips "$SLIPS" --seed "$SEED" --base "$PAGE")
if [ -n "${DPI:-}" ]; then ARGS+=(--dpi "$DPI"); fi
"$BIN" scan-corpus "${ARGS[@]}"
