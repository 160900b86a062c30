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

# The backtest's class-data-sharing archive: the classes a backtest loads (Flink's in-process cluster, the job, the
# JDBC driver, ONNX Runtime's bindings: about 11,000), parsed and verified once, stored when a run exits and mapped by
# the next runs instead of being loaded from their jars (BENCHMARKS.md: about a second less at the start). A run writes
# the archive when there is none or when the JVM, a jar or the list of jars is newer than it, so after a rebuild that
# changed one, one run goes without. CHRONOPRICE_BACKTEST_CDS_ARCHIVE moves the archive; set empty, it turns the archive off.
BACKTEST_CDS_ARCHIVE=${CHRONOPRICE_BACKTEST_CDS_ARCHIVE-$CHRONOPRICE_ROOT/backtest/target/backtest-classes.jsa}

# The backtest's classpath, jars only: an archive names the jars its classes came from and cannot take directories.
backtest_classpath() {
  local jar
  for jar in "$CHRONOPRICE_ROOT"/backtest/target/chronoprice-backtest-*.jar; do
    [[ $jar == *-tests.jar || $jar == *-sources.jar ]] || break
  done
  echo "$jar:$(cat "$CHRONOPRICE_ROOT/backtest/target/classpath.txt")"
}

# Whether the archive exists and is newer than the JVM, the list of jars (rewritten when it changes) and every jar of
# classpath $1: the JVM ignores an archive whose jars changed, so such an archive would never be rewritten.
backtest_cds_current() { # classpath
  local archive=$BACKTEST_CDS_ARCHIVE jar
  [[ -n $archive && -f $archive ]] || return 1
  [[ ! "$(readlink -f "$(command -v java)")" -nt $archive ]] || return 1
  [[ ! "$CHRONOPRICE_ROOT/backtest/target/classpath.txt" -nt $archive ]] || return 1
  local IFS=:
  for jar in $1; do
    [[ ! $jar -nt $archive ]] || return 1
  done
}

# The backtest CLI (io.chronoprice.backtest.BacktestMain) with the JVM flags Flink needs, a log4j2 configuration of
# deploy/local and the class-data-sharing archive: `./chronoprice backtest` and the bench's backtests. Only a backtest
# that runs in-process writes the archive (--list, --drop and a backtest on a running cluster start no Flink cluster
# of their own, so theirs would lack most classes), to a file of its own that is
# moved in place once the run exited cleanly: two runs at once never map a half-written archive. The JVM's messages on
# the archive (each class it leaves out, or why it cannot map one) are off: an archive it cannot use costs nothing but
# the start-up time it would have saved.
backtest_main() { # log4j2-file [BacktestMain args...]
  local log_config=$1 jars cds=() dump="" status=0
  shift
  jars=$(backtest_classpath)
  # A Java agent or a flight recording from the start, the usual reasons to set these, crashed Java 17's JVM as it
  # mapped the archive (in KlassFactory::check_shared_class_file_load_hook); such a run goes without it.
  if [[ -n $BACKTEST_CDS_ARCHIVE && -z ${JAVA_TOOL_OPTIONS:-}${JDK_JAVA_OPTIONS:-} ]]; then
    if backtest_cds_current "$jars"; then
      cds=(-XX:SharedArchiveFile="$BACKTEST_CDS_ARCHIVE" -Xlog:cds=off)
    elif [[ " $* " == *" --backtest "* && " $* " != *" --cluster "* && -z ${CHRONOPRICE_BACKTEST_CLUSTER:-} ]]; then
      dump="$BACKTEST_CDS_ARCHIVE.$$"
      cds=(-XX:ArchiveClassesAtExit="$dump" -Xlog:cds=off -Xlog:cds+dynamic=off)
    fi
  fi
  # shellcheck disable=SC2046,SC2086
  java $(flink_jvm_flags) $BACKTEST_JIT $BACKTEST_GC "${cds[@]}" \
    -Dlog4j.configurationFile="$CHRONOPRICE_ROOT/deploy/local/$log_config" \
    -cp "$jars" io.chronoprice.backtest.BacktestMain "$@" || status=$?
  if [[ -n $dump && -f $dump ]]; then
    if ((status == 0)); then
      mv -f "$dump" "$BACKTEST_CDS_ARCHIVE"
    else
      rm -f "$dump"
    fi
  fi
  return $status
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
