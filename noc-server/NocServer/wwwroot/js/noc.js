// What every page of the NOC shares: the live connection (snapshot, then changes), the JSON API, DOM helpers and
// formatting. Pages build their DOM with el(): text always goes in as text, never as HTML.

/** States worst first, as the board sorts them. */
export const STATES = ["Down", "Degraded", "Unknown", "Up"];

/** Rank of a state for sorting: Down 0 ... Up 3. */
export function stateRank(state) {
  const i = STATES.indexOf(state);
  return i < 0 ? STATES.indexOf("Unknown") : i;
}

/** The signed-in user as the server wrote it into the page. */
export const me = {
  name: document.body.dataset.user || "",
  role: document.body.dataset.role || "",
  get canAcknowledge() { return this.role === "engineer" || this.role === "admin"; },
};

/** Creates an element: el("td", { class: "x", dataset: { site: id } }, "text", childNode). */
export function el(tag, attrs, ...children) {
  const svg = tag.startsWith("svg:");
  const node = svg ? document.createElementNS("http://www.w3.org/2000/svg", tag.slice(4)) : document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** A site's kind for people: "hotspot-outdoor" is "Hotspot, outdoor". */
export function kindText(kind) {
  const [what, where] = String(kind || "").split("-", 2);
  const word = what ? what[0].toUpperCase() + what.slice(1) : "–";
  return where ? `${word}, ${where}` : word;
}

/** A state badge: the word, coloured. */
export function stateBadge(state) {
  return el("span", { class: `state state-${STATES.includes(state) ? state : "Unknown"}` }, state || "Unknown");
}

/** A severity badge. */
export function severityBadge(severity) {
  return el("span", { class: `sev sev-${severity}` }, severity);
}

/** False for no time, and for the Unix epoch the API sends as "since" of a site never heard from. */
function known(iso) {
  return Boolean(iso) && Date.parse(iso) > 0;
}

/** "3 min ago" style age of an ISO time. */
export function ago(iso, now = Date.now()) {
  if (!known(iso)) return "–";
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min ago`;
  return `${Math.floor(h / 24)} days ago`;
}

/** Local date and time, 24-hour, to the second. */
export function when(iso) {
  if (!known(iso)) return "–";
  const d = new Date(iso);
  return d.toLocaleString("en-GB", { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

/** A time element: the age as text, the exact time in datetime and title; refreshed by refreshAges(). */
export function timeAgo(iso) {
  if (!known(iso)) return el("span", { title: "no data yet" }, "–");
  return el("time", { datetime: iso, title: when(iso), class: "ago" }, ago(iso));
}

/** Keeps every timeAgo() on the page current. */
export function refreshAges() {
  const now = Date.now();
  for (const t of document.querySelectorAll("time.ago")) t.textContent = ago(t.getAttribute("datetime"), now);
}
setInterval(refreshAges, 15000);

/** Bits per second in SI units. */
export function bps(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  const units = BPS_UNITS;
  let i = 0;
  let x = Math.abs(v);
  while (x >= 1000 && i < units.length - 1) { x /= 1000; i++; }
  return `${(Math.sign(v) * x).toFixed(x < 10 && i > 0 ? 2 : x < 100 && i > 0 ? 1 : 0)} ${units[i]}`;
}

/** SI units of a bit rate, for bps() and a chart's axis. */
export const BPS_UNITS = ["bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s"];

/** The "nice" step (1, 2 or 5 times a power of ten) nearest above span/count, and never below minStep. */
function niceStep(span, count, minStep) {
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map(f => f * magnitude).find(s => s >= raw * (1 - 1e-9));
  return Math.max(step, minStep);
}

/**
 * The value range of a chart's axis: from 0 (or the lowest value below it) to a nice step above the highest value,
 * and at least minSpan wide, so a flat line, all zeros or a tiny wobble gets an axis of sensible, distinct ticks.
 */
export function axisRange(min, max, { minSpan = 1, minStep = 0, count = 5 } = {}) {
  const lo = Number.isFinite(min) ? Math.min(0, min) : 0;
  let hi = Number.isFinite(max) ? Math.max(0, max) : 0;
  if (hi - lo < minSpan) return [lo, lo + minSpan];
  hi += (hi - lo) * 0.05;
  const step = niceStep(hi - lo, count, minStep);
  return [lo, Math.ceil(hi / step - 1e-9) * step];
}

/** Ticks from lo to hi: multiples of a nice step (at least minStep), distinct, at most about count + 1 of them. */
export function axisTicks(lo, hi, { minStep = 0, count = 5 } = {}) {
  if (!(hi > lo)) return [lo];
  const step = niceStep(hi - lo, count, minStep);
  const ticks = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) ticks.push(Number((k * step).toPrecision(12)));
  return ticks;
}

/**
 * Labels of an axis's ticks in one unit (chosen by the largest tick; units.length 1 for none) with the fewest
 * decimals that keep distinct ticks distinct: never "1 bit/s, 1 bit/s, 0 bit/s".
 */
export function axisLabels(ticks, units, base = 1000) {
  const largest = Math.max(0, ...ticks.map(v => Math.abs(v)));
  let i = 0;
  while (largest >= base ** (i + 1) && i < units.length - 1) i++;
  const scaled = ticks.map(v => v / base ** i);
  const suffix = units[i] ? ` ${units[i]}` : "";
  for (let decimals = 0; ; decimals++) {
    const labels = scaled.map(v => `${(Object.is(v, -0) ? 0 : v).toFixed(decimals)}${suffix}`);
    if (new Set(labels).size === new Set(ticks).size || decimals >= 9) return labels;
  }
}

/** GET a JSON resource of the API; a lost session goes back to the login page. */
export async function api(path) {
  const response = await fetch(path, { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (response.status === 401) {
    location.assign(`/login?returnUrl=${encodeURIComponent(location.pathname + location.search)}`);
    throw new Error("signed out");
  }
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

/** Labels "k=v,k=v" as an object. */
export function parseLabels(labels) {
  const map = {};
  for (const pair of (labels || "").split(",")) {
    const eq = pair.indexOf("=");
    if (eq > 0) map[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return map;
}

const liveStatus = document.getElementById("live-status");

function showLive(state, text) {
  if (!liveStatus) return;
  liveStatus.className = `live live-${state}`;
  liveStatus.textContent = text;
  document.body.dataset.live = state;
}

/**
 * Connects to the live hub and keeps the page current, whatever the network does.
 *
 * After every (re)connection the page asks GetSnapshot and renders it whole; changes that arrive while the
 * snapshot is on its way are buffered and applied afterwards, only when their version is newer than the snapshot's.
 * The connection retries for ever (1, 2, 4, 8, then every 10 s), and the header says whether the page is live.
 *
 * handlers: { snapshot(s), siteChanged(site, version), alarmChanged(alarm), sitePoints(siteId, points), connected(connection) }
 */
export function connectLive(handlers) {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl("/hubs/live")
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => Math.min(10000, 1000 * 2 ** Math.min(ctx.previousRetryCount, 4)) })
    .configureLogging(signalR.LogLevel.Warning)
    .build();

  let version = null; // null while no snapshot is applied: changes wait in `pending`
  let pending = [];

  const apply = change => {
    if (change.kind === "site") {
      if (change.version > version) {
        version = change.version;
        handlers.siteChanged?.(change.site, change.version);
      }
    } else if (change.kind === "alarm") {
      handlers.alarmChanged?.(change.alarm);
    }
  };

  connection.on("siteChanged", (site, v) => {
    const change = { kind: "site", site, version: v };
    if (version === null) pending.push(change); else apply(change);
  });
  connection.on("alarmChanged", alarm => {
    const change = { kind: "alarm", alarm };
    if (version === null) pending.push(change); else apply(change);
  });
  connection.on("sitePoints", (siteId, points) => handlers.sitePoints?.(siteId, points));

  const synchronise = async () => {
    version = null;
    pending = [];
    const snapshot = await connection.invoke("GetSnapshot");
    version = snapshot.version;
    handlers.snapshot?.(snapshot);
    const buffered = pending;
    pending = [];
    for (const change of buffered) apply(change);
    await handlers.connected?.(connection);
    showLive("on", "Live");
  };

  let attempt = 0;
  const start = async () => {
    showLive(attempt === 0 ? "connecting" : "reconnecting", attempt === 0 ? "Connecting…" : "Reconnecting…");
    try {
      await connection.start();
      attempt = 0;
      await synchronise();
    } catch (error) {
      if (connection.state === signalR.HubConnectionState.Connected) {
        // Connected, but the snapshot failed: start over cleanly.
        await connection.stop().catch(() => {});
        return;
      }
      if (String(error).includes("401") || String(error).includes("403")) {
        location.assign(`/login?returnUrl=${encodeURIComponent(location.pathname + location.search)}`);
        return;
      }
      attempt++;
      showLive("off", "Offline, retrying…");
      setTimeout(start, Math.min(10000, 1000 * 2 ** Math.min(attempt, 4)));
    }
  };

  connection.onreconnecting(() => { version = null; pending = []; showLive("reconnecting", "Reconnecting…"); });
  connection.onreconnected(() => synchronise().catch(() => connection.stop().catch(() => {})));
  connection.onclose(() => { version = null; attempt++; showLive("off", "Offline, retrying…"); setTimeout(start, 1000); });

  start();
  return connection;
}

/** Recounts sites by state (the counts always agree with the rows shown). */
export function countStates(sites) {
  const counts = { Down: 0, Degraded: 0, Unknown: 0, Up: 0 };
  for (const site of sites) counts[STATES.includes(site.state) ? site.state : "Unknown"]++;
  return counts;
}

/** Writes counts into every [data-count=STATE] element of the page. */
export function showCounts(counts) {
  for (const node of document.querySelectorAll("[data-count]")) {
    node.textContent = String(counts[node.dataset.count] ?? 0);
  }
}
