#!/usr/bin/env bash
# Monthly partitions (migration V8) against the plain tables of V7, on the same synthetic fill: the API's hot reads
# (pgbench, prepared statements, as the API's connection pool runs them, with PostgreSQL's default plan choice and
# with the generic plans the API forces) and the sink's 500-row upsert batches.
#
# Needs a PostgreSQL 17 of your own (NEVER the local run's or a shared one: it creates and drops a database) reachable
# with psql/pgbench as a superuser, e.g. the zonky binaries the build already downloaded, started on a free port:
#   PGHOST=127.0.0.1 PGPORT=55871 PGUSER=postgres benchmarks/partitioning-bench.sh [ROWS_PER_TABLE]
# ROWS_PER_TABLE (default 10,000,000) candles and as many predictions: 20 series of 1m candles, one model version.
# Steps: migrate V1..V7, fill, measure; apply V8 to the same data (timed: it is what an upgrade costs), measure.
set -euo pipefail

ROWS=${1:-10000000}
DB=chronoprice_bench
HERE=$(cd "$(dirname "$0")/.." && pwd)
MIGRATIONS=$HERE/db/src/main/resources/db/migration
SERIES=20
MINUTES=$((ROWS / SERIES))
START='2025-01-01T00:00:00Z'
DURATION=${BENCH_SECONDS:-15}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

psql_su() { psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }
psql_db() { psql -X -q -v ON_ERROR_STOP=1 -U chronoprice -d $DB "$@"; }

psql_su -c "DO \$\$BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'chronoprice') THEN CREATE ROLE chronoprice LOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'chronoprice_reader') THEN CREATE ROLE chronoprice_reader; END IF;
END\$\$;" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB OWNER chronoprice"
for f in "$MIGRATIONS"/V[1-7]__*.sql; do psql_db -1 -f "$f"; done

echo "== fill: $ROWS candles and $ROWS predictions ($SERIES series x $MINUTES minutes from $START)"
time psql_db <<SQL
ALTER TABLE candles DISABLE TRIGGER USER;
ALTER TABLE predictions DISABLE TRIGGER USER;
INSERT INTO candles (exchange, symbol, interval, open_time, open, high, low, close, volume)
SELECT 'binance', 'S' || s, '1m', timestamptz '$START' + m * interval '1 minute', 100, 101, 99, 100 + (m % 7) * 0.1, 1
FROM generate_series(0, $SERIES - 1) s, generate_series(0, $MINUTES - 1) m;
INSERT INTO predictions (exchange, symbol, interval, target_open_time, model_version, predicted_close, lower_close,
                         upper_close, naive_close, window_end_open_time)
SELECT 'binance', 'S' || s, '1m', timestamptz '$START' + m * interval '1 minute', 'v', 100.2, 99.5, 100.9, 100,
       timestamptz '$START' + (m - 1) * interval '1 minute'
FROM generate_series(0, $SERIES - 1) s, generate_series(1, $MINUTES) m;
ALTER TABLE candles ENABLE TRIGGER USER;
ALTER TABLE predictions ENABLE TRIGGER USER;
SQL
psql_db -c "VACUUM ANALYZE candles" -c "VACUUM ANALYZE predictions"

# The API's SQL (PriceRepository), one series drawn at random per transaction.
cat > "$WORK/latest_candle.sql" <<'SQL'
\set s random(0, 19)
SELECT exchange, symbol, interval, open_time, open, high, low, close, volume, ingested_at FROM candles o
WHERE o.exchange = 'binance' AND o.symbol = 'S' || :s AND o.interval = '1m' ORDER BY o.open_time DESC LIMIT 1;
SQL
cat > "$WORK/latest_prediction.sql" <<'SQL'
\set s random(0, 19)
SELECT target_open_time, predicted_close, actual_close FROM prediction_outcomes o
WHERE o.exchange = 'binance' AND o.symbol = 'S' || :s AND o.interval = '1m' AND o.model_version = 'v'
ORDER BY o.target_open_time DESC, o.model_version DESC LIMIT 1;
SQL
# An hour of predictions with their actuals, somewhere in the fill.
cat > "$WORK/history_hour.sql" <<SQL
\set s random(0, 19)
\set h random(0, $((MINUTES / 60 - 2)))
SELECT target_open_time, predicted_close, actual_close FROM prediction_outcomes o
WHERE o.exchange = 'binance' AND o.symbol = 'S' || :s AND o.interval = '1m'
  AND o.target_open_time >= timestamptz '$START' + :h * interval '1 hour'
  AND o.target_open_time < timestamptz '$START' + (:h + 1) * interval '1 hour'
  AND o.model_version = 'v'
ORDER BY o.target_open_time, o.model_version LIMIT 501;
SQL

measure() {
    echo "== $1"
    # PostgreSQL's default plan choice (auto: custom plans, planned afresh each time, when they look cheaper) and
    # the generic plans the API's pool forces (metrics-api application.yml).
    for q in latest_candle latest_prediction history_hour; do
        for mode in auto force_generic_plan; do
            printf '%-18s %-19s ' "$q" "$mode"
            PGOPTIONS="-c plan_cache_mode=$mode" \
                pgbench -n -M prepared -c 1 -T "$DURATION" -U chronoprice -f "$WORK/$q.sql" $DB 2>/dev/null \
                | awk '/latency average/ {lat=$4} /^tps/ {tps=$3} END {printf "%8.3f ms/query %8.0f queries/s\n", lat, tps}'
        done
    done
    # The sink's batches: 40 upserts of 500 new candles (25 minutes of the 20 series) after the newest, and as many
    # predictions, with the accuracy triggers on, each statement its own transaction as the sink's are.
    psql_db -c "CREATE TABLE IF NOT EXISTS bench_next (k int)" -c "INSERT INTO bench_next SELECT 0 WHERE NOT EXISTS (SELECT FROM bench_next)"
    local t0 t1
    t0=$(date +%s.%N)
    for b in $(seq 1 40); do
        echo "UPDATE bench_next SET k = k + 1;
INSERT INTO candles (exchange, symbol, interval, open_time, open, high, low, close, volume)
SELECT 'binance', 'S' || s, '1m', timestamptz '$START' + ($MINUTES + k * 25 + m) * interval '1 minute', 100, 101, 99, 100, 1
FROM bench_next, generate_series(0, 19) s, generate_series(0, 24) m
ON CONFLICT (exchange, symbol, interval, open_time) DO UPDATE SET close = EXCLUDED.close;
INSERT INTO predictions (exchange, symbol, interval, target_open_time, model_version, predicted_close, naive_close, window_end_open_time)
SELECT 'binance', 'S' || s, '1m', timestamptz '$START' + ($MINUTES + k * 25 + m) * interval '1 minute', 'v', 100, 100,
       timestamptz '$START' + ($MINUTES + k * 25 + m - 1) * interval '1 minute'
FROM bench_next, generate_series(0, 19) s, generate_series(0, 24) m
ON CONFLICT (exchange, symbol, interval, target_open_time, model_version) DO UPDATE SET predicted_close = EXCLUDED.predicted_close;"
    done > "$WORK/batches.sql"
    psql_db -f "$WORK/batches.sql"
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%-18s %8.2f ms per 500-row batch (candles and predictions alternating, 80 batches)\n", "upsert batch", (b - a) * 1000 / 80}'
}

uptime
measure "V7: plain tables"
echo "== V8 applied to the filled tables"
time psql_db -1 -f "$MIGRATIONS"/V8__partitioning.sql >/dev/null
psql_db -c "VACUUM ANALYZE candles" -c "VACUUM ANALYZE predictions"
psql_db -Atc "SELECT count(*) || ' partitions of candles' FROM pg_inherits WHERE inhparent = 'candles'::regclass"
measure "V8: monthly partitions"
uptime
[ -n "${KEEP:-}" ] || psql_su -c "DROP DATABASE $DB"
