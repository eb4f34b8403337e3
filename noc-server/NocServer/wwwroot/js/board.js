// The status board: counts by state and every site, worst first, and the users online per hotspot, kept live by the hub.
import { connectLive, countStates, el, kindText, lifecycleText, number, showCounts, showUsersOnline, stateBadge, stateRank, stateText, t, timeAgo } from "./noc.js";

const tbody = document.querySelector("#sites tbody");
const empty = document.getElementById("sites-empty");
const filter = document.getElementById("site-filter");
const sites = new Map();

// Worst state first; within a state the most recent change first, so a new outage is at the top of its group.
function compare(a, b) {
  return stateRank(a.state) - stateRank(b.state)
    || Date.parse(b.since) - Date.parse(a.since)
    || a.name.localeCompare(b.name);
}

function row(site, changed) {
  return el("tr", { dataset: { site: site.id, state: site.state }, class: changed ? "changed" : null },
    el("td", {}, stateBadge(site.state), site.flapping ? el("span", { class: "flag", title: t("FlappingTitle") }, t("Flapping")) : null),
    el("th", { scope: "row" }, el("a", { href: `/sites/${encodeURIComponent(site.id)}` }, site.name)),
    el("td", {}, kindText(site.kind), site.lifecycle && site.lifecycle !== "active" ? el("span", { class: "lifecycle" }, ` · ${lifecycleText(site.lifecycle)}`) : null),
    el("td", {}, site.commune),
    el("td", {}, timeAgo(site.since)),
    el("td", { class: "reason" }, site.reason || ""),
    el("td", { class: "num" }, site.openAlarms > 0
      ? el("a", { href: `/alarms?site=${encodeURIComponent(site.id)}`, "aria-label": t("OpenAlarmsAt", { n: number(site.openAlarms), site: site.name }) }, number(site.openAlarms))
      : number(0)));
}

function matches(site, text) {
  if (!text) return true;
  const lower = text.toLowerCase();
  return [site.name, site.id, site.commune, kindText(site.kind), site.lifecycle, lifecycleText(site.lifecycle), site.reason, site.state, stateText(site.state)]
    .some(v => (v || "").toLowerCase().includes(lower));
}

function render(changedId) {
  const text = filter.value.trim();
  const shown = [...sites.values()].filter(s => matches(s, text)).sort(compare);
  tbody.replaceChildren(...shown.map(s => row(s, s.id === changedId)));
  empty.hidden = shown.length > 0;
  showCounts(countStates(sites.values()));
  document.body.dataset.sites = String(sites.size);
}

filter.addEventListener("input", () => render(null));

connectLive({
  snapshot(snapshot) {
    sites.clear();
    for (const site of snapshot.sites) sites.set(site.id, site);
    render(null);
  },
  siteChanged(site) {
    const before = sites.get(site.id);
    sites.set(site.id, site);
    render(before && before.state !== site.state ? site.id : null);
  },
  usersOnline(online) {
    showUsersOnline(document.querySelector(`#online tbody tr[data-site="${CSS.escape(online.site)}"]`), online);
  },
});
