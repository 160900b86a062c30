#!/usr/bin/env bash
# End-to-end failure tests of the ChronoPrice job on a real Flink session cluster (flink-cluster.sh):
#
#   clean       reference run: the replayed slice, no failures
#   tm-kill     kill -9 a TaskManager three times (a replacement is started each time); recovery times
#   pg-outage   PostgreSQL stopped for 60 s mid-run and started again on the same port and data dir
#   faults      replay exchange fault knobs on for the whole run (5xx, 429 + Retry-After, slow, truncated,
#               malformed on ~10 % of requests); the source's reject/error counters read over REST
#   savepoint   stop with a savepoint, wait, resubmit from it
#   swap        kill -9 a TaskManager and, while the job recovers, add a second model version (v2) to the
#               registry: the running job must pick it up without a resubmit and score it for every window
#               from its first one on, beside the champion, which must lose nothing
#
# Each scenario replays the same short slice of the real demo candles (SLICE_CANDLES per symbol) on an
# accelerated clock into its own database (a copy of the migrated schema, plus the stored-row checker's log of
# every committed write attempt). Its verdict is the stored-row checker's (the row-check module, also used by the
# job's ITCases, run here through its main), and it passes only if:
#   - every candle of the slice is in `candles` with the slice's values (none lost) and nothing else is (none extra);
#   - every full gap-free window has exactly one prediction per model version (a version added during the
#     run: every window from its first prediction on), for the candle after the window, and nothing else has one;
#   - no gap was recorded (the slice has none), every prediction equals the clean run's (the clean run's database);
#   - no key was ever written with two different values; a key written more than once is the
#     at-least-once replay after a restore and is counted, and must not happen at all without a failure
#     (clean, faults, savepoint).
# Prints PASS/FAIL per scenario and a summary table (also in $WORK/summary.md); exit 0 only if all passed.
#
#   deploy/cluster/failure-tests.sh [SCENARIO...]      (default: all; clean always runs first)
#
# Settings (environment): RELIABILITY_WORK_DIR (default a new /tmp dir, kept for inspection),
# REPLAY_SPEED (100), SLICE_START (2021-05-19T12:00:00Z), SLICE_CANDLES (300), SYMBOLS
# (BTCUSDT,ETHUSDT,SOLUSDT), PG_PORT (16871), REPLAY_PORT (18793), FLINK_REST_PORT (18781),
# FLINK_RPC_PORT (16781), FLINK_METRICS_PORT (18750: the JobManager's Prometheus reporter; TaskManager N
# takes 18750 + N), MODEL (models/lstm-1m-v3.onnx), SWAP_MODEL (models/lstm-1m-v2.onnx),
# MODEL_WAIT_SECONDS (0), JOB_JAR,
# REUSE_CLEAN=1 (with the same RELIABILITY_WORK_DIR: compare against the clean run already there),
# PG_OUTAGE_SUPERVISE (1: a watchdog replaces TaskManagers that exit during the outage; 0: none).
# The whole suite takes about 20 minutes on 2 cores.
# Weight budget: the source spends ~3 request weight per poll and one poll per closed candle and symbol,
# and pauses until the next wall-clock minute above 1000 per minute: 3 x speed x symbols must stay
# below ~1000 (100 x 3 symbols = 900), or runs stall for up to a minute at a time.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CLUSTER="$HERE/flink-cluster.sh"
# shellcheck source=SCRIPTDIR/../../scripts/lib/processes.sh
source "$ROOT/scripts/lib/processes.sh"

WORK="${RELIABILITY_WORK_DIR:-$(mktemp -d /tmp/chronoprice-reliability.XXXXXX)}"
mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
SPEED="${REPLAY_SPEED:-100}"
SLICE_START="${SLICE_START:-2021-05-19T12:00:00Z}"
SLICE_CANDLES="${SLICE_CANDLES:-300}"
SYMBOLS="${SYMBOLS:-BTCUSDT,ETHUSDT,SOLUSDT}"
PG_PORT="${PG_PORT:-16871}"
REPLAY_PORT="${REPLAY_PORT:-18793}"
MODEL="${MODEL:-$ROOT/models/lstm-1m-v3.onnx}"
SWAP_MODEL="${SWAP_MODEL:-$ROOT/models/lstm-1m-v2.onnx}"
MODEL_WAIT_SECONDS="${MODEL_WAIT_SECONDS:-0}"
JOB_JAR="${JOB_JAR:-$ROOT/flink-job/target/chronoprice-flink-job-0.1.0-SNAPSHOT-job.jar}"
CHECKER_JAR="$ROOT/row-check/target/chronoprice-row-check-0.1.0-SNAPSHOT.jar"
WINDOW=60 # the model's window size, for the row counts the suite waits for (the checker reads it from `models`)
export CHRONOPRICE_DB_PASSWORD="${CHRONOPRICE_DB_PASSWORD:-chronoprice-local}"
export FLINK_CLUSTER_DIR="$WORK/cluster"
export FLINK_REST_PORT="${FLINK_REST_PORT:-18781}" FLINK_RPC_PORT="${FLINK_RPC_PORT:-16781}"
export FLINK_METRICS_PORT="${FLINK_METRICS_PORT:-18750}"
export FLINK_TASKMANAGERS=2 FLINK_SLOTS=1 FLINK_PARALLELISM=2
REST="http://127.0.0.1:$FLINK_REST_PORT"

SLICE_DIR="$WORK/slice"
LOGS="$WORK/logs"
SUMMARY="$WORK/summary.md"
mkdir -p "$LOGS"

log() { printf '[failure-tests %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
CURRENT=""
die() {
  log "ERROR: $*"
  # An aborted scenario still gets its row, so that the summary says what happened.
  [[ -n "$CURRENT" && -f "$SUMMARY" ]] && printf '| %s | FAIL | | | | | | | | aborted: %s |\n' "$CURRENT" "$*" >>"$SUMMARY"
  [[ -f "$SUMMARY" ]] && cat "$SUMMARY" >&2
  exit 1
}
now_ms() { date +%s%3N; }

# --- processes started here, stopped by PID on any exit ----------------------------------------------

PG_PID=""
REPLAY_PID=""
JOB_ID=""
CLUSTER_STARTED=0

cleanup() {
  local rc=$?
  set +e
  [[ -n "$JOB_ID" ]] && curl -s -X PATCH "$REST/jobs/$JOB_ID?mode=cancel" >/dev/null 2>&1
  ((CLUSTER_STARTED)) && "$CLUSTER" stop
  proc_stop 10 "$REPLAY_PID"
  proc_stop 60 "$PG_PID"
  log "work dir (logs, databases, checker output, summary) kept: $WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- preparation -------------------------------------------------------------------------------------

wait_for_model() {
  local deadline=$((SECONDS + MODEL_WAIT_SECONDS))
  until [[ -s "$MODEL" ]]; do
    ((SECONDS < deadline)) || die "model $MODEL not found (set MODEL, or MODEL_WAIT_SECONDS to wait for it)"
    sleep 10
  done
}

# Copies the jars and classpaths used here into $WORK, so that a rebuild elsewhere cannot change a run. tools/
# holds the stored-row checker (row-check) and its runtime dependencies, the replay exchange among them.
prepare_artifacts() {
  local build="mvn install -DskipTests -pl db,replay-exchange,row-check,flink-job -am"
  [[ -f "$JOB_JAR" ]] || die "job jar $JOB_JAR missing: $build"
  [[ -f "$CHECKER_JAR" ]] || die "stored-row checker $CHECKER_JAR missing: $build"
  cp "$JOB_JAR" "$WORK/job.jar"
  cp "$MODEL" "$WORK/model.onnx"
  cp "$SWAP_MODEL" "$WORK/swap-model.onnx"
  cp "$ROOT/db/target/chronoprice-db-0.1.0-SNAPSHOT.jar" "$WORK/db.jar"
  if [[ ! -s "$WORK/db-cp.txt" ]]; then
    (cd "$ROOT" && mvn -q -B -o dependency:build-classpath -pl db -Dmdep.includeScope=runtime \
      -Dmdep.outputFile="$WORK/db-cp.txt" >&2)
  fi
  rm -rf "$WORK/tools"
  (cd "$ROOT" && mvn -q -B -o dependency:copy-dependencies -pl row-check -DincludeScope=runtime \
    -DoutputDirectory="$WORK/tools" >&2) || die "could not copy the checker's dependencies: $build"
  cp "$CHECKER_JAR" "$WORK/tools/"
}

# The stored-row checker's command line (see the row-check module); the password is CHRONOPRICE_DB_PASSWORD.
checker() {
  java -cp "$WORK/tools/*" io.chronoprice.rowcheck.StoredRowCheckMain "$@"
}
jdbc_url() { # db
  echo "jdbc:postgresql://127.0.0.1:$PG_PORT/$1"
}

# Writes the slice (same gzip CSV format as demo-data); the checker counts its candles and full windows.
make_slice() {
  local start_ms end_ms sym k v
  start_ms=$(($(date -d "$SLICE_START" +%s) * 1000))
  end_ms=$((start_ms + SLICE_CANDLES * 60000))
  mkdir -p "$SLICE_DIR"
  for sym in ${SYMBOLS//,/ }; do
    zcat "$ROOT/replay-exchange/demo-data/binance_spot_${sym}_1m.csv.gz" |
      awk -F, -v s="$start_ms" -v e="$end_ms" 'NR == 1 || ($1 >= s && $1 < e)' |
      gzip >"$SLICE_DIR/binance_spot_${sym}_1m.csv.gz"
  done
  while IFS='=' read -r k v; do
    case "$k" in
      candles.expected) EXPECTED_CANDLES="$v" ;;
      windows.expected) EXPECTED_WINDOWS="$v" ;;
    esac
  done < <(checker expected --slice-dir "$SLICE_DIR" --interval 1m --window "$WINDOW")
  [[ -n "${EXPECTED_CANDLES:-}" && -n "${EXPECTED_WINDOWS:-}" ]] || die "the checker could not read the slice"
  log "slice: $SYMBOLS from $SLICE_START, $EXPECTED_CANDLES candles, $EXPECTED_WINDOWS full windows"
}

# Ready when it answers and has logged its N-th start (after a restart, the first line is an old one).
postgres_ready() { # starts-logged
  psql_admin postgres -c 'select 1' >/dev/null 2>&1 &&
    [[ "$(grep -c 'PostgreSQL ready' "$LOGS/postgres.log")" -ge "$1" ]]
}

start_postgres() { # starts-logged-when-ready (1, or 2 after a restart: the log is appended to)
  CHRONOPRICE_PG_PORT="$PG_PORT" CHRONOPRICE_PG_DATA_DIR="$WORK/pgdata" \
    proc_start --append "$LOGS/postgres.log" java -Dlog4j.configurationFile="$ROOT/deploy/local/log4j2.properties" \
    -cp "$WORK/db.jar:$(cat "$WORK/db-cp.txt")" io.chronoprice.db.LocalDatabaseMain
  PG_PID=$PROC_PID
  proc_wait_for "$PG_PID" 120 PostgreSQL postgres_ready "${1:-1}" || die "PostgreSQL did not start; see $LOGS/postgres.log"
}

psql_admin() { # db args...: as the embedded superuser (trust auth on loopback)
  local db="$1"
  shift
  psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$db" "$@"
}
psql_writer() { # db args...: as the job's writer role, owner of the schema
  local db="$1"
  shift
  PGPASSWORD="$CHRONOPRICE_DB_PASSWORD" psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" \
    -U chronoprice -d "$db" "$@"
}

# A fresh copy of the migrated schema per scenario, with the checker's write-attempt log. The log is what makes
# "duplicate" measurable at all: the tables have primary keys and the job upserts, so the tables alone
# can never show a duplicate row.
create_scenario_db() {
  local db="$1"
  psql_admin postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db TEMPLATE chronoprice OWNER chronoprice"
  checker install-write-log --jdbc-url "$(jdbc_url "$db")" --jdbc-user chronoprice >/dev/null ||
    die "could not install the write log in $db"
}

start_replay() { # scenario [fault flags...]
  local name="$1"
  shift
  proc_stop 10 "$REPLAY_PID"
  # --start at the slice's first open time: no candle is closed yet, so the job's backfill (70 candles
  # before the server time) reaches back to the slice's first candle as long as the job polls within
  # 70 virtual minutes (42 s at speed 100) of this start. The check below would report a late start.
  proc_start "$LOGS/replay-$name.log" java -cp "$WORK/tools/*" io.chronoprice.replay.ReplayExchangeMain \
    --port "$REPLAY_PORT" --data-dir "$SLICE_DIR" --start "$SLICE_START" --speed "$SPEED" "$@"
  REPLAY_PID=$PROC_PID
  proc_wait_for "$REPLAY_PID" 60 "replay exchange" curl -s -o /dev/null "http://127.0.0.1:$REPLAY_PORT/api/v3/ping" ||
    die "replay exchange did not start; see $LOGS/replay-$name.log"
}

job_args() { # db scenario
  printf '%s\n' --exchange binance --base-url "http://127.0.0.1:$REPLAY_PORT" --symbols "$SYMBOLS" \
    --interval 1m --model "$WORK/model.onnx" --jdbc-url "$(jdbc_url "$1")" \
    --jdbc-user chronoprice --checkpoint-dir "file://$WORK/checkpoints/$2" --checkpoint-interval 5 \
    --parallelism 2
}

submit() { # db scenario [savepoint]
  local args
  mapfile -t args < <(job_args "$1" "$2")
  JOB_ID="$("$CLUSTER" submit --jar "$WORK/job.jar" ${3:+--savepoint "$3"} -- "${args[@]}")"
}

model_cli() { # db args...: the registry command users run (./chronoprice model ...), against a scenario's db
  local db="$1"
  shift
  CHRONOPRICE_DB_URL="$(jdbc_url "$db")" CHRONOPRICE_DB_USER=chronoprice \
    java -cp "$WORK/job.jar:$(cat "$WORK/db-cp.txt")" io.chronoprice.job.registry.ModelCli "$@"
}

# --- observing the job -------------------------------------------------------------------------------

# The lowest-numbered TaskManager the cluster script runs (a PID file per live one): with one slot each and
# parallelism 2, every TaskManager runs tasks, so killing it always hits the job.
first_taskmanager() {
  find "$FLINK_CLUSTER_DIR/pids" -name 'taskmanager-*.pid' -printf '%f\n' |
    sed 's/^taskmanager-//; s/\.pid$//' | sort -n | head -n 1
}

# RUNNING for the job and every task: Flink reports the job RUNNING while tasks still deploy.
job_fully_running() {
  curl -sf "$REST/jobs/$JOB_ID" |
    jq -e '.state == "RUNNING" and ([.vertices[].status] | all(. == "RUNNING"))' >/dev/null
}
job_restarts() {
  curl -sf "$REST/jobs/$JOB_ID/metrics?get=numRestarts" | jq -r '.[0].value // "0"' 2>/dev/null || echo 0
}
count() { # db table
  psql_writer "$1" -c "SELECT count(*) FROM $2" 2>/dev/null || echo -1
}

wait_running() { # timeout
  local deadline=$((SECONDS + $1))
  until job_fully_running; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

# Waits until new candle rows land (count above $2) or the run is complete.
wait_rows_flow() { # db baseline timeout
  local deadline=$((SECONDS + $3)) c
  while ((SECONDS < deadline)); do
    c="$(count "$1" candles)"
    if ((c > $2 || c >= EXPECTED_CANDLES)); then return 0; fi
    sleep 0.5
  done
  return 1
}

wait_complete() { # db timeout
  local deadline=$((SECONDS + $2)) c p
  while ((SECONDS < deadline)); do
    c="$(count "$1" candles)"
    p="$(count "$1" predictions)"
    if ((c >= EXPECTED_CANDLES && p >= EXPECTED_WINDOWS)); then
      log "complete: $c candles, $p predictions"
      return 0
    fi
    sleep 2
  done
  log "not complete after $2 s: $(count "$1" candles)/$EXPECTED_CANDLES candles, $(count "$1" predictions)/$EXPECTED_WINDOWS predictions"
  return 1
}

# The source's counters, summed over its subtasks, from the REST metrics API.
source_metrics() {
  local vid ids
  vid="$(curl -sf "$REST/jobs/$JOB_ID" | jq -r '.vertices[] | select(.name | test("exchange-candles")) | .id' | head -n 1)"
  [[ -n "$vid" ]] || return 0
  ids="$(curl -sf "$REST/jobs/$JOB_ID/vertices/$vid/subtasks/metrics" |
    jq -r '[.[].id | select(test("candleSource\\.(candlesEmitted|candlesRejected|polls|httpErrors|retries)$|candleSource\\.reason\\."))] | join(",")')"
  [[ -n "$ids" ]] || return 0
  curl -sf "$REST/jobs/$JOB_ID/vertices/$vid/subtasks/metrics?get=$ids&agg=sum" |
    jq -r '.[] | "\(.id | sub(".*candleSource\\."; "")) \(.sum)"' | sort
}

finish_job() { # db: let late writes land, then cancel, and stop the exchange
  sleep 8
  "$CLUSTER" cancel "$JOB_ID" || true
  local deadline=$((SECONDS + 60))
  while [[ "$("$CLUSTER" job-state "$JOB_ID" 2>/dev/null)" != CANCELED ]] && ((SECONDS < deadline)); do sleep 1; done
  JOB_ID=""
  proc_stop 10 "$REPLAY_PID"
  REPLAY_PID=""
}

# --- checks ------------------------------------------------------------------------------------------

# Runs the stored-row checker on a scenario's database: its rows against the slice and, but for the clean run
# itself, its predictions' values against the clean run's database. Sets RESULT (the checker's name=value
# figures) and FAILS (its problems); its output is kept in $WORK/<scenario>-check.txt.
check() { # db scenario replays-allowed(0|1)
  local db="$1" name="$2" rewrites=forbidden rc=0 k v
  ((${3})) && rewrites=allowed
  local args=(check --jdbc-url "$(jdbc_url "$db")" --jdbc-user chronoprice --slice-dir "$SLICE_DIR"
    --exchange binance --interval 1m --rewrites "$rewrites")
  [[ "$name" == clean ]] || args+=(--reference-url "$(jdbc_url cp_clean)")
  [[ -z "${LATE_VERSIONS:-}" ]] || args+=(--late-versions "${LATE_VERSIONS// /,}")
  FAILS=()
  RESULT=()
  checker "${args[@]}" >"$WORK/$name-check.txt" 2>>"$LOGS/checker.log" || rc=$?
  while IFS='=' read -r k v; do
    case "$k" in
      "") ;;
      problem) FAILS+=("$v") ;;
      *) RESULT[$k]="$v" ;;
    esac
  done <"$WORK/$name-check.txt"
  if [[ "${RESULT[verdict]:-}" != PASS && ${#FAILS[@]} -eq 0 ]]; then
    FAILS+=("no verdict from the stored-row checker (exit $rc; see $LOGS/checker.log)")
  fi
  log "$name: stored-row checker verdict ${RESULT[verdict]:-none} (exit $rc)"
}

declare -A STATUS NOTES RESULT
ORDER=()

report() { # scenario notes
  local name="$1" verdict=PASS
  ((${#FAILS[@]} == 0)) || verdict=FAIL
  STATUS[$name]=$verdict
  NOTES[$name]="$2${FAILS[*]:+; FAILED: $(IFS=';'; echo "${FAILS[*]}")}"
  ORDER+=("$name")
  printf '| %s | %s | %s/%s | %s | %s/%s | %s | %s | %s | %s | %s |\n' "$name" "$verdict" \
    "${RESULT[candles.stored]:-?}" "${RESULT[candles.expected]:-?}" "${RESULT[candles.lost]:-?}" \
    "${RESULT[predictions.stored]:-?}" "${RESULT[predictions.expected]:-?}" "${RESULT[predictions.lost]:-?}" \
    "${RESULT[total.extra]:-?}" "${RESULT[total.different]:-?}" \
    "${RESULT[total.written_more_than_once]:-?} (${RESULT[total.extra_writes]:-?} writes) / ${RESULT[total.written_with_other_values]:-?}" \
    "${NOTES[$name]}" >>"$SUMMARY"
  log "$name: $verdict ${NOTES[$name]}"
}

# --- scenarios ---------------------------------------------------------------------------------------

# Starts exchange and job, waits for the job to run and for rows; sets T_SUBMIT.
begin_run() { # scenario [fault flags...]
  local name="$1"
  shift
  create_scenario_db "cp_${name//-/_}"
  start_replay "$name" "$@"
  submit "cp_${name//-/_}" "$name"
  wait_running 180 || die "$name: job $JOB_ID not running after 180 s: $(curl -s "$REST/jobs/$JOB_ID/exceptions" | head -c 2000)"
  wait_rows_flow "cp_${name//-/_}" 0 120 || die "$name: no candle rows 120 s after the job started"
}

scenario_clean() {
  begin_run clean
  wait_complete cp_clean 600 || true
  finish_job
  check cp_clean clean 0
  report clean "reference run"
}

scenario_faults() {
  # ~10 % of requests fail in one of four ways (exclusive), 10 % are delayed 300 ms.
  begin_run faults --fault-5xx 0.03 --fault-429 0.02 --retry-after 1 --fault-malformed 0.025 \
    --fault-truncated 0.025 --delay-ms 300 --delay-fraction 0.1 --seed 7
  wait_complete cp_faults 600 || true
  source_metrics >"$WORK/faults-metrics.txt" || true
  local restarts
  restarts="$(job_restarts)"
  finish_job
  check cp_faults faults 0
  local m
  m="$(tr '\n' ' ' <"$WORK/faults-metrics.txt")"
  grep -q '^httpErrors [1-9]' "$WORK/faults-metrics.txt" || FAILS+=("httpErrors not visible in the metrics")
  grep -q '^candlesRejected [1-9]' "$WORK/faults-metrics.txt" || FAILS+=("candlesRejected not visible in the metrics")
  report faults "job restarts $restarts; source metrics (sum of subtasks): $m"
}

scenario_tm_kill() {
  local db=cp_tm_kill i victim t_kill t_detect t_running t_flow base r0 times=()
  begin_run tm-kill
  for i in 1 2 3; do
    sleep 20 # let checkpoints complete and rows flow between failures
    r0="$(job_restarts)"
    victim="$(first_taskmanager)"
    t_kill=$(now_ms)
    "$CLUSTER" kill-taskmanager "$victim"
    WAIT=0 "$CLUSTER" add-taskmanager >/dev/null
    # Detected: a task leaves RUNNING or the restart counter moves (REST metrics lag by up to a second).
    local deadline=$((SECONDS + 120))
    while job_fully_running && (($(job_restarts) <= r0)); do
      ((SECONDS < deadline)) || die "tm-kill: failure $i not detected in 120 s"
      sleep 0.2
    done
    t_detect=$(now_ms)
    wait_running 180 || die "tm-kill: job not running again 180 s after failure $i"
    t_running=$(now_ms)
    base="$(count "$db" candles)"
    wait_rows_flow "$db" "$base" 120 || die "tm-kill: no new rows 120 s after failure $i"
    t_flow=$(now_ms)
    times+=("kill $i (taskmanager-$victim): detected $(((t_detect - t_kill) / 1000)).$(((t_detect - t_kill) % 1000 / 100)) s, RUNNING $(((t_running - t_kill) / 1000)).$(((t_running - t_kill) % 1000 / 100)) s, new rows $(((t_flow - t_kill) / 1000)).$(((t_flow - t_kill) % 1000 / 100)) s")
    log "tm-kill: ${times[-1]}"
  done
  wait_complete "$db" 600 || true
  local restarts
  restarts="$(job_restarts)"
  finish_job
  check "$db" tm-kill 1
  report tm-kill "job restarts $restarts; $(IFS=';'; echo "${times[*]}")"
}

scenario_pg_outage() {
  local db=cp_pg_outage t_down t_up t_running t_flow base r0 restarts exited
  # The JDBC sink's close() rethrows the failed flush while the task is already failing, and Flink
  # treats that as fatal for the whole TaskManager process (see RELIABILITY.md): without a supervisor
  # that replaces exited TaskManagers, as systemd or Kubernetes would, no slot is left to restart on.
  [[ "${PG_OUTAGE_SUPERVISE:-1}" == 1 ]] && "$CLUSTER" supervise
  begin_run pg-outage
  sleep 20
  r0="$(job_restarts)"
  # Graceful stop: LocalDatabaseMain's shutdown hook stops its postmaster (pg_ctl stop).
  proc_stop 60 "$PG_PID"
  PG_PID=""
  t_down=$(now_ms)
  log "pg-outage: PostgreSQL stopped; restarting it in 60 s"
  sleep 60
  start_postgres 2
  t_up=$(now_ms)
  log "pg-outage: PostgreSQL back after $(((t_up - t_down) / 1000)) s"
  # The job restarts by itself (restart strategy); wait for tasks RUNNING and new rows.
  wait_running 240 || die "pg-outage: job not running 240 s after PostgreSQL came back"
  base="$(count "$db" candles)"
  wait_rows_flow "$db" "$base" 240 || die "pg-outage: no new rows after PostgreSQL came back"
  t_flow=$(now_ms)
  wait_complete "$db" 600 || true
  restarts="$(job_restarts)"
  finish_job
  "$CLUSTER" unsupervise
  exited=$(find "$FLINK_CLUSTER_DIR/pids" -name '*.exited' | wc -l)
  check "$db" pg-outage 1
  report pg-outage "PostgreSQL down $(((t_up - t_down) / 1000)) s; job restarts during the run $((restarts - r0)); TaskManagers that exited by themselves and were replaced by the watchdog: $exited; new rows $(((t_flow - t_up) / 1000)) s after PostgreSQL was back"
}

scenario_savepoint() {
  local db=cp_savepoint savepoint t_stop t_flow base
  begin_run savepoint
  sleep 30
  savepoint="$("$CLUSTER" stop-with-savepoint "$JOB_ID" "$WORK/savepoints")"
  t_stop=$(now_ms)
  JOB_ID=""
  base="$(count "$db" candles)"
  log "savepoint: stopped at $base candles with $savepoint; resubmitting in 10 s"
  sleep 10 # the exchange's clock runs on: ~17 candles per symbol wait to be read after the restore
  submit "$db" savepoint "$savepoint"
  wait_running 180 || die "savepoint: resubmitted job not running"
  wait_rows_flow "$db" "$base" 120 || die "savepoint: no new rows after the resubmit"
  t_flow=$(now_ms)
  wait_complete "$db" 600 || true
  finish_job
  check "$db" savepoint 0
  report savepoint "stopped at $base candles; new rows $(((t_flow - t_stop) / 1000)) s after the stop (10 s of it deliberate)"
}

scenario_swap() {
  local db=cp_swap victim r0 t_kill t_detect t_first restarts v1 v2 version
  version="$(basename "$SWAP_MODEL" .onnx)"
  begin_run swap
  sleep 20
  r0="$(job_restarts)"
  victim="$(first_taskmanager)"
  t_kill=$(now_ms)
  "$CLUSTER" kill-taskmanager "$victim"
  WAIT=0 "$CLUSTER" add-taskmanager >/dev/null
  # The swap, while the job is recovering from the kill: the users' command, no resubmit.
  model_cli "$db" add "$WORK/swap-model.onnx" >>"$LOGS/swap-model-cli.log" 2>&1 || die "swap: model add failed"
  local deadline=$((SECONDS + 120))
  while (($(job_restarts) <= r0)); do
    ((SECONDS < deadline)) || die "swap: the TaskManager kill was not detected in 120 s"
    sleep 0.5
  done
  t_detect=$(now_ms)
  deadline=$((SECONDS + 240))
  until (($(psql_writer "$db" -c "SELECT count(*) FROM predictions WHERE model_version = '$version'") > 0)); do
    ((SECONDS < deadline)) || die "swap: no prediction of $version 240 s after it was added"
    sleep 1
  done
  t_first=$(now_ms)
  wait_running 180 || die "swap: job not running again"
  deadline=$((SECONDS + 600))
  until (($(count "$db" candles) >= EXPECTED_CANDLES &&
    $(psql_writer "$db" -c "SELECT count(*) FROM predictions WHERE model_version <> '$version'") >= EXPECTED_WINDOWS)); do
    ((SECONDS < deadline)) || break
    sleep 2
  done
  # The added version catches up with the champion's last window.
  deadline=$((SECONDS + 120))
  until [[ "$(psql_writer "$db" -c "SELECT max(target_open_time) FROM predictions WHERE model_version = '$version'")" == \
    "$(psql_writer "$db" -c "SELECT max(target_open_time) FROM predictions WHERE model_version <> '$version'")" ]]; do
    ((SECONDS < deadline)) || break
    sleep 1
  done
  restarts="$(job_restarts)"
  finish_job
  LATE_VERSIONS="$version" check "$db" swap 1
  v1="${RESULT[predictions.stored.$version]:-0}"
  v2="$((${RESULT[predictions.stored]:-0} - v1))"
  ((v1 > 0)) || FAILS+=("no prediction of the added version")
  report swap "TaskManager $victim killed, $version added while the job recovered; detected $(((t_detect - t_kill) / 1000)) s, first $version prediction $(((t_first - t_kill) / 1000)) s after the kill; job restarts $restarts (the kill only); predictions: $v2 champion, $v1 $version"
}

# --- main --------------------------------------------------------------------------------------------

# Ports are not defaults of anything else in the repository (scripts/local-run-smoke.sh uses 15439 and
# 18090): a clash would make a PostgreSQL restart land on somebody else's server.
check_ports_free() {
  local port
  for port in "$PG_PORT" "$REPLAY_PORT" "$FLINK_REST_PORT" "$FLINK_RPC_PORT" "$FLINK_METRICS_PORT"; do
    if proc_port_in_use "$port"; then
      die "port $port is in use; set PG_PORT, REPLAY_PORT, FLINK_REST_PORT, FLINK_RPC_PORT or FLINK_METRICS_PORT"
    fi
  done
}

main() {
  local scenarios=("$@") s
  check_ports_free
  ((${#scenarios[@]})) || scenarios=(tm-kill pg-outage faults savepoint swap)
  wait_for_model
  prepare_artifacts
  make_slice
  start_postgres 1
  CLUSTER_STARTED=1
  "$CLUSTER" start
  [[ "${REUSE_CLEAN:-0}" == 1 && -f "$SUMMARY" ]] && mv "$SUMMARY" "$SUMMARY.$(date +%H%M%S)"
  cat >"$SUMMARY" <<EOF
Slice: $SYMBOLS, $SLICE_CANDLES 1m candles each from $SLICE_START, replay speed ${SPEED}x; parallelism 2 on
2 TaskManagers x 1 slot; checkpoints every 5 s. Work dir: $WORK

| scenario | result | candles stored/expected | candles lost | predictions stored/expected | predictions lost | extra rows | values other than the slice's / clean run's | keys written >1x (extra writes) / with different values | notes |
|---|---|---|---|---|---|---|---|---|---|
EOF
  if [[ "${REUSE_CLEAN:-0}" == 1 && -s "$WORK/clean-check.txt" &&
    "$(psql_admin postgres -c "SELECT count(*) FROM pg_database WHERE datname = 'cp_clean'")" == 1 ]]; then
    log "reusing the clean run's database in $WORK"
  else
    CURRENT=clean
    scenario_clean
  fi
  for s in "${scenarios[@]}"; do
    [[ "$s" == clean ]] && continue
    CURRENT="$s"
    "scenario_${s//-/_}"
  done
  CURRENT=""
  echo
  cat "$SUMMARY"
  local failed=0
  for s in "${ORDER[@]}"; do
    echo "$s: ${STATUS[$s]}"
    [[ "${STATUS[$s]}" == PASS ]] || failed=1
  done
  return "$failed"
}

main "$@"
