#!/usr/bin/env python3
"""Measurements of scripts/bench/stack.sh, standard library only (see that script's header for the definitions).

  stack_probe.py procs LOCAL_DIR LAUNCHER_PID          the stack's processes: "component pid" lines
  stack_probe.py snapshot LOCAL_DIR LAUNCHER_PID OUT   CPU times of the stack's processes now, as JSON
  stack_probe.py cpu BEFORE AFTER                      CPU % of one core per component between two snapshots
  stack_probe.py pss LOCAL_DIR LAUNCHER_PID            PSS (KiB) per component, summed over its processes
  stack_probe.py caught-up REPLAY_URL API_URL SYMBOLS  exit 0 when every symbol's latest closed candle and its
                                                       prediction are readable on the API
  stack_probe.py fresh REPLAY_URL API_URL SYMBOLS SECONDS POLL_MS OUT
                                                       candle close -> readable on the API, one line per candle
  stack_probe.py stages PG_PORT OUT                    the same candles' close -> row written / prediction made
  stack_probe.py summary OUT                           n, p50, p99, max per endpoint, as "key value" lines

Components: the PID files ./chronoprice up writes in LOCAL_DIR (postgres, replay-exchange, flink-job, metrics-api,
prometheus) with all their descendants; postgres also gets the postmaster (which pg_ctl detaches from the JVM that
started it; found through LOCAL_DIR's postmaster.pid) and all its backends; "launcher" is the `up` shell itself.
"""
import glob
import http.client
import json
import os
import sys
import threading
import time

TICKS = os.sysconf("SC_CLK_TCK")
MINUTE_MS = 60_000


def stat(pid):
    """(ppid, utime+stime, cutime+cstime, starttime) in clock ticks, or None once the process is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    # fields[0] is field 3 (state) of proc(5)
    if fields[0] == "Z":
        return None
    return (int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14]), int(fields[19]))


def children_map():
    kids = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            s = stat(int(entry))
            if s:
                kids.setdefault(s[0], []).append(int(entry))
    return kids


def read_pid(path):
    try:
        with open(path) as f:
            return int(f.readline().strip())
    except (OSError, ValueError):
        return None


def stack_processes(local_dir, launcher_pid):
    """{pid: component} of every process of the stack."""
    kids = children_map()
    roots = {"launcher": [int(launcher_pid)]}
    for pid_file in glob.glob(os.path.join(local_dir, "*.pid")):
        pid = read_pid(pid_file)
        if pid:
            roots.setdefault(os.path.basename(pid_file)[:-4], []).append(pid)
    for pm_file in glob.glob(os.path.join(local_dir, "**", "postmaster.pid"), recursive=True):
        pid = read_pid(pm_file)
        if pid:
            roots.setdefault("postgres", []).append(pid)
    procs = {}
    # Components first, the launcher last: its descendants include the JVMs, which belong to their components.
    for component in sorted(roots, key=lambda c: c == "launcher"):
        todo = [p for p in roots[component] if stat(p)]
        while todo:
            pid = todo.pop()
            if pid in procs:
                continue
            procs[pid] = component
            todo.extend(kids.get(pid, []))
    return procs


def snapshot(local_dir, launcher_pid):
    procs = stack_processes(local_dir, launcher_pid)
    out = {"wall": time.time(), "procs": {}}
    for pid, component in procs.items():
        s = stat(pid)
        if s:
            out["procs"][f"{pid}:{s[3]}"] = {"component": component, "ppid": s[0], "cpu": s[1], "children": s[2]}
    return out


def cpu(before, after):
    """Ticks per component: CPU time of the processes alive at the end, less what those alive at both ends had at
    the start, plus what exited children cost (the growth of their parents' cutime+cstime), less the part of an
    exited child's time that was spent before the start (its CPU time in the first snapshot)."""
    ticks = {}
    b, a = before["procs"], after["procs"]
    for key, p in a.items():
        ticks[p["component"]] = ticks.get(p["component"], 0) + p["cpu"] - (b[key]["cpu"] if key in b else 0)
        if key in b:
            ticks[p["component"]] += p["children"] - b[key]["children"]
    for key, p in b.items():
        if key not in a:
            # Exited during the period: counted through its parent's cutime if the parent is one of ours.
            ticks[p["component"]] = ticks.get(p["component"], 0) - p["cpu"]
    wall = after["wall"] - before["wall"]
    return {c: 100.0 * t / TICKS / wall for c, t in ticks.items()}, wall


def pss(local_dir, launcher_pid):
    kib = {}
    count = {}
    for pid, component in stack_processes(local_dir, launcher_pid).items():
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        kib[component] = kib.get(component, 0) + int(line.split()[1])
                        count[component] = count.get(component, 0) + 1
        except OSError:
            pass
    return kib, count


def get_json(conn, path):
    conn.request("GET", path)
    resp = conn.getresponse()
    body = resp.read()
    return json.loads(body) if resp.status == 200 else None


def host_port(url):
    rest = url.split("://", 1)[1].rstrip("/")
    host, port = rest.rsplit(":", 1)
    return host, int(port)


def epoch_ms(iso):
    """Milliseconds of an ISO-8601 instant as the API writes it (2021-05-14T01:02:00Z)."""
    import datetime

    return int(datetime.datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)


def exchange_offset_ms(replay_url):
    """Exchange time minus wall time (ms), from the /api/v3/time answer with the shortest round trip of 20."""
    conn = http.client.HTTPConnection(*host_port(replay_url), timeout=5)
    best = None
    for _ in range(20):
        t0 = time.time() * 1000
        server = get_json(conn, "/api/v3/time")["serverTime"]
        t1 = time.time() * 1000
        if best is None or t1 - t0 < best[0]:
            best = (t1 - t0, server - (t0 + t1) / 2)
    conn.close()
    return best[1], best[0]


def latest_open(conn, symbol):
    c = get_json(conn, f"/price/latest?symbol={symbol}")
    return epoch_ms(c["openTime"]) if c else None


def prediction_window_end(conn, symbol):
    p = get_json(conn, f"/price/prediction?symbol={symbol}")
    return epoch_ms(p["windowEndOpenTime"]) if p else None


def caught_up(replay_url, api_url, symbols):
    offset, _ = exchange_offset_ms(replay_url)
    last_closed = (int(time.time() * 1000 + offset) // MINUTE_MS - 1) * MINUTE_MS
    conn = http.client.HTTPConnection(*host_port(api_url), timeout=5)
    behind = []
    for s in symbols:
        lo, pw = latest_open(conn, s), prediction_window_end(conn, s)
        if lo is None or lo < last_closed or pw is None or pw < last_closed:
            behind.append(s)
    if behind:
        print("behind: " + ",".join(behind), file=sys.stderr)
        return 1
    return 0


def fresh(replay_url, api_url, symbols, seconds, poll_ms, out_path):
    """For every candle that closes in the next SECONDS: from its close (exchange time mapped to wall time; speed 1)
    until /price/latest first returns it, and until /price/prediction first returns the prediction made from it.
    Each (symbol, endpoint) has its own thread and connection, which polls every POLL_MS from the candle's close
    until it sees it (or 10 s), and not at all in between; the time taken is the first such answer's arrival."""
    offset, rtt = exchange_offset_ms(replay_url)
    print(f"exchange clock - wall clock = {offset:.0f} ms (round trip {rtt:.1f} ms)", file=sys.stderr)
    with open(out_path + ".offset", "w") as f:
        f.write(f"{offset:.0f}\n")
    end = time.time() + seconds
    lines = []
    lock = threading.Lock()
    readers = {"latest": latest_open, "prediction": prediction_window_end}

    def watch(symbol, what):
        conn = http.client.HTTPConnection(*host_port(api_url), timeout=5)
        read = readers[what]
        while True:
            open_ms = (int(time.time() * 1000 + offset) // MINUTE_MS) * MINUTE_MS  # the candle open now
            close_wall = (open_ms + MINUTE_MS - offset) / 1000
            if close_wall > end:
                return
            time.sleep(max(0.0, close_wall - time.time()))
            lag = None
            while lag is None and time.time() < close_wall + 10:
                t = time.time()
                if (read(conn, symbol) or 0) >= open_ms:
                    lag = time.time() - close_wall
                else:
                    time.sleep(max(0.0, poll_ms / 1000 - (time.time() - t)))
            with lock:
                lines.append(f"{what} {symbol} {open_ms} {'timeout' if lag is None else f'{lag:.3f}'}")
            time.sleep(1)

    threads = [threading.Thread(target=watch, args=(s, w)) for s in symbols for w in readers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with open(out_path, "w") as f:
        f.write("\n".join(lines) + "\n")


def stages(pg_port, fresh_path):
    """Where the time goes, from the database: for the candles of FRESH_PATH, close -> the candle row's ingested_at
    (the insert's transaction start: when the job's sink flushed it) and close -> the prediction's created_at (set
    by the job when it scored the window), both v. the close on the exchange's clock mapped to wall time."""
    import subprocess

    with open(fresh_path + ".offset") as f:
        offset = float(f.read())
    opens = set()
    with open(fresh_path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 4:
                opens.add(int(parts[2]))
    if not opens:
        return
    sql = (
        "SELECT 'candle-row', (extract(epoch FROM c.ingested_at) * 1000)::bigint - (extract(epoch FROM c.open_time)"
        " * 1000)::bigint FROM candles c WHERE c.open_time BETWEEN to_timestamp(%d / 1000.0) AND to_timestamp(%d /"
        " 1000.0) UNION ALL SELECT 'prediction-created', (extract(epoch FROM p.created_at) * 1000)::bigint -"
        " (extract(epoch FROM p.window_end_open_time) * 1000)::bigint FROM predictions p JOIN models m USING"
        " (model_version) WHERE m.status = 'champion' AND p.window_end_open_time BETWEEN to_timestamp(%d / 1000.0)"
        " AND to_timestamp(%d / 1000.0)"
    ) % (min(opens), max(opens), min(opens), max(opens))
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", pg_port, "-U", "chronoprice_reader", "-d", "chronoprice", "-AtF", " ",
         "-c", sql],
        env=dict(os.environ, PGPASSWORD="reader-local"), capture_output=True, text=True, check=True).stdout
    by = {}
    for line in out.splitlines():
        what, ms = line.split()
        # ms is wall time minus open time on the exchange's clock: less the interval and the clock offset
        by.setdefault(what, []).append((int(ms) - MINUTE_MS + offset) / 1000)
    for what, lags in sorted(by.items()):
        lags.sort()
        print(f"{what} {len(lags)} {percentile(lags, 50):.2f} {percentile(lags, 99):.2f} {lags[-1]:.2f}")


def percentile(sorted_values, q):
    """Nearest-rank percentile."""
    import math

    return sorted_values[max(0, math.ceil(q / 100 * len(sorted_values)) - 1)]


def summary(path):
    by = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 4:
                by.setdefault(parts[0], []).append(parts[3])
    for what, values in sorted(by.items()):
        lags = sorted(float(v) for v in values if v != "timeout")
        timeouts = len(values) - len(lags)
        if lags:
            print(f"{what} {len(lags)} {percentile(lags, 50):.2f} {percentile(lags, 99):.2f} {lags[-1]:.2f} {timeouts}")
        else:
            print(f"{what} 0 - - - {timeouts}")


def main(argv):
    cmd = argv[1]
    if cmd == "procs":
        for pid, component in sorted(stack_processes(argv[2], argv[3]).items()):
            print(component, pid)
    elif cmd == "snapshot":
        with open(argv[4], "w") as f:
            json.dump(snapshot(argv[2], argv[3]), f)
    elif cmd == "cpu":
        with open(argv[2]) as f:
            before = json.load(f)
        with open(argv[3]) as f:
            after = json.load(f)
        percent, wall = cpu(before, after)
        print(f"wall {wall:.1f}")
        for c, p in sorted(percent.items()):
            print(f"{c} {p:.3f}")
        print(f"total {sum(percent.values()):.3f}")
    elif cmd == "pss":
        kib, count = pss(argv[2], argv[3])
        for c in sorted(kib):
            print(f"{c} {kib[c]} {count[c]}")
        print(f"total {sum(kib.values())} {sum(count.values())}")
    elif cmd == "caught-up":
        return caught_up(argv[2], argv[3], argv[4].split(","))
    elif cmd == "fresh":
        fresh(argv[2], argv[3], argv[4].split(","), float(argv[5]), float(argv[6]), argv[7])
    elif cmd == "stages":
        stages(argv[2], argv[3])
    elif cmd == "summary":
        summary(argv[2])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
