#!/usr/bin/env bash
# Graceful overload: more submissions than the database can absorb. The
# server's bounded queue is set small (QUEUE, default 64 waiting submissions) and
# driven with 3× the 64 clients that already saturate it (CONNS, default 192),
# so that the queue overflows all the time. Expected: the server keeps committing
# at its capacity, answers the overflow at once with 503 + Retry-After (the
# parent's answers stay on the page), loses no acknowledged response and keeps
# its memory bounded.
#
#   tests/bench/run-overload.sh
#   QUEUE=64 CONNS=192 DURATION=20s tests/bench/run-overload.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
QUEUE="${QUEUE:-64}"
CONNS="${CONNS:-192}"
DURATION="${DURATION:-15s}"
BIN="${BIN:-target/release/kehou-survey}"
[ -x "$BIN" ] || cargo build --release
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
export DATABASE_URL="$WORK/overload.db" RUST_LOG=warn
printf 'queue_capacity = %s\n' "$QUEUE" > "$WORK/config.toml"
"$BIN" --config "$WORK/config.toml" demo --schools 40 --responses 0 >/dev/null
SLUGS=$("$BIN" rounds | awk '/\/s\//{g="1:9"; if ($0 ~ /小学/) g="1:6"; else if ($0 ~ /中学/) g="7:9"; match($0, /\/s\/[a-z0-9]+/); print substr($0, RSTART+3, RLENGTH-3) ":" g}' | tr '\n' ' ')
export SLUGS
"$BIN" --config "$WORK/config.toml" serve --port 18095 >/dev/null 2>&1 & S=$!; sleep 2
echo "queue_capacity = $QUEUE, $CONNS clients, $DURATION; idle RSS $(ps -o rss= -p $S | awk '{printf "%.1f MB", $1/1024}')"
( while kill -0 $S 2>/dev/null; do ps -o rss= -p $S; sleep 0.2; done ) > "$WORK/rss.txt" &
RUN=7 wrk -t2 -c"$CONNS" -d"$DURATION" --timeout 10s -s tests/bench/ingest.lua "http://127.0.0.1:18095" | tee "$WORK/wrk.txt"
peak=$(sort -n "$WORK/rss.txt" | tail -1)
line=$(grep RESULT "$WORK/wrk.txt")
requests=$(echo "$line" | grep -o 'requests=[0-9]*' | cut -d= -f2)
refused=$(echo "$line" | grep -o 'non2xx3xx=[0-9]*' | cut -d= -f2)
secs=${DURATION%s}
kill $S; wait $S 2>/dev/null || true
"$BIN" rounds > "$WORK/rounds.txt"
stored=$(head -1 "$WORK/rounds.txt" | grep -o '回收 [0-9]*' | grep -o '[0-9]*')
echo "accepted (303): $((requests - refused)) = $(( (requests - refused) / secs ))/s; refused (503): $refused = $(( refused / secs ))/s"
echo "peak server RSS during the load: $(awk -v k="$peak" 'BEGIN{printf "%.1f MB", k/1024}')"
echo "stored: $stored (every accepted response, plus those in flight when wrk stopped)"
