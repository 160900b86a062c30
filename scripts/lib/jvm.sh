# shellcheck shell=bash
# How the scripts start the project's JVMs from the modules that `./chronoprice` built (`mvn install` plus
# target/classpath.txt in each module). Sourced by ./chronoprice and scripts/bench/run.sh.

CHRONOPRICE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

classpath() { # module dir -> classes + dependencies
  echo "$CHRONOPRICE_ROOT/$1/target/classes:$(cat "$CHRONOPRICE_ROOT/$1/target/classpath.txt")"
}

# The JVM flags Flink needs on Java 17, kept once in the root pom.
flink_jvm_flags() {
  sed -n 's:.*<flink.jvm.opens>\(.*\)</flink.jvm.opens>.*:\1:p' "$CHRONOPRICE_ROOT/pom.xml"
}

# The backtest's JIT thresholds. A backtest's JVM lives for seconds to minutes, and at the default thresholds C2
# compiled much of Flink's start-up code that ran hot only briefly: its compiler thread took a third of the JVM's CPU
# in a 20 s backtest. Ten times the invocation and loop counts before C2 leave it the per-candle code
# (BENCHMARKS.md: about 10 % more candles/s on one- and three-day backtests alike, where C1 alone won the first and
# lost the second).
BACKTEST_JIT="-XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=6000 -XX:Tier4CompileThreshold=60000 \
-XX:Tier4BackEdgeThreshold=400000"

# The backtest's collector: the serial one, for a short batch run on few cores. It spares the cores G1's concurrent
# threads and heavier write barriers, which the job's dozen busy threads and PostgreSQL need (BENCHMARKS.md,
# alternated against G1: 6 % more candles/s on a day of candles, 10 % on three days, 7-17 % less JVM CPU; its pauses
# came to 0.8 s of a 16 s run).
BACKTEST_GC="-XX:+UseSerialGC"

# The backtest CLI (io.chronoprice.backtest.BacktestMain) with the JVM flags Flink needs and a log4j2
# configuration of deploy/local: `./chronoprice backtest` and the bench's backtests.
backtest_main() { # log4j2-file [BacktestMain args...]
  local log_config=$1
  shift
  # shellcheck disable=SC2046,SC2086
  java $(flink_jvm_flags) $BACKTEST_JIT $BACKTEST_GC -Dlog4j.configurationFile="$CHRONOPRICE_ROOT/deploy/local/$log_config" \
    -cp "$(classpath backtest)" io.chronoprice.backtest.BacktestMain "$@"
}

# For the local run's JVMs, which hold little and are mostly idle: the serial collector with a heap that starts
# small keeps each one's memory close to what it uses (G1 and the default initial heap, 1/64 of RAM, keep far more
# touched); C1 alone spares the C2 compiler's CPU and memory; and the performance counters (jstat's) are sampled
# every second rather than every 50 ms, which was a JVM's largest idle cost; the thread that deflates idle monitors
# checks every second rather than four times a second (a diagnostic flag, hence the unlock). Each gets a -Xmx of its
# own.
# shellcheck disable=SC2034
LEAN_JVM="-XX:+UseSerialGC -Xms16m -XX:TieredStopAtLevel=1 -XX:PerfDataSamplingInterval=1000 \
-XX:+UnlockDiagnosticVMOptions -XX:AsyncDeflationInterval=1000"
