#!/usr/bin/env bash
# The whole local stack under its real-time load, as one section of the bench table: starts `./chronoprice up`
# (on its own ports, with a fresh state directory and database) replaying 10 symbols at real-time speed, waits
# until the job has caught up, then measures and prints one Markdown table row per figure on stdout (logs go to
# stderr), and stops the stack, also on Ctrl-C or failure.
#
#   scripts/bench/stack.sh                                    # ~14 minutes plus the build
#   BENCH_SETTLE=20 BENCH_IDLE=40 BENCH_FRESHNESS=120 scripts/bench/stack.sh   # a quick run
#
# The run, after the job has caught up (every symbol's latest closed candle and its prediction on the API):
#   settle     BENCH_SETTLE s (default 120), nothing measured: the first two minutes after the catch-up still carry
#              its aftermath (the JIT compiling what it ran, autovacuum of the rows it wrote): 4.3 % and 3.1 % of a
#              core, against 1.9-3.2 % a minute after that.
#   idle       BENCH_IDLE s (default 300, the longest period of the stack's own work, PostgreSQL's checkpoints; a
#              shorter window reads high or low depending on whether it holds one), nobody but Prometheus's scrapes
#              calls the stack:
#              idle CPU = CPU time (utime+stime, /proc/PID/stat) of every process of the stack over the period, as
#              % of one core; processes that exit during it (PostgreSQL backends) count through their parent's
#              cutime+cstime. PSS = sum of Pss in /proc/PID/smaps_rollup of every process at the period's end.
#   freshness  BENCH_FRESHNESS s (default 300): for every candle closing in the period, the time from its close
#              (its close time on the replay exchange's clock, mapped to wall time through /api/v3/time: at speed
#              1 exchange time = wall time + a constant) until GET /price/latest?symbol=S first returns it, and
#              until GET /price/prediction?symbol=S first returns the prediction made from it (windowEndOpenTime);
#              each symbol and endpoint is polled every BENCH_POLL_MS ms (default 50; its own thread and connection)
#              from the candle's close until it is seen (at most 10 s), and not in between; the time is that of the
#              first such answer's arrival. Figures: n, p50, p99 (nearest rank), max. PSS is sampled again at the
#              end; the larger of the two samples is reported. Logged too: where the time goes, from the same
#              candles' rows: close -> the candle row's ingested_at (the sink's insert) and close -> the champion's
#              prediction's created_at (the job's scoring).
# "The stack": the launcher shell, the JVMs of PostgreSQL (embedded), replay exchange, Flink job (MiniCluster)
# and metrics-api, the postmaster and all its processes, and Prometheus (see stack_probe.py). The build and the
# model registration that `up` does first are not measured.
#
# Ports (default 25432, 18090, 18081, 18080, 19249, 19099): BENCH_PG_PORT, BENCH_REPLAY_PORT, BENCH_FLINK_UI_PORT,
# BENCH_API_PORT, BENCH_FLINK_METRICS_PORT, BENCH_PROMETHEUS_PORT. All below Linux's ephemeral port range
# (32768-60999), from which the bench's load tests' many client connections take their own ports: 55432, the old
# default, was once taken just as PostgreSQL was to listen on it. BENCH_DIR (default a new temp dir) holds the
# run's state, logs and data; it must not exist yet or be empty, and is removed at the end unless BENCH_KEEP=1.
# The 10 symbols are the 3 bundled demo files (real Binance candles) under the names BTCUSDT..SOLUSDT,
# BTC2USDT..SOL2USDT, BTC3USDT..SOL3USDT and BTC4USDT.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/scripts/bench"
# shellcheck source=SCRIPTDIR/../lib/processes.sh
source "$ROOT/scripts/lib/processes.sh"
# shellcheck source=SCRIPTDIR/lib.sh
source "$HERE/lib.sh"
log() { printf '[bench stack] %s\n' "$*" >&2; }

SETTLE=${BENCH_SETTLE:-120}
IDLE=${BENCH_IDLE:-300}
FRESHNESS=${BENCH_FRESHNESS:-300}
POLL_MS=${BENCH_POLL_MS:-50}
PG_PORT=${BENCH_PG_PORT:-25432}
REPLAY_PORT=${BENCH_REPLAY_PORT:-18090}
API_PORT=${BENCH_API_PORT:-18080}
PROBE=(/usr/bin/python3 "$HERE/stack_probe.py")
[[ -x /usr/bin/python3 ]] || PROBE=(python3 "$HERE/stack_probe.py")

if [[ -n "${BENCH_DIR:-}" ]]; then
  mkdir -p "$BENCH_DIR"
  [[ -z "$(ls -A "$BENCH_DIR")" ]] || { log "BENCH_DIR=$BENCH_DIR is not empty"; exit 2; }
  WORK="$(cd "$BENCH_DIR" && pwd)"
else
  WORK="$(mktemp -d /tmp/stack-bench.XXXXXX)"
fi

UP_PID=""
cleanup() {
  local status=$? pid_file
  trap - EXIT INT TERM
  if [[ -n "$UP_PID" ]]; then
    log "stopping the stack"
    # `up` stops its own processes on SIGTERM, each within 30 s; SIGKILL only if it hangs beyond that.
    proc_stop 60 "$UP_PID"
    for pid_file in "$WORK"/*.pid; do
      [[ -f "$pid_file" ]] || continue
      if ! proc_wait_for "" 10 "$(basename "$pid_file" .pid) to stop" proc_gone "$(cat "$pid_file")"; then
        log "$(basename "$pid_file" .pid) (pid $(cat "$pid_file")) still runs after the stop: SIGKILL"
        kill -9 "$(cat "$pid_file")" 2>/dev/null || true
        status=1
      fi
    done
  fi
  if [[ "${BENCH_KEEP:-0}" == 1 || $status -ne 0 ]]; then log "state and logs kept in $WORK"; else rm -rf "$WORK"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# 10 symbols: the demo's three files under new names (the replay exchange takes the symbol from the file name).
SYMBOLS=()
mkdir -p "$WORK/data"
for copy in "" 2 3 4; do
  for base in BTC ETH SOL; do
    ((${#SYMBOLS[@]} < 10)) || break
    symbol="$base${copy}USDT"
    cp "$ROOT/replay-exchange/demo-data/binance_spot_${base}USDT_1m.csv.gz" "$WORK/data/binance_spot_${symbol}_1m.csv.gz"
    SYMBOLS+=("$symbol")
  done
done
SYMBOL_LIST="$(IFS=,; echo "${SYMBOLS[*]}")"

export CHRONOPRICE_LOCAL_DIR="$WORK/local" CHRONOPRICE_REPLAY_SPEED=1 CHRONOPRICE_SYMBOLS="$SYMBOL_LIST" \
  CHRONOPRICE_REPLAY_DATA_DIR="$WORK/data" CHRONOPRICE_PG_PORT="$PG_PORT" CHRONOPRICE_REPLAY_PORT="$REPLAY_PORT" \
  CHRONOPRICE_API_PORT="$API_PORT" CHRONOPRICE_FLINK_UI_PORT="${BENCH_FLINK_UI_PORT:-18081}" \
  CHRONOPRICE_FLINK_METRICS_PORT="${BENCH_FLINK_METRICS_PORT:-19249}" \
  CHRONOPRICE_PROMETHEUS_PORT="${BENCH_PROMETHEUS_PORT:-19099}"
unset CHRONOPRICE_DB_URL CHRONOPRICE_PG_DATA_DIR
mkdir -p "$CHRONOPRICE_LOCAL_DIR"
REPLAY="http://127.0.0.1:$REPLAY_PORT" API="http://127.0.0.1:$API_PORT"

log "starting ./chronoprice up: ${#SYMBOLS[@]} symbols at speed 1, state in $WORK (its output: $WORK/up.out)"
proc_start "$WORK/up.out" "$ROOT/chronoprice" up
UP_PID=$PROC_PID
proc_wait_for "$UP_PID" 1200 "chronoprice up" grep -q 'ChronoPrice is running' "$WORK/up.out" ||
  { tail -n 30 "$WORK/up.out" >&2; exit 1; }

log "waiting for every symbol's latest closed candle and its prediction on the API"
proc_wait_for "$UP_PID" 300 "the job to catch up" "${PROBE[@]}" caught-up "$REPLAY" "$API" "$SYMBOL_LIST" ||
  { "${PROBE[@]}" caught-up "$REPLAY" "$API" "$SYMBOL_LIST" || true; exit 1; }
alive() { proc_alive "$UP_PID" || { log "the stack stopped; see $WORK/up.out and $CHRONOPRICE_LOCAL_DIR/logs"; exit 1; }; }

log "caught up; settling for $SETTLE s"
sleep "$SETTLE"
alive
log "idle period: $IDLE s, CPU and PSS of: $("${PROBE[@]}" procs "$CHRONOPRICE_LOCAL_DIR" "$UP_PID" |
  awk '{n[$1]++} END {for (c in n) {printf "%s%s x%d", sep, c, n[c]; sep = ", "}}')"
"${PROBE[@]}" snapshot "$CHRONOPRICE_LOCAL_DIR" "$UP_PID" "$WORK/cpu-before.json"
sleep "$IDLE"
"${PROBE[@]}" snapshot "$CHRONOPRICE_LOCAL_DIR" "$UP_PID" "$WORK/cpu-after.json"
"${PROBE[@]}" pss "$CHRONOPRICE_LOCAL_DIR" "$UP_PID" >"$WORK/pss-idle.txt"
alive

log "freshness period: $FRESHNESS s, polling each symbol every $POLL_MS ms from each candle's close"
"${PROBE[@]}" fresh "$REPLAY" "$API" "$SYMBOL_LIST" "$FRESHNESS" "$POLL_MS" "$WORK/fresh.txt"
"${PROBE[@]}" pss "$CHRONOPRICE_LOCAL_DIR" "$UP_PID" >"$WORK/pss-end.txt"
alive
# Where that time goes, from the rows' own timestamps (n, p50, p99, max in s after the close).
"${PROBE[@]}" stages "$PG_PORT" "$WORK/fresh.txt" >"$WORK/stages.txt" || log "could not read the rows' timestamps"
awk '{printf "[bench stack] close -> %s: n %d, p50 %s s, p99 %s s, max %s s\n", $1, $2, $3, $4, $5}' \
  "$WORK/stages.txt" >&2

"${PROBE[@]}" cpu "$WORK/cpu-before.json" "$WORK/cpu-after.json" >"$WORK/cpu.txt"
"${PROBE[@]}" summary "$WORK/fresh.txt" >"$WORK/fresh-summary.txt"
# The sample with the larger total.
PSS_FILE="$WORK/pss-idle.txt"
if (($(awk '$1 == "total" {print $2}' "$WORK/pss-end.txt") > $(awk '$1 == "total" {print $2}' "$PSS_FILE"))); then
  PSS_FILE="$WORK/pss-end.txt"
fi

log "per component (PSS MiB / processes; CPU % of a core over the idle period):"
awk 'NR == FNR {cpu[$1] = $2; next} {printf "[bench stack]   %-16s %8.1f MiB %3d  %6.2f %%\n", $1, $2 / 1024, $3, cpu[$1]}' \
  "$WORK/cpu.txt" "$PSS_FILE" >&2
log "host: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

for what in latest prediction; do
  read -r _ n p50 p99 max timeouts < <(grep "^$what " "$WORK/fresh-summary.txt" || echo "$what 0 - - - 0")
  endpoint="/price/$what"
  if [[ "$n" == 0 ]]; then
    echo "| live freshness, candle close -> $endpoint (p99, n=0) | none seen ($timeouts timed out) | <= 1 s | no |"
    continue
  fi
  met=$(yes_no "$p99 <= 1 && $timeouts == 0")
  note=""
  ((timeouts == 0)) || note=", $timeouts not seen within 10 s"
  echo "| live freshness, candle close -> $endpoint (p99, n=$n; p50 $p50 s, max $max s$note) | $p99 s | <= 1 s | $met |"
done
read -r _ pss_kib nprocs < <(grep '^total ' "$PSS_FILE")
pss_mib=$(awk "BEGIN {printf \"%.0f\", $pss_kib / 1024}")
parts=$(awk '$1 != "total" {printf "%s%s %.0f", sep, $1, $2 / 1024; sep = ", "}' "$PSS_FILE")
echo "| whole stack memory, PSS of its $nprocs processes, ${#SYMBOLS[@]} symbols at speed 1 (MiB: $parts) | $pss_mib MiB | <= 1024 MiB | $(yes_no "$pss_kib <= 1048576") |"
total_cpu=$(awk '$1 == "total" {printf "%.2f", $2}' "$WORK/cpu.txt")
wall=$(awk '$1 == "wall" {printf "%.0f", $2}' "$WORK/cpu.txt")
parts=$(awk '$1 != "total" && $1 != "wall" {printf "%s%s %.2f", sep, $1, $2; sep = ", "}' "$WORK/cpu.txt")
echo "| whole stack idle CPU, % of one core over $wall s, ${#SYMBOLS[@]} symbols at speed 1 ($parts) | $total_cpu % | < 3 % | $(yes_no "$total_cpu < 3") |"
