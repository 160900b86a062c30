# shellcheck shell=bash
# Process supervision shared by ./chronoprice, scripts/local-run-smoke.sh and deploy/cluster/*.sh: start a
# process with a log and a PID file, wait for a readiness probe, stop by PID, check a port. Sourced, not run.
#
#   proc_start [--detach] [--append] [--pid-file FILE] LOG COMMAND [ARGS...]   sets PROC_PID
#   proc_wait_for PID TIMEOUT WHAT PROBE [ARGS...]   until PROBE succeeds; fails early once PID has exited
#   proc_stop TIMEOUT PID...                         SIGTERM to all, SIGKILL to those left after TIMEOUT s
#   proc_alive PID / proc_gone PID                   whether PID runs (and is ours, see PROC_MARKER)
#   proc_port_in_use PORT                            whether something listens on 127.0.0.1:PORT
#
# PROC_MARKER: when set, a PID counts as running only if its command line contains this string. Scripts whose
# processes outlive them (the session cluster) set it, so that a PID file naming a recycled PID never gets a
# signal sent to someone else's process.
# Messages go through the caller's `log` function when it has one, else to stderr.

PROC_PID=""

proc_log() {
  if declare -F log >/dev/null; then log "$@"; else printf '%s\n' "$*" >&2; fi
}

proc_alive() { # pid
  local pid="${1:-}" stat
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # A zombie has exited and only waits for its parent to reap it. The state follows the ") " that closes the
  # command name, which may itself hold spaces.
  stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [[ "${stat%% *}" != Z ]] || return 1
  if [[ -n "${PROC_MARKER:-}" ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$PROC_MARKER" || return 1
  fi
  return 0
}

proc_gone() { # pid
  ! proc_alive "$1"
}

# Starts COMMAND in the background with stdout and stderr in LOG (truncated unless --append) and sets PROC_PID;
# PROC_PID is a child of the calling shell, so `wait` works on it. --detach runs it in its own session with no
# stdin, so that it outlives the script and a Ctrl-C in the terminal does not reach it.
proc_start() {
  local detach=0 append=0 pid_file=""
  while [[ "${1:-}" == --* ]]; do
    case "$1" in
      --detach) detach=1 ;;
      --append) append=1 ;;
      --pid-file)
        pid_file="${2:?--pid-file needs a file}"
        shift
        ;;
      *)
        proc_log "proc_start: unknown option $1"
        return 2
        ;;
    esac
    shift
  done
  local log_file="${1:?proc_start: LOG COMMAND needed}"
  shift
  ((append)) || : >"$log_file"
  if ((detach)); then
    setsid "$@" </dev/null >>"$log_file" 2>&1 &
  else
    "$@" >>"$log_file" 2>&1 &
  fi
  PROC_PID=$!
  if [[ -n "$pid_file" ]]; then echo "$PROC_PID" >"$pid_file"; fi
}

# Runs PROBE every 0.5 s until it succeeds (0). Fails (1) when PID has exited first, which says more than a
# timeout and says it sooner, or after TIMEOUT seconds. An empty PID only waits.
proc_wait_for() { # pid timeout-seconds what probe [args...]
  local pid="$1" timeout="$2" what="$3"
  local deadline=$((SECONDS + timeout))
  shift 3
  until "$@" >/dev/null 2>&1; do
    if [[ -n "$pid" ]] && proc_gone "$pid"; then
      proc_log "$what: process $pid exited before it was ready"
      return 1
    fi
    if ((SECONDS >= deadline)); then
      proc_log "$what: not ready after $timeout s"
      return 1
    fi
    sleep 0.5
  done
}

# SIGTERM to every PID that still runs, then up to TIMEOUT seconds (for all together) for them to exit, then
# SIGKILL for the rest. Empty and dead PIDs are skipped, so callers need not track what already stopped.
proc_stop() { # timeout-seconds pid...
  local timeout="$1" pid deadline pids=()
  shift
  for pid in "$@"; do
    if proc_alive "$pid" && kill "$pid" 2>/dev/null; then pids+=("$pid"); fi
  done
  deadline=$((SECONDS + timeout))
  for pid in "${pids[@]}"; do
    while proc_alive "$pid" && ((SECONDS < deadline)); do sleep 0.3; done
    if proc_alive "$pid"; then
      proc_log "pid $pid ignored SIGTERM for $timeout s: SIGKILL"
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  # Reaps those that are children of this shell (others: `wait` just fails).
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  return 0
}

# Whether something accepts connections on 127.0.0.1:PORT. Scripts check their ports before starting anything:
# otherwise another process would answer their readiness probes.
proc_port_in_use() { # port
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
