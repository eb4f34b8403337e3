// What every page of the NOC shares: the live connection (snapshot, then changes), the JSON API, DOM helpers, the
// page's texts and formatting. Pages build their DOM with el(): text always goes in as text, never as HTML.
//
// Every text a person reads comes from the page (t(): the JSON block #noc-text the layout writes in the page's
// language); numbers and times are written with Intl in the page's language (<html lang>) and the region's time zone
// (<body data-time-zone>).

/** The page's language (nl-BE, fr-BE, en-GB) and the time zone its times are shown in. */
export const LANG = document.documentElement.lang || "en-GB";
export const TIME_ZONE = document.body.dataset.timeZone || undefined;

const TEXTS = JSON.parse(document.getElementById("noc-text")?.textContent || "{}");

/** The page's text for key, with {name} replaced by values.name: t("OpenAlarmsAt", { n: 2, site: "Jette" }). */
export function t(key, values = {}) {
  const text = TEXTS[key];
  if (text === undefined) {
    console.error(`the page has no text ${key}`);
    return key;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** The one of two texts that fits n in the page's language: plural(n, "AckDoneOne", "AckDoneOther"). */
export function plural(n, one, other) {
  return new Intl.PluralRules(LANG).select(n) === "one" ? t(one, { n: number(n) }) : t(other, { n: number(n) });
}

const numberFormats = new Map();

/** A number in the page's language with exactly `decimals` decimals ("95.0", "95,0"). */
export function number(v, decimals = 0) {
  let format = numberFormats.get(decimals);
  if (!format) {
    format = new Intl.NumberFormat(LANG, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    numberFormats.set(decimals, format);
  }
  return format.format(v);
}

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

/** A site's kind for people: "hotspot-outdoor" is "Hotspot, outdoor"; a kind the pages do not know is shown as it is. */
export function kindText(kind) {
  switch (kind) {
    case "hotspot-outdoor": return t("KindHotspotOutdoor");
    case "hotspot-indoor": return t("KindHotspotIndoor");
    case "school": return t("KindSchool");
    default: return kind || "–";
  }
}

/** A site's lifecycle for people. */
export function lifecycleText(lifecycle) {
  switch (lifecycle) {
    case "planned": return t("LifecyclePlanned");
    case "installing": return t("LifecycleInstalling");
    case "active": return t("LifecycleActive");
    case "retired": return t("LifecycleRetired");
    default: return lifecycle || "–";
  }
}

/** A state's word (the state itself stays in data-state for machines). */
export function stateText(state) {
  switch (state) {
    case "Down": return t("StateDown");
    case "Degraded": return t("StateDegraded");
    case "Up": return t("StateUp");
    default: return t("StateUnknown");
  }
}

/** A severity's word. */
export function severityText(severity) {
  switch (severity) {
    case "critical": return t("SeverityCritical");
    case "major": return t("SeverityMajor");
    case "minor": return t("SeverityMinor");
    case "warning": return t("SeverityWarning");
    default: return severity;
  }
}

/** An alarm's state in words. */
export function alarmStateText(state) {
  switch (state) {
    case "open": return t("AlarmOpen");
    case "acknowledged": return t("AlarmAcknowledged");
    case "cleared": return t("AlarmCleared");
    default: return state;
  }
}

/** A state badge: the word, coloured. */
export function stateBadge(state) {
  return el("span", { class: `state state-${STATES.includes(state) ? state : "Unknown"}` }, stateText(state));
}

/** A severity badge. */
export function severityBadge(severity) {
  return el("span", { class: `sev sev-${severity}` }, severityText(severity));
}

/** False for no time, and for the Unix epoch the API sends as "since" of a site never heard from. */
function known(iso) {
  return Boolean(iso) && Date.parse(iso) > 0;
}

/** "3 min ago" style age of an ISO time. */
export function ago(iso, now = Date.now()) {
  if (!known(iso)) return "–";
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return t("AgoSeconds", { n: number(s) });
  const m = Math.floor(s / 60);
  if (m < 60) return t("AgoMinutes", { n: number(m) });
  const h = Math.floor(m / 60);
  if (h < 48) return t("AgoHours", { h: number(h), m: number(m % 60) });
  return t("AgoDays", { n: number(Math.floor(h / 24)) });
}

const dateTime = new Intl.DateTimeFormat(LANG, {
  year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZone: TIME_ZONE,
});
const clockTime = new Intl.DateTimeFormat(LANG, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: TIME_ZONE });

/** Date and time in the region's time zone, 24-hour, to the second, written as the page's language writes it. */
export function when(iso) {
  if (!known(iso)) return "–";
  return dateTime.format(new Date(iso));
}

/** Hours and minutes of a Unix time in seconds (a chart's time axis). */
export function clock(seconds) {
  return clockTime.format(new Date(seconds * 1000));
}

/** A time element: the age as text, the exact time in datetime and title; refreshed by refreshAges(). */
export function timeAgo(iso) {
  if (!known(iso)) return el("span", { title: t("NoDataYet") }, "–");
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
  return `${number(Math.sign(v) * x, x < 10 && i > 0 ? 2 : x < 100 && i > 0 ? 1 : 0)} ${units[i]}`;
}

/** SI units of a bit rate, for bps() and a chart's axis (symbols, the same in every language). */
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
    const labels = scaled.map(v => `${number(Object.is(v, -0) ? 0 : v, decimals)}${suffix}`);
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
 * Users online per hotspot come in the snapshot and as pushes; only a figure newer than the one shown is handed on.
 *
 * handlers: { snapshot(s), siteChanged(site, version), alarmChanged(alarm), usersOnline(online), sitePoints(siteId, points), connected(connection) }
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

  const onlineAt = new Map(); // hotspot -> time of the figure shown (ms)
  const offerOnline = online => {
    const at = Date.parse(online.at);
    if (onlineAt.get(online.site) >= at) return;
    onlineAt.set(online.site, at);
    handlers.usersOnline?.(online);
  };
  connection.on("usersOnlineChanged", offerOnline);

  const synchronise = async () => {
    version = null;
    pending = [];
    const snapshot = await connection.invoke("GetSnapshot");
    version = snapshot.version;
    handlers.snapshot?.(snapshot);
    for (const online of snapshot.online || []) offerOnline(online);
    const buffered = pending;
    pending = [];
    for (const change of buffered) apply(change);
    await handlers.connected?.(connection);
    showLive("on", t("LiveOn"));
  };

  let attempt = 0;
  const start = async () => {
    showLive(attempt === 0 ? "connecting" : "reconnecting", attempt === 0 ? t("LiveConnecting") : t("LiveReconnecting"));
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
      showLive("off", t("LiveOffline"));
      setTimeout(start, Math.min(10000, 1000 * 2 ** Math.min(attempt, 4)));
    }
  };

  connection.onreconnecting(() => { version = null; pending = []; showLive("reconnecting", t("LiveReconnecting")); });
  connection.onreconnected(() => synchronise().catch(() => connection.stop().catch(() => {})));
  connection.onclose(() => { version = null; attempt++; showLive("off", t("LiveOffline")); setTimeout(start, 1000); });

  start();
  return connection;
}

/**
 * Writes a hotspot's users online into what the server wrote for it inside `box` (UsersOnlineFigure): the number in
 * [data-users], the time of the figure in [data-online-at].
 */
export function showUsersOnline(box, online) {
  const users = box?.querySelector("[data-users]");
  const at = box?.querySelector("[data-online-at]");
  if (!users || !at) return;
  users.textContent = number(online.users);
  users.dataset.users = String(online.users);
  users.classList.remove("empty");
  at.replaceChildren("(", el("time", { datetime: online.at }, when(online.at)), ")");
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
