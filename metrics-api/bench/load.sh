#!/usr/bin/env bash
# Load benchmark of the metrics API on loopback, in one run: wrk against /price/latest and /metrics/model (windows
# 24h and all), first with ~10k prediction rows, then with BENCH_ROWS (default 10M) rows.
# It starts its own throwaway PostgreSQL (embedded, port BENCH_PG_PORT) and API (port BENCH_API_PORT) and prints a
# Markdown table. Needs: java 17, the modules built (`./chronoprice` builds them), psql, wrk
# (scripts/install-test-deps.sh installs both). `./chronoprice bench` runs it; on its own:
#
#   metrics-api/bench/load.sh
#
# Phase 1 seeds the bundled real BTCUSDT candles (replay-exchange/demo-data) with three model versions: ~10k rows.
# Two of the versions are registered (champion and challenger), so every report compares them. Phase 1 also
# measures window=all while BTCUSDT is written every second, and counts the reports the API computed meanwhile.
# Phase 2 adds synthetic series (a deterministic random walk, SYN001USDT, SYN002USDT, ...) of BENCH_SERIES_CANDLES
# 1m candles (default 500k, 347 days) with two versions each, up to BENCH_ROWS prediction rows, and measures
# BTCUSDT again (same rows, bigger tables) and window=all over the first synthetic series (1M predictions), and over
# the second with a third version, a second challenger, from half its length on (1.25M predictions, compared on the
# 250k targets all three predicted); then spreads the load over every series, window and version filter.
# The 10M fill takes several minutes; the prefix-sum refresh after it (as the job does every registry poll) too,
# the more since it also sums the two versions' loss differences (migration V10).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
MODULE=$(dirname "$HERE")
# shellcheck source=SCRIPTDIR/../../scripts/lib/processes.sh
source "$MODULE/../scripts/lib/processes.sh"
DATA="$MODULE/../replay-exchange/demo-data"
ROWS=${BENCH_ROWS:-10000000}
SERIES_CANDLES=${BENCH_SERIES_CANDLES:-500000}
PG_PORT=${BENCH_PG_PORT:-25391}
API_PORT=${BENCH_API_PORT:-18080}
DURATION=${BENCH_DURATION:-20s}
WARMUP=${BENCH_WARMUP:-20s}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-32}

WORK=$(mktemp -d)
DB_PID=""
API_PID=""
UNCACHED_PID=""
UNCACHED_PORT=$((API_PORT + 1))
TTL_PID=""
TTL_PORT=$((API_PORT + 2))
cleanup() {
  proc_stop 30 "$API_PID" "$UNCACHED_PID" "$TTL_PID" "$DB_PID"
  rm -rf "$WORK"
}
trap cleanup EXIT

log() { echo "[bench] $*" >&2; }

# A server already on a port would answer the readiness probes and receive the load.
for port in "$PG_PORT" "$API_PORT" "$UNCACHED_PORT" "$TTL_PORT"; do
  if proc_port_in_use "$port"; then log "port $port is in use; set BENCH_PG_PORT or BENCH_API_PORT"; exit 2; fi
done

sql() { PGPASSWORD=chronoprice-local psql -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U chronoprice -d chronoprice "$@"; }


JAR="$MODULE/target/chronoprice-metrics-api-0.1.0-SNAPSHOT.jar"
if [[ ! -f "$JAR" ]]; then
  log "building $JAR"
  mvn -q -B -f "$MODULE/pom.xml" package -DskipTests
fi
mvn -q -B -f "$MODULE/pom.xml" dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp" >/dev/null

log "starting PostgreSQL on $PG_PORT"
CHRONOPRICE_PG_PORT=$PG_PORT CHRONOPRICE_PG_DATA_DIR="$WORK/pgdata" \
  proc_start "$WORK/db.log" java -cp "$(cat "$WORK/cp")" io.chronoprice.db.LocalDatabaseMain
DB_PID=$PROC_PID
proc_wait_for "$DB_PID" 120 PostgreSQL sql -c "SELECT 1 FROM predictions LIMIT 1" || { tail -n 30 "$WORK/db.log" >&2; exit 1; }

log "loading the real candles"
sql -c "CREATE SCHEMA bench; CREATE TABLE bench.raw (symbol text, open_time_ms bigint, open float8, high float8, low float8, close float8, volume float8)"
zcat "$DATA/binance_spot_BTCUSDT_1m.csv.gz" | tail -n +2 | sed "s/^/BTCUSDT,/" | sql -c "\copy bench.raw FROM STDIN CSV"

# Candles of a symbol (the first N rows, or all), and for each candle a prediction of the next minute per model,
# derived from that candle's close with a deterministic perturbation and an 80 % band.
seed() {
  local symbol=$1 rows=$2; shift 2
  sql -c "INSERT INTO candles (exchange, symbol, interval, open_time, open, high, low, close, volume)
          SELECT 'binance', symbol, '1m', to_timestamp(open_time_ms / 1000.0), open, high, low, close, volume
          FROM bench.raw WHERE symbol = '$symbol' ORDER BY open_time_ms LIMIT $rows ON CONFLICT DO NOTHING"
  local k=1
  for model in "$@"; do
    sql -c "INSERT INTO predictions (exchange, symbol, interval, target_open_time, model_version, predicted_close,
                                     lower_close, upper_close, naive_close, window_end_open_time)
            SELECT exchange, symbol, interval, open_time + interval '1 minute', '$model',
                   close * (1 + 0.0008 * sin($k * extract(epoch FROM open_time) / 60)),
                   close * (0.9988 + 0.0008 * sin($k * extract(epoch FROM open_time) / 60)),
                   close * (1.0012 + 0.0008 * sin($k * extract(epoch FROM open_time) / 60)),
                   close, open_time
            FROM candles WHERE symbol = '$symbol' ON CONFLICT DO NOTHING"
    k=$((k + 1))
  done
}

# Synthetic series number $1: a random walk from 100 with steps of about 0.05 %, deterministic (a sine hash), so
# every run fills the same rows; then its predictions, as seed() makes them.
seed_synthetic() {
  local n=$1 symbol
  symbol=$(printf 'SYN%03dUSDT' "$1")
  sql -c "INSERT INTO bench.raw
          SELECT '$symbol', 1577836800000 + i::bigint * 60000, c, c * 1.0004, c * 0.9996, c, 1
          FROM (SELECT i, 100 * exp(0.0005 * sum(sin(i * 12.9898 + $n * 78.233) * 1.7) OVER (ORDER BY i)) AS c
                FROM generate_series(0, $SERIES_CANDLES - 1) i) walk"
  seed "$symbol" "$SERIES_CANDLES" lstm-bench-1 lstm-bench-2
}

count() { sql -At -c "SELECT count(*) FROM predictions"; }

# Three APIs on the same database: as configured (each /metrics/model report kept until its exchange is written) on
# API_PORT; one that computes every report (CHRONOPRICE_API_METRICS_CACHE_TTL=0s) on API_PORT + 1, so both costs are
# measured; and, for the spread load only, one that keeps reports for the 1 s TTL alone, as the API did before it
# listened for writes (CHRONOPRICE_API_METRICS_LISTEN=false), on API_PORT + 2.
start_api() {
  CHRONOPRICE_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/chronoprice" CHRONOPRICE_API_PORT=$API_PORT \
    proc_start "$WORK/api.log" java -jar "$JAR"
  API_PID=$PROC_PID
  CHRONOPRICE_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/chronoprice" CHRONOPRICE_API_PORT=$UNCACHED_PORT \
    CHRONOPRICE_API_METRICS_CACHE_TTL=0s proc_start "$WORK/api-uncached.log" java -jar "$JAR"
  UNCACHED_PID=$PROC_PID
  CHRONOPRICE_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/chronoprice" CHRONOPRICE_API_PORT=$TTL_PORT \
    CHRONOPRICE_API_METRICS_LISTEN=false proc_start "$WORK/api-ttl.log" java -jar "$JAR"
  TTL_PID=$PROC_PID
  proc_wait_for "$API_PID" 120 API curl -sf "http://127.0.0.1:$API_PORT/health" || { tail -n 30 "$WORK/api.log" >&2; exit 1; }
  proc_wait_for "$UNCACHED_PID" 120 API curl -sf "http://127.0.0.1:$UNCACHED_PORT/health" ||
    { tail -n 30 "$WORK/api-uncached.log" >&2; exit 1; }
  proc_wait_for "$TTL_PID" 120 API curl -sf "http://127.0.0.1:$TTL_PORT/health" ||
    { tail -n 30 "$WORK/api-ttl.log" >&2; exit 1; }
}

# Prints "req/s p50 p99 errors" of the last wrk run (its output in $WORK/wrk.txt).
wrk_figures() {
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$WORK/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$WORK/wrk.txt")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' "$WORK/wrk.txt" | tr '\n' ' ')
  echo "$rps $p50 $p99 ${errors:-none}"
}

# Prints "req/s p50 p99 errors" of one wrk run after a warm-up: the URL, then wrk's further arguments, if any.
measure() {
  local url=$1
  shift
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$@" "$url" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url" >"$WORK/wrk.txt"
  wrk_figures
}

# The series written while it is asked, as a job catching up writes it: every second a candle and each version's
# prediction of the next one, in one statement (sixty times the live rate of 1m candles). Each write renews the
# series' reports as soon as the API hears of it.
write_btcusdt() {
  while true; do
    sql -c "WITH c AS (
              INSERT INTO candles (exchange, symbol, interval, open_time, open, high, low, close, volume)
              SELECT exchange, symbol, interval, open_time + interval '1 minute', close, close, close, close, 1
              FROM candles WHERE exchange = 'binance' AND symbol = 'BTCUSDT' AND interval = '1m'
              ORDER BY open_time DESC LIMIT 1
              RETURNING *)
            INSERT INTO predictions (exchange, symbol, interval, target_open_time, model_version, predicted_close,
                                     lower_close, upper_close, naive_close, window_end_open_time)
            SELECT c.exchange, c.symbol, c.interval, c.open_time + interval '1 minute', v, c.close * 1.0001,
                   c.close * 0.999, c.close * 1.001, c.close, c.open_time
            FROM c, unnest(ARRAY['lstm-bench-1', 'lstm-bench-2', 'lstm-bench-3']) v" >/dev/null
    sleep 1
  done
}

computations() {
  curl -sf "http://127.0.0.1:$API_PORT/prometheus" | awk '/^chronoprice_report_computations_total/ {print $2}'
}

# measure(), on the API as configured, while write_btcusdt runs; prints "req/s p50 p99 reports-computed errors".
# The rows it wrote are deleted after, so that phase 2 reads the same BTCUSDT rows.
measure_written() {
  local url=$1 writer c0 c1 last
  last=$(sql -At -c "SELECT max(open_time) FROM candles WHERE symbol = 'BTCUSDT'")
  write_btcusdt &
  writer=$!
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$url" >/dev/null
  c0=$(computations)
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url" >"$WORK/wrk.txt"
  c1=$(computations)
  kill "$writer"
  wait "$writer" 2>/dev/null || true
  sql -c "DELETE FROM predictions WHERE symbol = 'BTCUSDT' AND window_end_open_time > '$last'" \
    -c "DELETE FROM candles WHERE symbol = 'BTCUSDT' AND open_time > '$last'" >/dev/null
  local rps p50 p99 errors
  read -r rps p50 p99 errors < <(wrk_figures)
  echo "$rps $p50 $p99 $(python3 -c "print(round($c1 - $c0))") $errors"
}

# measure() over many questions at once: every series, window and version filter in turn (questions.lua reads the
# paths from the file QUESTIONS_FILE names).
measure_questions() { # port
  measure "http://127.0.0.1:$1" -s "$HERE/questions.lua"
}

RESULTS=()
declare -A NOTE=()
run_phase() {
  local rows
  rows=$(count)
  # As the job does every registry poll: the accuracy prefix sums catch up with the rows just written.
  local t0=$SECONDS
  sql -c "SELECT refresh_prediction_accuracy()" >/dev/null
  log "refresh of the prefix sums: $((SECONDS - t0)) s"
  sql -c "ANALYZE candles; ANALYZE predictions"
  for path in "/price/latest?symbol=BTCUSDT" "/metrics/model?symbol=BTCUSDT&window=24h" \
    "/metrics/model?symbol=BTCUSDT&window=all" "$@"; do
    local note=${NOTE[$path]:-}
    log "wrk $path with $rows prediction rows"
    read -r rps p50 p99 errors < <(measure "http://127.0.0.1:$API_PORT$path")
    RESULTS+=("| \`$path\`${note:+ ($note)} | $rows | $rps | $p50 | $p99 | $errors |")
    if [[ $path == /metrics/* ]]; then
      log "wrk $path with $rows prediction rows, uncached"
      read -r rps p50 p99 errors < <(measure "http://127.0.0.1:$UNCACHED_PORT$path")
      RESULTS+=("| \`$path\` (${note:+$note, }uncached) | $rows | $rps | $p50 | $p99 | $errors |")
    fi
  done
}

# The versions as a running job would have them: lstm-bench-1 the champion and lstm-bench-2 a challenger of 1m, so
# that every /metrics/model report also compares them (Diebold-Mariano on their common targets); lstm-bench-3 is
# not registered, as a retired model's old rows would be. lstm-bench-4, a second challenger, has rows on one synthetic
# series only.
register() { # version status
  sql -c "INSERT INTO models (model_version, created_at, interval, window_size, feature_names, quantiles,
                              artifact_sha256, status)
          VALUES ('$1', now(), '1m', 60, ARRAY['log_return'], ARRAY[0.1, 0.5, 0.9], repeat('0', 64), '$2')"
}
register lstm-bench-1 champion
register lstm-bench-2 challenger
register lstm-bench-4 challenger

# BTCUSDT has the same three models in both phases, so the 24h window holds the same rows (3 x 1440) and only
# the table size changes.
log "phase 1: ~10k prediction rows"
seed BTCUSDT 3334 lstm-bench-1 lstm-bench-2 lstm-bench-3
start_api
run_phase
path="/metrics/model?symbol=BTCUSDT&window=all"
log "wrk $path while BTCUSDT is written every second"
read -r rps p50 p99 computed errors < <(measure_written "http://127.0.0.1:$API_PORT$path")
RESULTS+=("| \`$path\` (written every second; $computed reports computed in $DURATION) | $(count) | $rps | $p50 | $p99 | $errors |")

log "phase 2: $ROWS prediction rows (synthetic series of $SERIES_CANDLES candles, two versions each)"
n=1
while (($(count) < ROWS)); do
  log "synthetic series $n ($(count) rows so far)"
  seed_synthetic "$n"
  n=$((n + 1))
done
# A challenger added halfway through SYN002USDT's history: its report compares three versions.
sql -c "INSERT INTO predictions (exchange, symbol, interval, target_open_time, model_version, predicted_close,
                                 lower_close, upper_close, naive_close, window_end_open_time)
        SELECT exchange, symbol, interval, target_open_time, 'lstm-bench-4', predicted_close * 1.0002, lower_close,
               upper_close, naive_close, window_end_open_time
        FROM predictions
        WHERE symbol = 'SYN002USDT' AND model_version = 'lstm-bench-1'
          AND target_open_time >= (SELECT min(target_open_time) + ($SERIES_CANDLES / 2) * interval '1 minute'
                                   FROM predictions WHERE symbol = 'SYN002USDT')"
NOTE["/metrics/model?symbol=SYN002USDT&window=all"]="three scored versions"
run_phase "/metrics/model?symbol=SYN001USDT&window=all" "/metrics/model?symbol=SYN002USDT&window=all"

# Every series, window and version filter: as many questions as dashboards and pages over all the series would ask.
questions="$WORK/questions.txt"
mapfile -t series < <(sql -At -c "SELECT DISTINCT symbol FROM candles WHERE exchange = 'binance' ORDER BY 1")
for symbol in "${series[@]}"; do
  for window in 1h 24h 7d all; do
    for version in "" "&model_version=lstm-bench-1" "&model_version=lstm-bench-2"; do
      echo "/metrics/model?symbol=$symbol&window=$window$version"
    done
  done
done >"$questions"
export QUESTIONS_FILE=$questions
what="\`/metrics/model\` ($(wc -l <"$questions") questions: ${#series[@]} series x 4 windows x 3 version filters"
log "wrk over $(wc -l <"$questions") questions"
read -r rps p50 p99 errors < <(measure_questions "$API_PORT")
RESULTS+=("| $what) | $(count) | $rps | $p50 | $p99 | $errors |")
# This API served nothing before: a first warm-up of its own, so that its JIT is as warm as the others'.
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$HERE/questions.lua" "http://127.0.0.1:$TTL_PORT" >/dev/null
read -r rps p50 p99 errors < <(measure_questions "$TTL_PORT")
RESULTS+=("| $what, 1 s TTL only) | $(count) | $rps | $p50 | $p99 | $errors |")
read -r rps p50 p99 errors < <(measure_questions "$UNCACHED_PORT")
RESULTS+=("| $what, uncached) | $(count) | $rps | $p50 | $p99 | $errors |")

echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency (after a $WARMUP warm-up), API and PostgreSQL on the same host;"
echo "host: $(nproc) cores, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the host included)"
echo
echo "| endpoint | prediction rows | req/s | p50 | p99 | errors |"
echo "|---|---:|---:|---:|---:|---|"
printf '%s\n' "${RESULTS[@]}"
