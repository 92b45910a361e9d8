#!/usr/bin/env bash
# Survey-editor preview benchmark: how long the server takes to answer the preview of a web
# survey whose draft is the shipped after-school-needs survey (read the draft, write it as
# TOML, lint it, render the parent's form). One connection, so the latency is the server's
# time plus loopback; the static editor script on the same server is the floor to compare.
# Three runs each; prints every run's p50 and p99 and the medians.
#
#   BIN=target/release/kehou-survey tests/bench/run-preview.sh
#
# Needs: wrk, python3, a release build (cargo build --release).
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION="${DURATION:-10s}"
RUNS="${RUNS:-3}"
PORT="${PORT:-18093}"
BIN="${BIN:-target/release/kehou-survey}"
[ -x "$BIN" ] || cargo build --release
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
export DATABASE_URL="$WORK/bench.db" RUST_LOG=warn

"$BIN" demo --schools 1 --responses 0 >/dev/null
# A bureau account with a session, and a web survey whose draft is the shipped needs survey.
COOKIE=$(python3 - "$DATABASE_URL" survey-definitions/after-school-needs.toml <<'PY'
import datetime, hashlib, secrets, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
cur = db.execute(
    "INSERT INTO users (email, display_name, role, active, created_at) VALUES (?, ?, 'bureau', 1, ?)",
    ("bench@bureau.cn", "测试", now))
cookie = secrets.token_hex(16)
db.execute("INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)",
           (hashlib.sha256(cookie.encode()).hexdigest(), cur.lastrowid, secrets.token_hex(8), now, now))
db.execute("INSERT INTO survey_drafts (survey_key, source, updated_by, updated_at) VALUES ('web-1', ?, NULL, ?)",
           (open(sys.argv[2], encoding="utf-8").read(), now))
db.commit()
print(cookie)
PY
)

"$BIN" serve --port "$PORT" >/dev/null 2>&1 & sleep 2
BASE="http://127.0.0.1:$PORT"
status=$(curl -s -o "$WORK/preview.html" -w '%{http_code}' -H "Cookie: kehou_sid=$COOKIE" "$BASE/admin/surveys/web-1/preview")
[ "$status" = 200 ] && grep -q '孩子所在的年级' "$WORK/preview.html" || { echo "the preview did not answer ($status)"; exit 1; }

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms() { # wrk's latency ("812.00us", "1.20ms", "2.01s") in milliseconds
  awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000} printf "%.3f\n", v}'
}
run() { # label path
  : > "$WORK/$1.p50"; : > "$WORK/$1.p99"
  for i in $(seq 1 "$RUNS"); do
    wrk -t1 -c1 -d"$DURATION" --latency -H "Cookie: kehou_sid=$COOKIE" "$BASE$2" > "$WORK/$1.txt"
    p50=$(awk '$1=="50%"{print $2}' "$WORK/$1.txt" | ms); p99=$(awk '$1=="99%"{print $2}' "$WORK/$1.txt" | ms)
    rps=$(awk '/Requests\/sec/{print $2}' "$WORK/$1.txt")
    echo "$1 run $i: p50=${p50} ms p99=${p99} ms requests/s=${rps}"
    echo "$p50" >> "$WORK/$1.p50"; echo "$p99" >> "$WORK/$1.p99"
  done
  echo "$1 median: p50=$(median < "$WORK/$1.p50") ms p99=$(median < "$WORK/$1.p99") ms"
}
run floor /static/editor.js
run preview /admin/surveys/web-1/preview
