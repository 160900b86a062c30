#!/usr/bin/env bash
# Load benchmark of the metrics API on loopback, in one run: wrk against /price/latest and
# /metrics/model?window=24h, first with ~10k prediction rows, then with 1M+ rows.
# It starts its own throwaway PostgreSQL (embedded, port BENCH_PG_PORT) and API (port BENCH_API_PORT), seeds
# them from the real Binance 1m candles in BENCH_DATA, and prints a Markdown table for BENCHMARKS.md.
# Needs: java 17, mvn (the db module installed: `mvn -q -B install -DskipTests -pl db` in the root), psql, wrk.
#
#   BENCH_DATA=DIR bench/load.sh
#
# BENCH_DATA (required) holds binance_spot_<SYMBOL>_1m.csv.gz for the five SYMBOLS below, in the format of
# replay-exchange/demo-data, with over 200k rows per symbol for the 1M+ phase: the project's shared candle set
# (freqtrade downloads from public repositories, listed in replay-exchange/demo-data/README.md) has them. The
# bundled demo slice does not serve: three symbols, one week.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
MODULE=$(dirname "$HERE")
# shellcheck source=SCRIPTDIR/../../scripts/lib/processes.sh
source "$MODULE/../scripts/lib/processes.sh"
DATA=${BENCH_DATA:-}
PG_PORT=${BENCH_PG_PORT:-54391}
API_PORT=${BENCH_API_PORT:-18080}
DURATION=${BENCH_DURATION:-20s}
WARMUP=${BENCH_WARMUP:-20s}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
SYMBOLS=(BTCUSDT ETHUSDT XRPUSDT BNBUSDT SOLUSDT)

WORK=$(mktemp -d)
DB_PID=""
API_PID=""
cleanup() {
  proc_stop 30 "$API_PID" "$DB_PID"
  rm -rf "$WORK"
}
trap cleanup EXIT

log() { echo "[bench] $*" >&2; }

if [[ -z "$DATA" ]]; then
  log "set BENCH_DATA to a directory of binance_spot_<SYMBOL>_1m.csv.gz files (see the header of $0)"
  exit 2
fi
for s in "${SYMBOLS[@]}"; do
  [[ -f "$DATA/binance_spot_${s}_1m.csv.gz" ]] || { log "BENCH_DATA=$DATA has no binance_spot_${s}_1m.csv.gz"; exit 2; }
done
# A server already on a port would answer the readiness probes and receive the load.
for port in "$PG_PORT" "$API_PORT"; do
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
for s in "${SYMBOLS[@]}"; do
  zcat "$DATA/binance_spot_${s}_1m.csv.gz" | tail -n +2 | sed "s/^/$s,/" | sql -c "\copy bench.raw FROM STDIN CSV"
done

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

count() { sql -At -c "SELECT count(*) FROM predictions"; }

start_api() {
  CHRONOPRICE_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/chronoprice" CHRONOPRICE_API_PORT=$API_PORT \
    proc_start "$WORK/api.log" java -jar "$JAR"
  API_PID=$PROC_PID
  proc_wait_for "$API_PID" 120 API curl -sf "http://127.0.0.1:$API_PORT/health" || { tail -n 30 "$WORK/api.log" >&2; exit 1; }
}

# Prints "req/s p50 p99 errors" of one wrk run after a warm-up.
measure() {
  local url=$1
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$url" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url" >"$WORK/wrk.txt"
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$WORK/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$WORK/wrk.txt")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' "$WORK/wrk.txt" | tr '\n' ' ')
  echo "$rps $p50 $p99 ${errors:-none}"
}

RESULTS=()
run_phase() {
  local rows
  rows=$(count)
  # As the job does every registry poll: the accuracy prefix sums catch up with the rows just written.
  sql -c "SELECT refresh_prediction_accuracy()" >/dev/null
  sql -c "ANALYZE candles; ANALYZE predictions"
  for path in "/price/latest?symbol=BTCUSDT" "/metrics/model?symbol=BTCUSDT&window=24h" \
    "/metrics/model?symbol=BTCUSDT&window=all"; do
    log "wrk $path with $rows prediction rows"
    read -r rps p50 p99 errors < <(measure "http://127.0.0.1:$API_PORT$path")
    RESULTS+=("| \`$path\` | $rows | $rps | $p50 | $p99 | $errors |")
  done
}

# BTCUSDT has the same three models in both phases, so the 24h window holds the same rows (3 x 1440) and only
# the table size changes.
log "phase 1: ~10k prediction rows"
seed BTCUSDT 3334 lstm-bench-1 lstm-bench-2 lstm-bench-3
start_api
run_phase

log "phase 2: 1M+ prediction rows"
for s in "${SYMBOLS[@]}"; do
  case $s in
    BTCUSDT | ETHUSDT) seed "$s" 1000000 lstm-bench-1 lstm-bench-2 lstm-bench-3 ;;
    *) seed "$s" 1000000 lstm-bench-1 lstm-bench-2 ;;
  esac
done
run_phase

echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency (after a $WARMUP warm-up), API and PostgreSQL on the same host;"
echo "host: $(nproc) cores, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the host included)"
echo
echo "| endpoint | prediction rows | req/s | p50 | p99 | errors |"
echo "|---|---:|---:|---:|---:|---|"
printf '%s\n' "${RESULTS[@]}"
