#!/usr/bin/env bash
# Page weight of the parent's first pages, gzip-compressed as served:
# the letter page (the QR code's landing page), the form page, and the
# optional script. Everything is inline or same-origin; nothing else loads.
#
#   tests/bench/page-weight.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=target/release/kehou-survey
[ -x "$BIN" ] || cargo build --release
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
export DATABASE_URL="$WORK/pw.db" RUST_LOG=warn
"$BIN" demo --schools 2 --responses 0 >/dev/null
SLUG=$("$BIN" rounds | grep -o '/s/[a-z0-9]*' | head -1 | cut -d/ -f3)
"$BIN" serve --port 18093 >/dev/null 2>&1 & sleep 2
size() { curl -s -H 'Accept-Encoding: gzip' -o "$WORK/body" -w '%{size_download}' "http://127.0.0.1:18093$1"; }
raw() { curl -s -o /dev/null -w '%{size_download}' "http://127.0.0.1:18093$1"; }
L=$(size "/s/$SLUG"); F=$(size "/s/$SLUG/form"); J=$(size /static/survey.js)
echo "letter page: $(raw "/s/$SLUG") B raw, $L B gzip"
echo "form page:   $(raw "/s/$SLUG/form") B raw, $F B gzip"
echo "survey.js:   $(raw /static/survey.js) B raw, $J B gzip"
echo "first page (letter, no script): $L B gzip; form page + script: $((F + J)) B gzip (limit 14336)"
