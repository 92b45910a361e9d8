#!/usr/bin/env bash
# Lighthouse (mobile configuration: Moto G-class phone, slow 4G, 4× CPU
# slowdown) on the parent's pages: the letter and consent page (the QR
# code's landing page), the questionnaire, and the printable A4 letter; and
# on the staff pages a secretary and the bureau use most (a school's demand
# report, the coverage page, a school's round page, the city report), signed in
# as the bureau administrator that the one-time setup link creates.
# Each page is audited 3 times; the median of each category is printed.
#
#   npm ci --prefix tests/browser     # lighthouse, pinned
#   tests/bench/lighthouse.sh         # BIN=... to audit another build
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-target/release/kehou-survey}
[ -x "$BIN" ] || cargo build --release
LH=tests/browser/node_modules/.bin/lighthouse
[ -x "$LH" ] || { echo "run: npm ci --prefix tests/browser"; exit 1; }
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
export DATABASE_URL="$WORK/lh.db" RUST_LOG=warn PORT=${PORT:-18094}
"$BIN" demo --schools 2 --responses 300 >/dev/null
SLUG=$("$BIN" rounds | grep -o '/s/[a-z0-9]*' | head -1 | cut -d/ -f3)
"$BIN" serve --port "$PORT" >/dev/null 2>"$WORK/serve.log" & sleep 2
# Set up the administrator through the setup page, like a person would, and keep the session.
B="http://127.0.0.1:$PORT"
SETUP=$(grep -o "/setup/[A-Za-z0-9_-]*" "$WORK/serve.log" | head -1)
CSRF=$(curl -s -c "$WORK/jar" "$B$SETUP" | grep -o 'name="csrf" value="[^"]*"' | head -1 | cut -d'"' -f4)
curl -s -b "$WORK/jar" -c "$WORK/jar" -o /dev/null --data-urlencode "csrf=$CSRF" \
  --data-urlencode "name=测试管理员" --data-urlencode "email=lh@example.cn" \
  --data-urlencode "password=lighthouse-audit-2026" --data-urlencode "confirm=lighthouse-audit-2026" "$B$SETUP"
# Setting up the account does not sign in: sign in as a person would.
CSRF=$(curl -s -b "$WORK/jar" -c "$WORK/jar" "$B/login" | grep -o 'name="csrf" value="[^"]*"' | head -1 | cut -d'"' -f4)
curl -s -b "$WORK/jar" -c "$WORK/jar" -o /dev/null --data-urlencode "csrf=$CSRF" \
  --data-urlencode "email=lh@example.cn" --data-urlencode "password=lighthouse-audit-2026" "$B/login"
SID=$(awk '$6 == "kehou_sid" {print $7}' "$WORK/jar")
[ -n "$SID" ] || { echo "could not sign in through $SETUP"; exit 1; }
SCHOOL=$(curl -s -b "$WORK/jar" "$B/admin/coverage" | grep -o '/admin/schools/[0-9]*/rounds/[0-9]*' | head -1)
FLAGS="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"
ROUND=${SCHOOL##*/}
ALL="letter:/s/$SLUG form:/s/$SLUG/form print-letter:/s/$SLUG/letter school-report:$SCHOOL/analysis"
ALL="$ALL coverage:/admin/coverage?round=$ROUND school-round:$SCHOOL city-report:/admin/rounds/$ROUND/analysis"
# PAGES="coverage school-round" audits only those.
for page in $ALL; do
  name=${page%%:*}
  [ -z "${PAGES:-}" ] || [[ " $PAGES " == *" $name "* ]] || continue
  headers=()
  [[ ${page#*:} == /admin/* ]] && headers=(--extra-headers "{\"Cookie\": \"kehou_sid=$SID\"}")
  for run in 1 2 3; do
    "$LH" "http://127.0.0.1:$PORT${page#*:}" --quiet --chrome-flags="$FLAGS" "${headers[@]}" \
      --output=json --output-path="$WORK/$name-$run.json"
  done
  node -e '
    const [name, ...files] = process.argv.slice(1);
    const runs = files.map(f => require(f).categories);
    const med = id => { const s = runs.map(c => Math.round(c[id].score * 100)).sort((a, b) => a - b); return s[1] + " (" + s.join(", ") + ")"; };
    console.log(name + ": performance " + med("performance") + ", accessibility " + med("accessibility") +
      ", best practices " + med("best-practices") + ", SEO " + med("seo"));
  ' "$name" "$WORK/$name-1.json" "$WORK/$name-2.json" "$WORK/$name-3.json"
done
# KEEP=dir keeps the Lighthouse reports (JSON) there.
if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP" && cp "$WORK"/*.json "$KEEP"/; fi
