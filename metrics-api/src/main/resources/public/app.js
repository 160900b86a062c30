"use strict";
// ChronoPrice live page: plain JavaScript, no build step. Reads the API this page is served by:
//   /symbols        the series selector
//   /metrics/model  the model selector (window=all: versions with predictions and their registry status), the
//                   accuracy tiles, the raw-vs-served table and the champion-vs-challengers table (selected window)
//   /price/history  the chart's first points, then /live (Server-Sent Events) adds and resolves them.
// The model selector defaults to the champion, whose forecast is the served one; any version can be picked.
(function () {
  const HISTORY_POINTS = 300; // prediction targets kept on the chart
  const METRICS_EVERY_MS = 10000; // tiles also refresh shortly after each outcome
  const CHART_HEIGHT = 420;
  const UNIT_MS = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 604800e3, M: 2592000e3 };

  // The page's state, readable by tests and by curious humans in the console. The counts are read back
  // from the chart's own data after each redraw.
  const state = (window.chronoprice = {
    ready: false, // first history load for the selected series done
    live: "connecting", // the push stream: connecting | open | error
    series: null,
    model: null,
    modelStatus: null, // registry status of the selected version: champion | challenger | retired | null
    champion: null, // the champion among the versions with predictions on this series (null if none)
    chartModels: [], // versions of the rows on the chart (one, the selected)
    lastPredicted: null, // served predicted close of the newest point on the chart
    points: 0, // predictions on the chart
    actualPoints: 0, // of which resolved (actual close known)
    rawPoints: 0, // of which carry the model's raw median (rows written before the online layers have none)
    guardWeight: null, // guard weight of the newest prediction on the chart
    lastTarget: null, // newest target time on the chart (ISO-8601)
    events: 0, // push messages applied
    metricsUpdates: 0,
    comparedTargets: null, // common targets of the champion-vs-challengers table
    error: null,
  });

  const $ = (id) => document.getElementById(id);
  const rows = new Map(); // target time (epoch ms) -> PredictionView JSON of the selected model
  let seriesList = [];
  let current = null; // {exchange, symbol, interval}
  let model = null;
  let source = null;
  let plot = null;
  let generation = 0; // bumped on every series/model switch: late answers for the old one are dropped
  let metricsSeq = 0;
  let metricsSoon = null;

  // ---- API ----

  function isBacktest(s) {
    return s.exchange.includes("@");
  }

  function seriesKey(s) {
    return { exchange: s.exchange, symbol: s.symbol, interval: s.interval };
  }

  // Every URL the page builds goes through here: URLSearchParams percent-encodes the "@" of a backtest's exchange.
  function query(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v != null) q.set(k, v);
    return q.toString();
  }

  async function getJson(path, params) {
    const url = params ? path + "?" + query(params) : path;
    const res = await fetch(url, { headers: { Accept: "application/json" } });
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    return res.json();
  }

  // ---- selection ----

  async function init() {
    // Live series first, then backtest runs' (exchange "binance@label"): the page opens on a live one by default.
    const tracked = await getJson("/symbols");
    seriesList = tracked.filter((s) => !isBacktest(s)).concat(tracked.filter(isBacktest));
    const wanted = new URLSearchParams(location.search);
    if (wanted.get("window")) $("window").value = wanted.get("window");
    $("series").replaceChildren(
      ...seriesList.map((s, i) =>
        new Option(`${s.symbol} · ${s.exchange} · ${s.interval}${isBacktest(s) ? " (backtest)" : ""}`, String(i))));
    $("series").addEventListener("change", () => select(seriesList[+$("series").value], null));
    $("model").addEventListener("change", () => select(current, $("model").value));
    $("window").addEventListener("change", () => { updateUrl(); refreshMetrics(); });
    window.addEventListener("resize", () => plot && plot.setSize({ width: chartWidth(), height: CHART_HEIGHT }));
    setInterval(refreshMetrics, METRICS_EVERY_MS);

    if (seriesList.length === 0) {
      showMessage("Nothing stored yet: start the pipeline (or the replay exchange) and reload.");
      state.ready = true;
      return;
    }
    // Names are matched in the API's canonical case: exchanges lower, symbols upper; intervals as given (1m vs 1M).
    const match = seriesList.find((s) =>
      (!wanted.get("symbol") || s.symbol === wanted.get("symbol").trim().toUpperCase()) &&
      (!wanted.get("exchange") || s.exchange === wanted.get("exchange").trim().toLowerCase()) &&
      (!wanted.get("interval") || s.interval === wanted.get("interval").trim()));
    await select(match || seriesList[0], wanted.get("model_version"));
  }

  async function select(series, wantedModel) {
    const gen = ++generation;
    current = series;
    state.series = seriesKey(series);
    state.ready = false;
    $("series").value = String(seriesList.indexOf(series));
    closeStream();
    rows.clear();
    showMessage(null);

    // Model versions with predictions on this series: the champion first, then challengers, then retired (and
    // unregistered) versions, each group newest target first. The champion is the default: it is what is served.
    const all = await getJson("/metrics/model", { ...seriesKey(series), window: "all" });
    if (gen !== generation) return;
    const models = all.models
      .filter((m) => m.lastTargetTime != null)
      .sort((a, b) => statusRank(a.status) - statusRank(b.status) ||
        Date.parse(b.lastTargetTime) - Date.parse(a.lastTargetTime) || b.predictions - a.predictions);
    $("model").replaceChildren(...models.map((m) =>
      new Option(`${m.modelVersion} · ${m.status || "not registered"}`, m.modelVersion)));
    const champion = models.find((m) => m.champion);
    const chosen = models.find((m) => m.modelVersion === wantedModel) || champion || models[0];
    model = chosen ? chosen.modelVersion : null;
    state.model = model;
    state.modelStatus = chosen ? chosen.status : null;
    state.champion = champion ? champion.modelVersion : null;
    $("model").value = model || "";
    updateUrl();

    if (!model) {
      showMessage("No predictions for this series yet.");
      render();
      renderTiles(null, 0.8);
      renderVersus(null);
      state.ready = true;
      return;
    }
    // Listen first, then read the history: a row written in between arrives by push, and merging is idempotent.
    openStream(gen);
    await loadHistory(gen, Date.parse(chosen.lastTargetTime));
    if (gen !== generation) return;
    await refreshMetrics();
    state.ready = true;
  }

  function statusRank(status) {
    return { champion: 0, challenger: 1, retired: 2 }[status] ?? 3;
  }

  function updateUrl() {
    if (!current) return;
    const q = query({ ...seriesKey(current), model_version: model, window: $("window").value });
    history.replaceState(null, "", "?" + q);
  }

  // ---- data ----

  function intervalMs(interval) {
    const m = /^(\d+)([smhdwM])$/.exec(interval);
    return m ? Number(m[1]) * UNIT_MS[m[2]] : 60e3;
  }

  async function loadHistory(gen, newestTarget) {
    const from = new Date(newestTarget - (HISTORY_POINTS - 1) * intervalMs(current.interval)).toISOString();
    let cursor = null;
    do {
      const page = await getJson("/price/history",
        { ...seriesKey(current), model_version: model, from, limit: 1000, cursor });
      if (gen !== generation) return;
      page.points.forEach(merge);
      cursor = page.nextCursor;
    } while (cursor);
    render();
  }

  function merge(row) {
    const t = Date.parse(row.targetOpenTime);
    const old = rows.get(t);
    // A late 'prediction' message (actual still unknown) must not undo a known outcome.
    if (old && old.actualClose != null && row.actualClose == null) return;
    rows.set(t, row);
  }

  function openStream(gen) {
    let opened = false;
    // The stream of the selected version only (without model_version /live sends the champion's rows).
    source = new EventSource("/live?" + query({ ...seriesKey(current), model_version: model }));
    setLive("connecting");
    source.onopen = () => {
      setLive("open");
      // After a reconnect, fetch what was written while the stream was down (no replay on connect).
      if (opened && rows.size > 0) loadHistory(gen, Math.max(...rows.keys())).catch(fail);
      opened = true;
    };
    source.onerror = () => setLive(source && source.readyState === EventSource.CLOSED ? "error" : "connecting");
    for (const type of ["prediction", "outcome"]) {
      source.addEventListener(type, (event) => {
        if (gen !== generation) return;
        const row = JSON.parse(event.data);
        if (row.modelVersion !== model) return;
        state.events++;
        merge(row);
        render();
        if (type === "outcome") {
          clearTimeout(metricsSoon);
          metricsSoon = setTimeout(refreshMetrics, 300); // outcomes of several models come together
        }
      });
    }
  }

  function closeStream() {
    if (source) source.close();
    source = null;
  }

  function setLive(live) {
    state.live = live;
    const pill = $("live");
    pill.dataset.state = live;
    pill.textContent = { open: "live", connecting: "connecting…", error: "disconnected" }[live];
  }

  // ---- chart ----

  // Decimals follow the size of the price (ref), so an error of 56 on a price of 50 000 shows as 56.11.
  function price(v, ref) {
    if (v == null || !isFinite(v)) return "–";
    const size = Math.abs(ref == null ? v : ref);
    const digits = size >= 100 ? 2 : size >= 1 ? 4 : 6;
    return v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }

  // UTC tick labels: 24 h clock, the date on the first tick and at midnight; dates only for long spans.
  function timeTicks(u, ticks) {
    const longSpan = ticks.length > 1 && ticks[ticks.length - 1] - ticks[0] > 3 * 86400;
    return ticks.map((t, i) => {
      const iso = new Date(t * 1e3).toISOString();
      const day = iso.slice(0, 10);
      const hm = iso.slice(11, 16);
      if (longSpan) return day;
      return i === 0 || hm === "00:00" ? hm + "\n" + day : hm;
    });
  }

  function chartWidth() {
    return Math.max(320, $("chart").clientWidth || 800);
  }

  function chartOptions() {
    const value = (u, v) => price(v);
    return {
      width: chartWidth(),
      height: CHART_HEIGHT,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"),
      series: [
        { label: "Target (UTC)", value: (u, t) => (t == null ? "–" : new Date(t * 1e3).toISOString().slice(0, 16).replace("T", " ")) },
        { label: "Actual", stroke: "#111827", width: 2, value },
        { label: "Predicted", stroke: "#2563eb", width: 1.5, value },
        { label: "Lower 80 %", stroke: "rgba(37, 99, 235, 0.35)", width: 1, value },
        { label: "Upper 80 %", stroke: "rgba(37, 99, 235, 0.35)", width: 1, value },
        { label: "Naive", stroke: "#d97706", width: 1, dash: [5, 4], value },
        { label: "Raw model", stroke: "#7c3aed", width: 1, dash: [2, 3], value },
      ],
      bands: [{ series: [4, 3], fill: "rgba(37, 99, 235, 0.12)" }],
      axes: [{ values: timeTicks }, { size: 90, values: (u, ticks) => ticks.map((t) => price(t)) }],
    };
  }

  function render() {
    const times = [...rows.keys()].sort((a, b) => a - b);
    while (times.length > HISTORY_POINTS) rows.delete(times.shift());
    const data = [[], [], [], [], [], [], []];
    for (const t of times) {
      const r = rows.get(t);
      data[0].push(t / 1e3);
      data[1].push(r.actualClose);
      data[2].push(r.predictedClose);
      data[3].push(r.lowerClose);
      data[4].push(r.upperClose);
      data[5].push(r.naiveClose);
      data[6].push(r.rawPredictedClose == null ? null : r.rawPredictedClose);
    }
    if (plot) plot.setData(data);
    else plot = new uPlot(chartOptions(), data, $("chart"));

    state.points = plot.data[0].length;
    state.actualPoints = plot.data[1].filter((v) => v != null).length;
    state.rawPoints = plot.data[6].filter((v) => v != null).length;
    state.lastTarget = times.length ? new Date(times[times.length - 1]).toISOString() : null;
    state.chartModels = [...new Set(times.map((t) => rows.get(t).modelVersion))];
    state.lastPredicted = times.length ? rows.get(times[times.length - 1]).predictedClose : null;
    $("chart").dataset.points = String(state.points);
    renderLatest(times.length ? rows.get(times[times.length - 1]) : null);
  }

  function lastPrice() {
    const times = [...rows.keys()];
    return times.length ? rows.get(Math.max(...times)).predictedClose : null;
  }

  function utcTime(iso) {
    return iso.replace("T", " ").replace(/:00(\.0+)?Z$/, "").replace(/Z$/, "") + " UTC";
  }

  function renderLatest(r) {
    renderGuard(r);
    if (!r) {
      $("latest").textContent = "";
      return;
    }
    const interval = r.lowerClose != null && r.upperClose != null
      ? ` (80 % interval ${price(r.lowerClose)} – ${price(r.upperClose)})` : "";
    const outcome = r.actualClose != null
      ? `actual ${price(r.actualClose)}, error ${price(r.error, r.actualClose)}`
      : "actual not known yet";
    const raw = r.rawPredictedClose != null ? `; raw model ${price(r.rawPredictedClose)}` : "";
    const role = r.champion ? "the champion, served" : r.modelStatus ? `a ${r.modelStatus}, not served` : "not registered";
    $("latest").textContent = `Latest forecast for the close of ${utcTime(r.targetOpenTime)} by ${r.modelVersion} (${role}): ` +
      `${price(r.predictedClose)}${interval}${raw}; naive ${price(r.naiveClose)}; ${outcome}.`;
  }

  // The skill guard in plain words, from the newest prediction: how much of the model's median is served.
  function renderGuard(r) {
    const el = $("guard");
    const w = r ? r.guardWeight : null;
    state.guardWeight = w == null ? null : w;
    el.dataset.weight = w == null ? "" : String(w);
    el.classList.toggle("naive", w === 0);
    if (!r) {
      el.textContent = "";
      return;
    }
    let text;
    if (w == null) {
      text = "The newest prediction records no guard weight (it was written before the skill guard existed).";
    } else if (w === 0) {
      text = "Guard weight 0: the model has not beaten naive recently, so the naive forecast is served.";
    } else if (w === 1) {
      text = "Guard weight 1: the model has beaten naive clearly enough recently that its own median is served.";
    } else {
      text = `Guard weight ${w.toFixed(2)}: the model has beaten naive only partly or only recently, so the served ` +
        `forecast is the naive one moved ${(100 * w).toFixed(0)} % of the way to the model's median.`;
    }
    if (r.calibrationLower != null && r.calibrationUpper != null) {
      text += ` Interval calibration: the model's lower half-width × ${Math.exp(r.calibrationLower).toFixed(2)},` +
        ` upper × ${Math.exp(r.calibrationUpper).toFixed(2)}.`;
    }
    el.textContent = text;
  }

  // ---- tiles ----

  async function refreshMetrics() {
    if (!current || !model) return;
    const gen = generation;
    const seq = ++metricsSeq;
    let report;
    try {
      report = await getJson("/metrics/model", { ...seriesKey(current), model_version: model, window: $("window").value });
    } catch (e) {
      fail(e);
      return;
    }
    if (gen !== generation || seq !== metricsSeq) return; // a newer answer is on its way
    renderTiles(report.models.find((m) => m.modelVersion === model), report.nominalCoverage);
    renderVersus(report.comparison);
    state.metricsUpdates++;
  }

  function pct(x) {
    return x == null ? "–" : (100 * x).toFixed(1) + " %";
  }

  function tile(id, value, detail, raw, verdict) {
    const el = $(id);
    el.querySelector(".value").textContent = value;
    el.querySelector(".detail").textContent = detail;
    el.dataset.value = raw == null ? "" : String(raw);
    el.classList.toggle("good", verdict === "good");
    el.classList.toggle("bad", verdict === "bad");
  }

  function ci(w) {
    return `95 % CI ${pct(w.lower)} – ${pct(w.upper)}, n = ${w.total}`;
  }

  function renderTiles(m, nominal) {
    if (!m || m.resolved === 0) {
      const none = m ? "no resolved predictions in this window yet" : "no predictions in this window";
      for (const id of ["tile-mae", "tile-mase", "tile-direction", "tile-coverage"]) tile(id, "–", none, null, null);
      $("tile-mae").dataset.resolved = "0";
      renderCompare(null, nominal);
      return;
    }
    $("tile-mae").dataset.resolved = String(m.resolved);
    const ref = lastPrice();
    tile("tile-mae", price(m.mae, ref),
      `naive MAE ${price(m.naiveMae, ref)} · ${m.resolved} of ${m.predictions} resolved`, m.mae, null);

    const mase = m.mase;
    tile("tile-mase", mase == null ? "–" : mase.toFixed(3),
      mase == null ? "naive error is zero" : mase > 1 ? "worse than the naive forecast (MASE > 1)"
        : mase < 1 ? "better than the naive forecast" : "same as the naive forecast",
      mase, mase == null ? null : mase > 1 ? "bad" : mase < 1 ? "good" : null);

    const d = m.directionalAccuracy;
    const coin = d.upper != null && d.upper < 0.5 ? "bad" : d.lower != null && d.lower > 0.5 ? "good" : null;
    tile("tile-direction", pct(d.rate),
      ci(d) + (d.total > 0 && coin == null ? " · not distinguishable from a coin flip" : ""), d.rate, coin);

    const c = m.intervalCoverage;
    const off = c.lower != null && (nominal < c.lower || nominal > c.upper);
    tile("tile-coverage", pct(c.rate), `nominal ${pct(nominal)} · ${ci(c)}${off ? " · miscalibrated" : ""}`,
      c.rate, off ? "bad" : null);
    renderCompare(m, nominal);
  }

  // ---- raw vs served ----

  // One cell of the comparison table: the shown text, the exact number in data-value (for tests), a hint on hover.
  function cell(id, text, value, title, verdict) {
    const el = $(id);
    el.textContent = text;
    el.dataset.value = value == null ? "" : String(value);
    el.title = title || "";
    el.classList.toggle("good", verdict === "good");
    el.classList.toggle("bad", verdict === "bad");
  }

  function maseCell(id, mase) {
    cell(id, mase == null ? "–" : mase.toFixed(3), mase, mase == null ? "" : mase < 1 ? "beats naive" : "does not beat naive",
      mase == null ? null : mase > 1 ? "bad" : mase < 1 ? "good" : null);
  }

  function rateCell(id, w, nominal) {
    const off = nominal != null && w.lower != null && (nominal < w.lower || nominal > w.upper);
    cell(id, pct(w.rate), w.rate, w.total > 0 ? ci(w) + (off ? " · miscalibrated" : "") : "no rows", off ? "bad" : null);
  }

  function renderCompare(m, nominal) {
    const raw = m ? m.raw : null;
    const base = m ? m.baselines : null;
    const none = { hits: 0, total: 0, rate: null, lower: null, upper: null };
    maseCell("cmp-mase-served", m ? m.mase : null);
    maseCell("cmp-mase-raw", raw ? raw.mase : null);
    rateCell("cmp-direction-served", m ? m.directionalAccuracy : none, null);
    rateCell("cmp-direction-raw", raw ? raw.directionalAccuracy : none, null);
    rateCell("cmp-coverage-served", m ? m.intervalCoverage : none, nominal);
    rateCell("cmp-coverage-raw", raw ? raw.intervalCoverage : none, nominal);
    rateCell("cmp-coverage-rolling", base ? base.rollingVolatility.intervalCoverage : none, nominal);
    rateCell("cmp-coverage-ewma", base ? base.ewmaVolatility.intervalCoverage : none, nominal);
    const winkler = {
      "cmp-winkler-served": m ? m.winklerBps : null,
      "cmp-winkler-raw": raw ? raw.winklerBps : null,
      "cmp-winkler-rolling": base ? base.rollingVolatility.winklerBps : null,
      "cmp-winkler-ewma": base ? base.ewmaVolatility.winklerBps : null,
    };
    const known = Object.values(winkler).filter((v) => v != null);
    const best = known.length > 1 ? Math.min(...known) : null;
    for (const [id, v] of Object.entries(winkler)) {
      cell(id, v == null ? "–" : v.toFixed(1), v, v === best ? "lowest (best) of the four" : "", v != null && v === best ? "good" : null);
    }
    const rows = !m ? "" : raw.resolved === m.resolved
      ? `All on the same ${m.resolved} resolved predictions.`
      : `Served: ${m.resolved} resolved predictions; raw model and baselines: the ${raw.resolved} of them written with a raw forecast.`;
    const guard = m && m.meanGuardWeight != null ? ` Mean guard weight over the window: ${m.meanGuardWeight.toFixed(2)}.` : "";
    $("compare-rows").textContent = rows + guard;
    $("compare-rows").dataset.meanGuardWeight = m && m.meanGuardWeight != null ? String(m.meanGuardWeight) : "";
  }

  // ---- champion vs challengers ----

  function versusCell(cls, text, value, title) {
    const el = document.createElement("td");
    el.className = cls;
    el.textContent = text;
    el.dataset.value = value == null ? "" : String(value);
    if (title) el.title = title;
    return el;
  }

  function pValue(p) {
    return p == null ? "–" : p < 0.001 ? "< 0.001" : p.toFixed(3);
  }

  // The champion and every challenger on the window's common resolved targets, with each challenger's
  // Diebold-Mariano test against the champion. Each number keeps its exact value in data-value.
  function renderVersus(cmp) {
    const summary = $("versus-summary");
    const body = $("versus-rows");
    const models = cmp ? cmp.models : [];
    state.comparedTargets = cmp ? cmp.commonTargets : null;
    summary.dataset.common = cmp ? String(cmp.commonTargets) : "";
    if (models.length === 0) {
      summary.textContent = "No champion or challenger has resolved predictions on this series in this window.";
      body.replaceChildren();
      return;
    }
    const range = cmp.firstTargetTime
      ? ` (targets ${utcTime(cmp.firstTargetTime)} – ${utcTime(cmp.lastTargetTime)})` : "";
    summary.textContent = models.length < 2
      ? `Only ${models[0].modelVersion} (${models[0].status}) is scored on this series in this window: nothing to compare.`
      : `Every version below on the same ${cmp.commonTargets} resolved targets${range}.` +
        (cmp.champion ? "" : " The champion has no resolved predictions here, so nothing is tested.");
    const tests = new Map(cmp.tests.map((t) => [t.challenger, t]));
    const ref = lastPrice();
    body.replaceChildren(...models.map((m) => {
      const tr = document.createElement("tr");
      tr.dataset.version = m.modelVersion;
      tr.classList.toggle("champion", m.champion);
      const name = document.createElement("th");
      name.scope = "row";
      name.className = "text";
      name.textContent = m.modelVersion;
      const t = tests.get(m.modelVersion);
      const verdict = t ? t.verdict : m.champion ? "champion" : "";
      tr.dataset.verdict = verdict;
      const reading = versusCell("text reading", t ? t.reading : m.champion ? "served forecast" : "–", null,
        t ? `n = ${t.n}, mean |error| difference ${price(t.meanLossDifference, ref)}, Newey-West lags ${t.lags}` : "");
      reading.classList.toggle("good", verdict === "challenger-better");
      tr.append(
        name,
        versusCell("text status", m.status, null),
        versusCell("mae", price(m.mae, ref), m.mae),
        versusCell("mase", m.mase == null ? "–" : m.mase.toFixed(3), m.mase),
        versusCell("dm-statistic", t && t.statistic != null ? t.statistic.toFixed(2) : "–", t ? t.statistic : null),
        versusCell("dm-p", t ? pValue(t.pValue) : "–", t ? t.pValue : null),
        reading);
      return tr;
    }));
  }

  // ---- errors ----

  function showMessage(text) {
    $("message").hidden = !text;
    $("message").textContent = text || "";
  }

  function fail(e) {
    state.error = String(e && e.message ? e.message : e);
    showMessage("Could not load: " + state.error);
    console.error(e);
  }

  init().catch(fail);
})();
