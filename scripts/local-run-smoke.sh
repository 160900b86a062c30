#!/usr/bin/env bash
# End-to-end check of the README's run command: starts `./chronoprice up` on spare ports with a throwaway
# state directory, waits for every component, queries them, evaluates every dashboard and alert query through
# the run's Prometheus (grafana/.../PrometheusQueriesSmokeCheck), stops it, and checks that nothing is left.
# SMOKE_PORT_OFFSET (default 0) shifts every port, so that two checkouts can run it side by side.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d)"
OFF="${SMOKE_PORT_OFFSET:-0}"
PG_PORT=$((15439 + OFF)) REPLAY_PORT=$((28090 + OFF)) API_PORT=$((28080 + OFF)) PROM_PORT=$((29099 + OFF))
export CHRONOPRICE_LOCAL_DIR="$WORK"
# The demo's own speed (60x): three symbols then stay under the source's request-weight limit, so the source
# never pauses and the poll lag stays that of a healthy pipeline.
export CHRONOPRICE_PG_PORT=$PG_PORT CHRONOPRICE_REPLAY_PORT=$REPLAY_PORT CHRONOPRICE_REPLAY_SPEED=60 \
  CHRONOPRICE_FLINK_UI_PORT=$((28081 + OFF)) CHRONOPRICE_API_PORT=$API_PORT \
  CHRONOPRICE_FLINK_METRICS_PORT=$((29249 + OFF)) CHRONOPRICE_PROMETHEUS_PORT=$PROM_PORT
fail() { echo "SMOKE FAIL: $*" >&2; tail -n 40 "$WORK"/logs/*.log >&2 2>/dev/null || true; exit 1; }
# shellcheck source=SCRIPTDIR/lib/processes.sh
source "$ROOT/scripts/lib/processes.sh"

proc_start "$WORK/up.out" "$ROOT/chronoprice" up
UP_PID=$PROC_PID
# `up` stops its own processes on SIGTERM, each within 30 s; SIGKILL only if it hangs beyond that.
trap 'proc_stop 60 "$UP_PID"; rm -rf "$WORK"' EXIT

proc_wait_for "$UP_PID" 600 "chronoprice up" grep -q 'ChronoPrice is running' "$WORK/up.out" ||
  fail "chronoprice up did not come up: $(tail -n 20 "$WORK/up.out")"

klines=$(curl -sf "http://127.0.0.1:$REPLAY_PORT/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=3") \
  || fail "replay exchange did not answer"
[[ "$(grep -o '\],\[' <<<"$klines" | wc -l)" -eq 2 ]] || fail "expected 3 klines, got: $klines"

export PGPASSWORD=reader-local
tables=$(psql -h 127.0.0.1 -p $PG_PORT -U chronoprice_reader -d chronoprice -tAc \
  "SELECT count(*) FROM information_schema.tables WHERE table_name IN ('candles','predictions','models')") \
  || fail "database did not answer"
[[ "$tables" == 3 ]] || fail "schema incomplete: $tables of 3 tables"

# The job backfills 70 candles per symbol at start, so predictions follow within seconds of RUNNING.
deadline=$((SECONDS + 180))
until [[ "$(psql -h 127.0.0.1 -p $PG_PORT -U chronoprice_reader -d chronoprice -tAc \
  "SELECT count(DISTINCT symbol) FROM predictions")" == 3 ]]; do
  ((SECONDS < deadline)) || fail "no predictions for all 3 symbols after 180 s"
  sleep 2
done

prediction=$(curl -sfi "http://127.0.0.1:$API_PORT/price/prediction?symbol=btcusdt") || fail "API did not answer"
grep -qi '^x-chronoprice-disclaimer:' <<<"$prediction" || fail "API response lacks the disclaimer header"
grep -q '"modelVersion":"lstm-1m-v3"' <<<"$prediction" || fail "unexpected prediction: $prediction"

# Every dashboard and alert query through Prometheus, with Grafana's variables expanded; it also turns the replay
# exchange's faults on and waits for the rejected candles to rise. Maven only runs the one test class; an earlier
# run's report must not count as this one's.
rm -f "$ROOT"/grafana/target/surefire-reports/*PrometheusQueriesSmokeCheck*
mvn -B -q -f "$ROOT/grafana/pom.xml" test -Dspotless.check.skip=true \
  -Dtest=PrometheusQueriesSmokeCheck -Dsurefire.failIfNoSpecifiedTests=true \
  -Dchronoprice.smoke.prometheus-url="http://127.0.0.1:$PROM_PORT" \
  -Dchronoprice.smoke.replay-url="http://127.0.0.1:$REPLAY_PORT" \
  -Dchronoprice.smoke.api-url="http://127.0.0.1:$API_PORT" \
  -Dchronoprice.smoke.db-url="jdbc:postgresql://127.0.0.1:$PG_PORT/chronoprice" \
  -Dchronoprice.smoke.db-user=chronoprice_reader -Dchronoprice.smoke.db-password=reader-local \
  >"$WORK/prometheus-check.log" 2>&1 || { cat "$WORK/prometheus-check.log" >&2; fail "PromQL queries through Prometheus"; }
grep -h '<testcase' "$ROOT"/grafana/target/surefire-reports/TEST-*PrometheusQueriesSmokeCheck.xml >/dev/null \
  || fail "PrometheusQueriesSmokeCheck did not run"
checked=$(grep -o '<testcase ' "$ROOT"/grafana/target/surefire-reports/TEST-*PrometheusQueriesSmokeCheck.xml | wc -l)

# `./chronoprice backtest` on 200 candles of two demo files, against the running stack: it runs on the stack's Flink
# cluster, as a job of its own beside the live one. Then once in-process (CHRONOPRICE_BACKTEST_CLUSTER empty): that
# first in-process run after a build writes the backtest's class-data-sharing archive (scripts/lib/jvm.sh), which
# the JVM must then accept for the backtest's classpath: with -Xshare:on it refuses to start on an archive it cannot
# map.
export CHRONOPRICE_BACKTEST_CDS_ARCHIVE="$WORK/backtest-classes.jsa"
mkdir "$WORK/backtest-data"
for symbol in BTCUSDT ETHUSDT; do
  # head stops reading early, and zcat's SIGPIPE is expected.
  { zcat "$ROOT/replay-exchange/demo-data/binance_spot_${symbol}_1m.csv.gz" || true; } | head -n 201 | gzip \
    >"$WORK/backtest-data/binance_spot_${symbol}_1m.csv.gz"
done
"$ROOT/chronoprice" backtest "$WORK/backtest-data" smoke >"$WORK/backtest.out" 2>&1 ||
  fail "chronoprice backtest failed: $(tail -n 20 "$WORK/backtest.out")"
grep -q "^The job stored 400 candles .*on the cluster at 127.0.0.1:$CHRONOPRICE_FLINK_UI_PORT)" "$WORK/backtest.out" ||
  fail "backtest on the stack's cluster: $(grep -E '^The job stored|^[0-9:.]+ (WARN|ERROR)' "$WORK/backtest.out")"
curl -sf "http://127.0.0.1:$CHRONOPRICE_FLINK_UI_PORT/jobs/overview" | python3 -c 'import json, sys
sys.exit(not any(j["name"].startswith("ChronoPrice binance@smoke ") and j["state"] == "FINISHED"
                 for j in json.load(sys.stdin)["jobs"]))' ||
  fail "the stack's cluster lists no finished backtest: $(curl -s "http://127.0.0.1:$CHRONOPRICE_FLINK_UI_PORT/jobs/overview")"
CHRONOPRICE_BACKTEST_CLUSTER='' "$ROOT/chronoprice" backtest "$WORK/backtest-data" smoke-in-process \
  >"$WORK/backtest-in-process.out" 2>&1 ||
  fail "chronoprice backtest in-process failed: $(tail -n 20 "$WORK/backtest-in-process.out")"
grep -q '^The job stored 400 candles .*in-process cluster)' "$WORK/backtest-in-process.out" ||
  fail "backtest report: $(head -n 20 "$WORK/backtest-in-process.out")"
[[ -f $CHRONOPRICE_BACKTEST_CDS_ARCHIVE ]] || fail "the backtest wrote no class-data-sharing archive"
# shellcheck source=SCRIPTDIR/lib/jvm.sh
source "$ROOT/scripts/lib/jvm.sh"
java -Xshare:on -XX:SharedArchiveFile="$CHRONOPRICE_BACKTEST_CDS_ARCHIVE" -cp "$(backtest_classpath)" -version \
  >"$WORK/cds-check.out" 2>&1 || fail "the JVM refuses the backtest's archive: $(cat "$WORK/cds-check.out")"

proc_stop 60 "$UP_PID"
for pidfile in "$WORK"/*.pid; do
  pid=$(cat "$pidfile")
  proc_wait_for "" 10 "process $pid ($pidfile) to stop" proc_gone "$pid" ||
    fail "process $pid ($pidfile) still running after stop"
done
echo "SMOKE OK: replay exchange, database, Flink job (predictions for 3 symbols) and API answered;" \
  "Prometheus scraped the job and the API, $checked PromQL checks passed; a backtest ran on the stack's cluster" \
  "and one in-process, which left a class archive the JVM maps; all stopped"
