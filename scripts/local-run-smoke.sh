#!/usr/bin/env bash
# End-to-end check of the README's run command: starts `./chronoprice up` on spare ports with a throwaway
# state directory, waits for every component, queries them, stops it, and checks that nothing is left.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d)"
export CHRONOPRICE_LOCAL_DIR="$WORK"
export CHRONOPRICE_PG_PORT=55439 CHRONOPRICE_REPLAY_PORT=18090 CHRONOPRICE_REPLAY_SPEED=600
fail() { echo "SMOKE FAIL: $*" >&2; tail -n 40 "$WORK"/logs/*.log >&2 2>/dev/null || true; exit 1; }

command -v psql >/dev/null || apt-get install -y -q postgresql-client >/dev/null

"$ROOT/chronoprice" up >"$WORK/up.out" 2>&1 &
UP_PID=$!
trap 'kill $UP_PID 2>/dev/null || true; wait $UP_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT

deadline=$((SECONDS + 600))
until grep -q 'ChronoPrice is running' "$WORK/up.out"; do
  kill -0 $UP_PID 2>/dev/null || fail "chronoprice up exited: $(tail -n 20 "$WORK/up.out")"
  ((SECONDS < deadline)) || fail "not up after 600 s"
  sleep 1
done

klines=$(curl -sf "http://127.0.0.1:18090/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=3") \
  || fail "replay exchange did not answer"
[[ "$(grep -o '\],\[' <<<"$klines" | wc -l)" -eq 2 ]] || fail "expected 3 klines, got: $klines"

export PGPASSWORD=reader-local
tables=$(psql -h 127.0.0.1 -p 55439 -U chronoprice_reader -d chronoprice -tAc \
  "SELECT count(*) FROM information_schema.tables WHERE table_name IN ('candles','predictions','models')") \
  || fail "database did not answer"
[[ "$tables" == 3 ]] || fail "schema incomplete: $tables of 3 tables"

kill -TERM $UP_PID
wait $UP_PID 2>/dev/null || true
for pidfile in "$WORK"/*.pid; do
  pid=$(cat "$pidfile")
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  ! kill -0 "$pid" 2>/dev/null || fail "process $pid ($pidfile) still running after stop"
done
echo "SMOKE OK: replay exchange and database answered; everything stopped"
