#!/usr/bin/env bash
# `./chronoprice bench`: ChronoPrice's figures in one run, printed as one table and written to BENCHMARKS.md
# (between the markers of its "./chronoprice bench" section). Run by ./chronoprice after it has built everything.
# Each part starts what it needs on its own ports and removes it afterwards; nothing touches the local run's data.
#
#   1. scoring: the JMH ScoringBenchmark (bare ONNX Runtime vs the job's path, batch 1 and 64, the shipped model)
#   2. backtest: BENCH_SYMBOLS (200) symbols x BENCH_SYMBOL_CANDLES (1440) real 1m candles (the bundled demo files
#      repeated under new names) through the job at full speed, scoring batch 1 and 64, three alternated rounds;
#      then three days of them (BENCH_LONG_CANDLES, 4320), batch 64, twice: the rate once the job's start is spread
#   3. API: metrics-api/bench/load.sh, /price/latest and /metrics/model with ~10k and BENCH_ROWS (10M) rows
#   4. the local stack: scripts/bench/stack.sh, memory, idle CPU and candle-close-to-API freshness
# BENCH_PARTS (default "scoring backtest api stack") picks parts; BENCH_QUICK=1 shrinks every part for a
# trial run (its figures are not comparable). Takes about 45 minutes on 2 cores: the 10M-row fill and the stack's
# 14 minutes at real time take most of it.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=SCRIPTDIR/../lib/processes.sh
source "$ROOT/scripts/lib/processes.sh"
# shellcheck source=SCRIPTDIR/../lib/jvm.sh
source "$ROOT/scripts/lib/jvm.sh"
# shellcheck source=SCRIPTDIR/lib.sh
source "$ROOT/scripts/bench/lib.sh"
PARTS=${BENCH_PARTS:-scoring backtest api stack}
# The backtests are measured in-process, on the bench's own database, whatever cluster the caller's shell names.
unset CHRONOPRICE_BACKTEST_CLUSTER
QUICK=${BENCH_QUICK:-}
PG_PORT=${BENCH_PG_PORT:-25392}      # the backtests' database; the API part's is BENCH_API_PG_PORT (25391)
SYMBOL_COUNT=${BENCH_SYMBOLS:-200}
SYMBOL_CANDLES=${BENCH_SYMBOL_CANDLES:-1440}
LONG_CANDLES=${BENCH_LONG_CANDLES:-4320}
WORK=$(mktemp -d)
DB_PID=""
ROWS=()

log() { echo "[bench] $*" >&2; }
cleanup() {
  proc_stop 30 "$DB_PID"
  rm -rf "$WORK"
}
trap cleanup EXIT
row() { ROWS+=("| $1 | $2 | ${3:--} | ${4:--} |"); }

scoring() {
  # Two forks of five measured iterations: with one fork of three, JMH's error bars on this 2-core host were wider
  # than the gap the ratio is judged by.
  local args=(-f 2 -wi 3 -w 2s -i 5 -r 2s)
  [[ -n "$QUICK" ]] && args=(-f 1 -wi 1 -w 1s -i 1 -r 1s)
  log "scoring: JMH ScoringBenchmark ${args[*]}"
  (cd "$ROOT" && java -jar benchmarks/target/benchmarks.jar ScoringBenchmark "${args[@]}" -t 1 \
    -jvmArgsAppend -Dchronoprice.models=models -rf json -rff "$WORK/jmh.json" >"$WORK/jmh.log" 2>&1)
  python3 - "$WORK/jmh.json" >"$WORK/jmh.rows" <<'PY'
import json, sys
r = {b["benchmark"].rsplit(".", 1)[1]: b["primaryMetric"]["score"] for b in json.load(open(sys.argv[1]))}
print(f"| scoring, bare ONNX Runtime, batch 1 (JMH, 1 thread) | {r['bareOrtBatch1']:,.0f} windows/s | - | - |")
ratio = r["jobScoringFunction"] / r["bareOrtBatch1"]
print(f"| scoring, the job's path (features, model, serving), batch 1 | {r['jobScoringFunction']:,.0f} windows/s"
      f" ({ratio:.0%} of bare) | >= 80 % of bare | {'yes' if ratio >= 0.8 else 'no'} |")
print(f"| scoring, bare ONNX Runtime, batch 64 | {r['bareOrtBatch64']:,.0f} windows/s | - | - |")
gain = r["jobScoringBatch64"] / r["jobScoringFunction"]
print(f"| scoring, the job's path, batch 64 | {r['jobScoringBatch64']:,.0f} windows/s ({gain:.1f}x batch 1) | - | - |")
PY
  mapfile -t -O "${#ROWS[@]}" ROWS <"$WORK/jmh.rows"
}

start_db() {
  [[ -n "$DB_PID" ]] && return
  if proc_port_in_use "$PG_PORT"; then log "port $PG_PORT is in use; set BENCH_PG_PORT"; exit 2; fi
  CHRONOPRICE_PG_PORT=$PG_PORT CHRONOPRICE_PG_DATA_DIR="$WORK/pgdata" \
    proc_start "$WORK/db.log" java -cp "$(classpath db)" io.chronoprice.db.LocalDatabaseMain
  DB_PID=$PROC_PID
  proc_wait_for "$DB_PID" 120 PostgreSQL grep -q 'PostgreSQL ready' "$WORK/db.log"
}

# CPU seconds PostgreSQL's finished backends used so far (the postmaster's reaped children).
pg_cpu() {
  local pid
  pid=$(head -1 "$WORK/pgdata/postmaster.pid")
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($16 + $17) / hz }' "/proc/$pid/stat"
}

# Runs a backtest over DIR; sets BT_CANDLES, BT_SECONDS (the job, start included), BT_CPU (JVM + PostgreSQL s).
backtest() { # dir label [job flags...]
  local dir=$1 label=$2 pg0 pg1 jvm
  shift 2
  pg0=$(pg_cpu)
  { TIMEFORMAT='%U %S'; time CHRONOPRICE_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/chronoprice" \
    backtest_main log4j2-quiet.properties --backtest "$dir" --run-label "$label" \
    --parallelism 2 --checkpoint-dir "file://$WORK/checkpoints" "$@" >"$WORK/$label.out" 2>"$WORK/$label.log"; } \
    2>"$WORK/$label.time"
  pg1=$(pg_cpu)
  jvm=$(tail -1 "$WORK/$label.time" | awk '{ print $1 + $2 }')
  read -r BT_CANDLES BT_SECONDS < <(sed -n 's/^The job stored \([0-9,]*\) candles .* in \([0-9.]*\) s .*/\1 \2/p' \
    "$WORK/$label.out" | tr -d ,)
  BT_CPU=$(python3 -c "print(round($jvm + $pg1 - $pg0, 1))")
  log "$label: $BT_CANDLES candles in $BT_SECONDS s, $BT_CPU CPU s"
}

# The bundled demo files repeated under new names (S000USDT, ...), each cut to its first $2 candles.
symbols_dir() { # count candles -> prints the directory
  local count=$1 candles=$2 dir="$WORK/symbols-$2" files i=0
  mkdir -p "$dir"
  files=("$ROOT"/replay-exchange/demo-data/*_1m.csv.gz)
  while ((i < count)); do
    # head stops reading early, and zcat's SIGPIPE is expected.
    { zcat "${files[$((i % ${#files[@]}))]}" || true; } | head -n $((candles + 1)) | gzip \
      >"$dir/$(printf 'binance_spot_S%03dUSDT_1m.csv.gz' "$i")"
    i=$((i + 1))
  done
  echo "$dir"
}

# The median of the numbers in $1 (space-separated).
median() {
  python3 -c 'import statistics, sys; print(statistics.median(float(x) for x in sys.argv[1].split()))' "$1"
}

# The median of the numbers in $1 (space-separated), and their range: "median (min-max)".
median_range() {
  python3 -c 'import statistics, sys; v = [float(x) for x in sys.argv[1].split()]
print(f"{statistics.median(v):,.0f} ({min(v):,.0f}-{max(v):,.0f})")' "$1"
}

backtests() {
  start_db
  local count=$SYMBOL_COUNT rounds=3 dir round batch
  local -A rates=() per_cpu=()
  [[ -n "$QUICK" ]] && count=20 rounds=1
  # The first backtest after a build writes the class-data-sharing archive that the next ones map (scripts/lib/jvm.sh):
  # a small one does it here, so that every measured run starts as a user's second backtest does.
  if [[ -n $BACKTEST_CDS_ARCHIVE ]] && ! backtest_cds_current "$(backtest_classpath)"; then
    backtest "$(symbols_dir 2 200)" bench-cds-archive
  fi
  dir=$(symbols_dir "$count" "$SYMBOL_CANDLES")
  # Alternated rounds: the same backtest varied by a fifth from run to run (the JIT, the host), more than the gap
  # between the two batch sizes, so each figure is the median of three runs.
  log "backtest: $count symbols x $SYMBOL_CANDLES candles, scoring batch 1 and 64, $rounds alternated round(s)"
  for ((round = 1; round <= rounds; round++)); do
    for batch in 1 64; do
      backtest "$dir" "bench-batch$batch-$round" --score-batch "$batch"
      rates[$batch]+=" $(python3 -c "print($BT_CANDLES / $BT_SECONDS)")"
      per_cpu[$batch]+=" $(python3 -c "print($BT_CANDLES / $BT_CPU)")"
    done
  done
  local what="backtest, $count symbols x $SYMBOL_CANDLES candles at full speed (parallelism 2, job start included;"
  what+=" median (range) of $rounds run(s))"
  row "$what, scoring batch 1" \
    "$(median_range "${rates[1]}") candles/s, $(median_range "${per_cpu[1]}") per CPU-second"
  local median1 median64
  median1=$(median "${rates[1]}")
  median64=$(median "${rates[64]}")
  row "$what, scoring batch 64 (the default)" \
    "$(median_range "${rates[64]}") candles/s, $(median_range "${per_cpu[64]}") per CPU-second,\
 $(python3 -c "print(f'{$median64 / $median1:.2f}')")x batch 1" \
    ">= 25,000 candles/s" "$(yes_no "$median64 >= 25000")"
  # A day's run pays the job's start (about 3 s) and the JIT's start-up work out of 11-15 s; three days spread them.
  local long_rates="" long_cpu="" long_rounds=$((rounds > 1 ? rounds - 1 : 1))
  dir=$(symbols_dir "$count" "$LONG_CANDLES")
  for ((round = 1; round <= long_rounds; round++)); do
    backtest "$dir" "bench-long-$round"
    long_rates+=" $(python3 -c "print($BT_CANDLES / $BT_SECONDS)")"
    long_cpu+=" $(python3 -c "print($BT_CANDLES / $BT_CPU)")"
  done
  local long_median
  long_median=$(median "$long_rates")
  row "backtest, $count symbols x $LONG_CANDLES candles at full speed (parallelism 2, job start included;\
 median (range) of $long_rounds run(s)), scoring batch 64" \
    "$(median_range "$long_rates") candles/s, $(median_range "$long_cpu") per CPU-second" \
    ">= 25,000 candles/s" "$(yes_no "$long_median >= 25000")"
  # The next parts start their own processes: this database would only take memory from them.
  proc_stop 30 "$DB_PID"
  DB_PID=""
}

api() {
  local env=(BENCH_PG_PORT="${BENCH_API_PG_PORT:-25391}")
  [[ -n "$QUICK" ]] && env+=(BENCH_ROWS=300000 BENCH_SERIES_CANDLES=100000 BENCH_DURATION=3s BENCH_WARMUP=2s)
  log "API: metrics-api/bench/load.sh ${env[*]}"
  env "${env[@]}" "$ROOT/metrics-api/bench/load.sh" >"$WORK/load.md"
  # | endpoint | rows | req/s | p50 | p99 | errors | -> one row per figure, with the target where the issue sets one.
  python3 - "$WORK/load.md" >"$WORK/load.rows" <<'PY'
import sys
for line in open(sys.argv[1]):
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) != 6 or not cells[0].startswith("`/"):
        continue
    path, rows, rps, p50, p99, errors = cells
    p99_ms = float(p99[:-2]) if p99.endswith("ms") else float(p99[:-1]) * 1000 if p99.endswith("s") else float("nan")
    target, ok = "-", "-"
    if path.startswith("`/metrics/model"):
        target = ">= 2,000 req/s, p99 <= 50 ms"
        ok = "yes" if float(rps) >= 2000 and p99_ms <= 50 else "no"
    print(f"| API {path}, {int(rows):,} prediction rows | {float(rps):,.0f} req/s, p50 {p50}, p99 {p99}"
          f"{'' if errors == 'none' else ', ' + errors} | {target} | {ok} |")
PY
  mapfile -t -O "${#ROWS[@]}" ROWS <"$WORK/load.rows"
}

stack() {
  log "the local stack: scripts/bench/stack.sh"
  local env=()
  [[ -n "$QUICK" ]] && env=(BENCH_SETTLE=20 BENCH_IDLE=40 BENCH_FRESHNESS=120)
  env "${env[@]}" "$ROOT/scripts/bench/stack.sh" >"$WORK/stack.rows"
  mapfile -t -O "${#ROWS[@]}" ROWS <"$WORK/stack.rows"
}

for part in $PARTS; do
  case $part in
    scoring) scoring ;;
    backtest) backtests ;;
    api) api ;;
    stack) stack ;;
    *) log "unknown part $part (scoring backtest api stack)"; exit 2 ;;
  esac
done

TABLE=$(
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC')${QUICK:+ (BENCH_QUICK: a trial run, not comparable)}, parts: $PARTS;"
  echo "host: $(nproc) cores, load average at the end $(cut -d' ' -f1-3 /proc/loadavg) (other work on the host included)."
  echo
  echo "| figure | value | target | met |"
  echo "|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
)
echo "$TABLE"
python3 - "$ROOT/BENCHMARKS.md" "$TABLE" <<'PY'
import sys
path, table = sys.argv[1], sys.argv[2]
start, end = "<!-- bench:start -->", "<!-- bench:end -->"
text = open(path).read()
if start in text and end in text:
    text = text[: text.index(start) + len(start)] + "\n" + table + "\n" + text[text.index(end):]
else:
    text += f"\n## `./chronoprice bench`\n\nThe latest run of `./chronoprice bench` (written by it).\n\n{start}\n{table}\n{end}\n"
open(path, "w").write(text)
PY
log "written to BENCHMARKS.md"
