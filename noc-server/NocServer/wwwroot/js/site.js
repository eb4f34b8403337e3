// A site's page: its state, devices and open alarms from the hub's snapshot and changes; charts of the last hour from
// the series API, moved on by the points the hub pushes for this site (WatchSite); a hotspot's users online (written by
// the server, moved on by the hub).
import { alarmStateText, api, axisLabels, axisRange, axisTicks, bps, BPS_UNITS, clock, connectLive, el, kindText, lifecycleText, number, parseLabels, severityBadge, showUsersOnline, stateBadge, t, timeAgo, when } from "./noc.js";

const siteId = document.body.dataset.site;
const HOUR_S = 3600;
const PALETTE = ["#0b57d0", "#b3261e", "#1e7e34", "#8e24aa", "#e8710a", "#00838f", "#5d4037", "#3949ab"];

const fmtMs = v => (v === null || v === undefined ? "–" : `${number(v, v < 10 ? 1 : 0)} ms`);
const fmtCount = v => (v === null || v === undefined ? "–" : number(Math.round(v)));

/**
 * One chart: which metrics it shows, which series of them it keeps (the uplink only for throughput), how a series
 * is named in the legend and how values are written.
 */
const charts = [
  {
    id: "throughput", metrics: ["if_in_bps", "if_out_bps"], format: bps,
    axis: { units: BPS_UNITS, minStep: 1, minSpan: 1000 }, // no fraction of a bit; a flat line gets 0 to 1 kbit/s
    keep: labels => labels.role === "wan",
    name: (device, metric, labels) => `${metric === "if_in_bps" ? t("SeriesIn") : t("SeriesOut")} ${device} ${labels.if || ""}`.trim(),
  },
  {
    id: "latency", metrics: ["probe_rtt_ms"], format: fmtMs,
    axis: { units: ["ms"], minStep: 0.01, minSpan: 1 },
    keep: () => true,
    name: (device, metric, labels) => `${labels.target || t("SeriesProbe")} (${device})`,
  },
  {
    id: "clients", metrics: ["wifi_clients"], format: fmtCount,
    axis: { units: [""], minStep: 1, minSpan: 5 },
    keep: () => true,
    name: device => device,
  },
];
for (const chart of charts) {
  chart.series = new Map(); // key -> { name, points: [[tSeconds, value], ...] }
  chart.plot = null;
  chart.shape = "";
  chart.box = document.getElementById(`chart-${chart.id}`);
  chart.latest = document.getElementById(`${chart.id}-latest`);
}
const chartOf = new Map(charts.flatMap(c => c.metrics.map(m => [m, c])));

function addPoint(chart, device, metric, labelText, tSeconds, value) {
  const labels = parseLabels(labelText);
  if (!chart.keep(labels)) return;
  const key = `${device}|${metric}|${labelText}`;
  let series = chart.series.get(key);
  if (!series) {
    series = { name: chart.name(device, metric, labels), points: [] };
    chart.series.set(key, series);
  }
  const pts = series.points;
  if (pts.length === 0 || pts[pts.length - 1][0] < tSeconds) pts.push([tSeconds, value]);
  else if (pts[pts.length - 1][0] === tSeconds) pts[pts.length - 1][1] = value;
  else {
    // Late point: insert in order.
    const i = pts.findIndex(p => p[0] >= tSeconds);
    if (pts[i][0] === tSeconds) pts[i][1] = value; else pts.splice(i, 0, [tSeconds, value]);
  }
}

function draw(chart) {
  const now = Date.now() / 1000;
  const from = now - HOUR_S;
  for (const s of chart.series.values()) {
    const cut = s.points.findIndex(p => p[0] >= from);
    if (cut > 0) s.points.splice(0, cut); else if (cut < 0) s.points.length = 0;
  }
  const list = [...chart.series.entries()].filter(([, s]) => s.points.length > 0).sort((a, b) => a[1].name.localeCompare(b[1].name));
  chart.latest.textContent = list.length === 0
    ? t("NoDataLastHour")
    : t("Latest", { values: list.map(([, s]) => `${s.name} ${chart.format(s.points[s.points.length - 1][1])}`).join("; ") });
  chart.box.dataset.series = String(list.length);
  chart.box.dataset.points = String(list.reduce((n, [, s]) => n + s.points.length, 0));
  if (list.length === 0) {
    chart.plot?.destroy();
    chart.plot = null;
    chart.shape = "";
    return;
  }
  const tables = list.map(([, s]) => [s.points.map(p => p[0]), s.points.map(p => p[1])]);
  const data = uPlot.join(tables);
  const shape = list.map(([k]) => k).join("\n");
  const width = Math.max(300, chart.box.clientWidth || 420);
  if (chart.plot && chart.shape === shape) {
    chart.plot.setData(data);
    return;
  }
  chart.plot?.destroy();
  chart.shape = shape;
  chart.plot = new uPlot({
    width, height: 200,
    scales: { x: { time: true, range: () => [Date.now() / 1000 - HOUR_S, Date.now() / 1000] }, y: { range: (u, min, max) => axisRange(min, max, chart.axis) } },
    series: [{ label: t("Time"), value: (u, v) => (v === null || v === undefined ? "–" : clock(v)) }, ...list.map(([, s], i) => ({
      label: s.name, stroke: PALETTE[i % PALETTE.length], width: 1.5, spanGaps: false,
      value: (u, v) => chart.format(v),
    }))],
    axes: [
      { values: (u, splits) => splits.map(v => clock(v)) },
      {
        size: 90,
        splits: (u, axis, min, max) => axisTicks(min, max, chart.axis),
        values: (u, splits) => {
          const labels = axisLabels(splits, chart.axis.units);
          chart.box.dataset.yTicks = labels.join("|"); // what the axis reads, for people's tools and the tests
          return labels;
        },
      },
    ],
    legend: { live: true },
  }, data, chart.box);
}

let drawPending = false;
function scheduleDraw() {
  if (drawPending) return;
  drawPending = true;
  setTimeout(() => { drawPending = false; for (const c of charts) draw(c); }, 250);
}
setInterval(scheduleDraw, 15000); // the window moves on even when nothing arrives
window.addEventListener("resize", () => {
  for (const c of charts) c.plot?.setSize({ width: Math.max(300, c.box.clientWidth), height: 200 });
});

async function loadSeries() {
  const to = new Date();
  const from = new Date(to.getTime() - HOUR_S * 1000);
  const metrics = charts.flatMap(c => c.metrics);
  const results = await Promise.all(metrics.map(metric => api(
    `/api/v1/sites/${encodeURIComponent(siteId)}/series?metric=${metric}&from=${from.toISOString()}&to=${to.toISOString()}`)
    .catch(() => [])));
  // Merged, not replaced: points pushed while this was on its way stay (same timestamp, same value).
  metrics.forEach((metric, i) => {
    const chart = chartOf.get(metric);
    for (const series of results[i]) {
      const key = series.key;
      for (const b of series.buckets) addPoint(chart, key.device, key.metric, key.labels || "", b.timestampMs / 1000, b.mean);
    }
  });
  scheduleDraw();
}

// State, devices, alarms.
let site = null;
const alarms = new Map();

function showSite() {
  if (!site) {
    document.getElementById("site-name").textContent = t("NoSuchSite", { id: siteId });
    document.getElementById("site-crumb").textContent = siteId;
    return;
  }
  document.title = `${site.name} · ${t("AppShort")}`;
  document.getElementById("site-name").textContent = site.name;
  document.getElementById("site-crumb").textContent = site.name;
  document.getElementById("site-state").replaceChildren(stateBadge(site.state), site.flapping ? el("span", { class: "flag" }, t("Flapping")) : "");
  document.getElementById("site-since").replaceChildren(timeAgo(site.since), ` (${when(site.since)})`);
  document.getElementById("site-reason").textContent = site.reason || "–";
  document.getElementById("site-kind").textContent = kindText(site.kind);
  document.getElementById("site-commune").textContent = site.commune;
  document.getElementById("site-lifecycle").textContent = lifecycleText(site.lifecycle);
  document.body.dataset.state = site.state;
  const devices = [...site.devices].sort((a, b) => a.name.localeCompare(b.name));
  document.querySelector("#devices tbody").replaceChildren(...devices.map(d => el("tr", { dataset: { device: d.name, state: d.state } },
    el("td", {}, stateBadge(d.state),
      d.flapping ? el("span", { class: "flag" }, t("Flapping")) : null,
      d.suppressed ? el("span", { class: "flag", title: t("BehindUplinkTitle") }, t("BehindUplink")) : null),
    el("th", { scope: "row" }, d.name),
    el("td", {}, timeAgo(d.since)),
    el("td", { class: "reason" }, d.reason || ""),
    el("td", {}, d.lastSeen ? timeAgo(d.lastSeen) : t("Never")))));
  document.getElementById("devices-empty").hidden = devices.length > 0;
}

function showAlarms() {
  const list = [...alarms.values()].sort((a, b) => Date.parse(b.openedAt) - Date.parse(a.openedAt));
  document.querySelector("#site-alarms tbody").replaceChildren(...list.map(a => el("tr", { dataset: { alarm: a.id } },
    el("td", {}, severityBadge(a.severity)),
    el("td", {}, a.state === "acknowledged" ? t("AcknowledgedBy", { user: a.acknowledgedBy }) : alarmStateText(a.state)),
    el("td", {}, a.device || "–"),
    el("td", {}, a.message),
    el("td", {}, timeAgo(a.openedAt)))));
  document.getElementById("site-alarms-empty").hidden = list.length > 0;
}

connectLive({
  snapshot(snapshot) {
    site = snapshot.sites.find(s => s.id === siteId) || null;
    alarms.clear();
    for (const a of snapshot.activeAlarms) if (a.site === siteId) alarms.set(a.id, a);
    showSite();
    showAlarms();
  },
  siteChanged(changed) {
    if (changed.id !== siteId) return;
    site = changed;
    showSite();
  },
  alarmChanged(alarm) {
    if (alarm.site !== siteId) return;
    if (alarm.state === "cleared") alarms.delete(alarm.id); else alarms.set(alarm.id, alarm);
    showAlarms();
  },
  usersOnline(online) {
    // Only a hotspot's page has the figure (#site-online); a school's has none.
    if (online.site === siteId) showUsersOnline(document.getElementById("site-online"), online);
  },
  sitePoints(id, points) {
    if (id !== siteId) return;
    for (const p of points) {
      const chart = chartOf.get(p.metric);
      if (chart) addPoint(chart, p.device, p.metric, p.labels || "", p.t / 1000, p.v);
    }
    scheduleDraw();
  },
  async connected(connection) {
    // Watch first, then read the hour: a point arriving in between is in one or both, never lost.
    await connection.invoke("WatchSite", siteId);
    await loadSeries();
  },
});
