// The alarm list: filters in the address (so a filtered view can be shared), several alarms acknowledged at once
// with a note, and live changes from the hub.
import { ago, alarmStateText, api, connectLive, el, me, plural, severityBadge, t, when } from "./noc.js";

const STATES = ["active", "open", "acknowledged", "cleared"];
const SEVERITIES = ["critical", "major", "minor", "warning"];
const SEVERITY_RANK = Object.fromEntries(SEVERITIES.map((s, i) => [s, i]));

const query = new URLSearchParams(location.search);
const filter = {
  state: STATES.includes(query.get("state")) ? query.get("state") : "active",
  site: (query.get("site") || "").slice(0, 128),
  severity: SEVERITIES.includes(query.get("severity")) ? query.get("severity") : "",
};

const stateSelect = document.getElementById("filter-state");
const siteSelect = document.getElementById("filter-site");
const severitySelect = document.getElementById("filter-severity");
const tbody = document.querySelector("#alarms tbody");
const empty = document.getElementById("alarms-empty");
const selectAll = document.getElementById("select-all");
const ackForm = document.getElementById("ack-form");
const ackButton = document.getElementById("ack-button");
const ackCount = document.getElementById("ack-count");
const ackNote = document.getElementById("ack-note");
const ackResult = document.getElementById("ack-result");

stateSelect.value = filter.state;
severitySelect.value = filter.severity;
if (filter.site) siteSelect.append(el("option", { value: filter.site }, filter.site));
siteSelect.value = filter.site;
ackForm.hidden = !me.canAcknowledge;
selectAll.disabled = !me.canAcknowledge;

const alarms = new Map();
const selected = new Set();
const siteNames = new Map();
let connection = null;

function matches(alarm) {
  const stateOk = filter.state === "active" ? alarm.state === "open" || alarm.state === "acknowledged" : alarm.state === filter.state;
  return stateOk && (!filter.site || alarm.site === filter.site) && (!filter.severity || alarm.severity === filter.severity);
}

function row(a) {
  const pickable = me.canAcknowledge && a.state === "open";
  const label = t("AlarmLabel", { id: a.id, message: a.message, site: siteNames.get(a.site) || a.site });
  return el("tr", { dataset: { alarm: a.id, state: a.state } },
    el("td", { class: "pick" }, pickable
      ? el("input", { type: "checkbox", value: a.id, checked: selected.has(a.id), "aria-label": t("SelectAlarm", { alarm: label }), onchange: e => pick(a.id, e.target.checked) })
      : ""),
    el("td", {}, severityBadge(a.severity)),
    el("td", {}, alarmStateText(a.state), a.suppressedBy ? el("span", { class: "flag", title: t("SuppressedBy", { by: a.suppressedBy }) }, t("Suppressed")) : null),
    el("td", {}, el("a", { href: `/sites/${encodeURIComponent(a.site)}` }, siteNames.get(a.site) || a.site)),
    el("td", {}, a.device || "–"),
    el("td", {}, a.message, a.note ? el("div", { class: "small" }, t("AlarmNote", { note: a.note })) : null),
    el("td", {}, el("time", { datetime: a.openedAt, title: ago(a.openedAt) }, when(a.openedAt))),
    el("td", {}, a.acknowledgedAt ? `${a.acknowledgedBy || "?"}, ${when(a.acknowledgedAt)}` : "–"),
    el("td", {}, a.clearedAt ? when(a.clearedAt) : "–"));
}

function render() {
  const list = [...alarms.values()].filter(matches)
    .sort((a, b) => (filter.state === "cleared" ? 0 : SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]) || Date.parse(b.openedAt) - Date.parse(a.openedAt));
  for (const id of [...selected]) {
    const a = alarms.get(id);
    if (!a || a.state !== "open" || !matches(a)) selected.delete(id);
  }
  tbody.replaceChildren(...list.map(row));
  empty.hidden = list.length > 0;
  updateSelection();
  document.body.dataset.alarms = String(list.length);
}

function pick(id, on) {
  if (on) selected.add(id); else selected.delete(id);
  updateSelection();
}

function updateSelection() {
  const pickable = [...tbody.querySelectorAll("input[type=checkbox]")];
  ackCount.textContent = String(selected.size);
  ackButton.disabled = selected.size === 0;
  selectAll.checked = pickable.length > 0 && pickable.every(box => box.checked);
  selectAll.indeterminate = selected.size > 0 && !selectAll.checked;
}

selectAll.addEventListener("change", () => {
  for (const box of tbody.querySelectorAll("input[type=checkbox]")) {
    box.checked = selectAll.checked;
    pick(Number(box.value), selectAll.checked);
  }
});

ackForm.addEventListener("submit", async event => {
  event.preventDefault();
  if (selected.size === 0 || !connection) return;
  const ids = [...selected];
  const note = ackNote.value.trim();
  ackButton.disabled = true;
  ackResult.textContent = t("Acknowledging");
  try {
    const n = await connection.invoke("AcknowledgeAlarms", ids, note.length > 0 ? note : null);
    ackResult.textContent = plural(n, "AckDoneOne", "AckDoneOther");
    selected.clear();
    ackNote.value = "";
    await load();
  } catch (error) {
    ackResult.textContent = t("AckFailed", { error: String(error.message || error).replace(/^.*HubException: /, "") });
  } finally {
    updateSelection();
  }
});

async function loadSites() {
  const sites = await api("/api/v1/sites").catch(() => []);
  sites.sort((a, b) => a.name.localeCompare(b.name));
  for (const s of sites) siteNames.set(s.id, s.name);
  siteSelect.replaceChildren(el("option", { value: "" }, t("AllSites")),
    ...sites.map(s => el("option", { value: s.id }, `${s.name} (${s.commune})`)));
  siteSelect.value = filter.site;
}

async function load() {
  const params = new URLSearchParams({ state: filter.state, limit: "500" });
  if (filter.site) params.set("site", filter.site);
  if (filter.severity) params.set("severity", filter.severity);
    // Changes pushed while the list is on its way are applied after it: they are newer.
  const pushed = [];
  during = pushed;
  try {
    const list = await api(`/api/v1/alarms?${params}`);
    alarms.clear();
    for (const a of list) alarms.set(a.id, a);
    for (const a of pushed) alarms.set(a.id, a);
  } finally {
    if (during === pushed) during = null;
  }
  render();
}
let during = null;

await loadSites();
connection = connectLive({
  // After every (re)connection the list is read again, so nothing missed while offline stays missing.
  snapshot() {
    load().catch(error => { ackResult.textContent = t("AlarmsLoadFailed", { error: error.message }); });
  },
  alarmChanged(alarm) {
    during?.push(alarm);
    alarms.set(alarm.id, alarm);
    render();
  },
});
