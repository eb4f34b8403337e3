// The map: every site plotted from its coordinates, coloured and shaped by state, kept live by the hub.
// No tile server can be reached, so this is a coordinate plot: an equirectangular projection around the region's
// mean latitude, with longitudes scaled by cos(latitude) so that a kilometre is as long east-west as north-south.
import { connectLive, countStates, el, kindText, number, showCounts, stateRank, stateText, t, when } from "./noc.js";

const svg = document.getElementById("map");
const tip = document.getElementById("map-tip");
const wrap = svg.parentElement;

// The Brussels-Capital Region lies within about 50.76-50.92 N and 4.24-4.48 E; the plot grows if a site lies outside.
const REGION = { south: 50.76, north: 50.92, west: 4.24, east: 4.48 };
const WIDTH = 1000;
const MARGIN = 40;
const KM_PER_DEGREE_LAT = 111.32;

const sites = new Map();
let projection = null;

/** Sites without coordinates (not yet surveyed) are left off the plot but still counted. */
function placed(s) {
  return Number.isFinite(s.latitude) && Number.isFinite(s.longitude) && !(s.latitude === 0 && s.longitude === 0);
}

function bounds() {
  const b = { ...REGION };
  for (const s of sites.values()) {
    if (!placed(s)) continue;
    b.south = Math.min(b.south, s.latitude - 0.005);
    b.north = Math.max(b.north, s.latitude + 0.005);
    b.west = Math.min(b.west, s.longitude - 0.008);
    b.east = Math.max(b.east, s.longitude + 0.008);
  }
  return b;
}

function makeProjection(b) {
  const k = Math.cos(((b.south + b.north) / 2) * Math.PI / 180);
  const scale = (WIDTH - 2 * MARGIN) / ((b.east - b.west) * k);
  const height = Math.round((b.north - b.south) * scale + 2 * MARGIN);
  return {
    b, k, scale, height,
    x: lon => MARGIN + (lon - b.west) * k * scale,
    y: lat => MARGIN + (b.north - lat) * scale,
  };
}

function marker(state) {
  switch (state) {
    case "Down": return el("svg:path", { class: "mark-Down", d: "M0 -9 L8.5 6 L-8.5 6 Z" });
    case "Degraded": return el("svg:rect", { class: "mark-Degraded", x: -6.5, y: -6.5, width: 13, height: 13 });
    case "Up": return el("svg:circle", { class: "mark-Up", r: 6 });
    default: return el("svg:circle", { class: "mark-Unknown", r: 6 });
  }
}

function describe(site) {
  return `${site.name}: ${stateText(site.state)}${site.reason ? ` (${site.reason})` : ""}, ${t("SinceTime", { time: when(site.since) })}; ${kindText(site.kind)}; ${site.commune}; ${openAlarms(site)}`;
}

function openAlarms(site) {
  return t("OpenAlarmsCount", { n: number(site.openAlarms) });
}

function siteNode(site) {
  const p = projection;
  const a = el("svg:a", {
    href: `/sites/${encodeURIComponent(site.id)}`,
    class: "site",
    "aria-label": describe(site),
    dataset: { site: site.id, state: site.state },
    transform: `translate(${p.x(site.longitude).toFixed(1)} ${p.y(site.latitude).toFixed(1)})`,
  }, el("svg:circle", { class: "halo", r: 11 }), marker(site.state));
  const show = () => showTip(site, a);
  a.addEventListener("mouseenter", show);
  a.addEventListener("focus", show);
  a.addEventListener("mouseleave", hideTip);
  a.addEventListener("blur", hideTip);
  return a;
}

function showTip(site, node) {
  // replaceChildren writes null as the text "null": leave out what a site does not have.
  tip.replaceChildren(...[
    el("strong", {}, site.name),
    el("span", {}, `${stateText(site.state)}${site.flapping ? `, ${t("Flapping")}` : ""} ${t("SinceTime", { time: when(site.since) })}`), el("br"),
    site.reason ? el("span", {}, site.reason) : null, site.reason ? el("br") : null,
    el("span", {}, `${kindText(site.kind)} · ${site.commune} · ${openAlarms(site)}`),
  ].filter(Boolean));
  const box = node.getBoundingClientRect();
  const outer = wrap.getBoundingClientRect();
  tip.hidden = false;
  let left = box.right - outer.left + 8;
  if (left + tip.offsetWidth > outer.width) left = box.left - outer.left - tip.offsetWidth - 8;
  tip.style.left = `${Math.max(0, left)}px`;
  tip.style.top = `${Math.max(0, box.top - outer.top - 4)}px`;
}

function hideTip() {
  tip.hidden = true;
}

function background(p) {
  const g = el("svg:g", { "aria-hidden": "true" });
  const { b } = p;
  g.append(el("svg:rect", { class: "frame", x: MARGIN, y: MARGIN, width: WIDTH - 2 * MARGIN, height: p.height - 2 * MARGIN }));
  // Graticule: every 0.02 degree of latitude, every 0.04 of longitude (about 2.2 and 2.8 km here).
  for (let lat = Math.ceil(b.south / 0.02) * 0.02; lat <= b.north; lat += 0.02) {
    const y = p.y(lat);
    g.append(el("svg:line", { class: "grid-line", x1: MARGIN, x2: WIDTH - MARGIN, y1: y, y2: y }));
    g.append(el("svg:text", { class: "tick", x: 4, y: y + 4 }, `${number(lat, 2)}° ${t("North")}`));
  }
  for (let lon = Math.ceil(b.west / 0.04) * 0.04; lon <= b.east; lon += 0.04) {
    const x = p.x(lon);
    g.append(el("svg:line", { class: "grid-line", x1: x, x2: x, y1: MARGIN, y2: p.height - MARGIN }));
    g.append(el("svg:text", { class: "tick", x: x - 18, y: p.height - MARGIN + 16 }, `${number(lon, 2)}° ${t("East")}`));
  }
  // A 2 km scale bar, bottom right.
  const km2 = (2 / KM_PER_DEGREE_LAT) * p.scale;
  const x0 = WIDTH - MARGIN - 12 - km2;
  const y0 = p.height - MARGIN - 14;
  g.append(el("svg:line", { class: "scale", x1: x0, x2: x0 + km2, y1: y0, y2: y0 }));
  g.append(el("svg:text", { class: "tick", x: x0, y: y0 - 5 }, `${number(2)} km`));
  g.append(el("svg:text", { class: "tick", x: WIDTH - MARGIN - 14, y: MARGIN + 16 }, `${t("North")} ↑`));
  return g;
}

// Room a label keeps from a marker (its halo is 11 units) and from another label (the text's white outline is 2).
const MARKER_ROOM = 12;
const LABEL_GAP = 3;

function overlaps(a, b) {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

/**
 * Writes each commune's name near the middle of its sites, at the first place around it (above, below, beside,
 * diagonally; nearer first) where it covers no marker and no other name. The names are measured in the page, so the
 * plot must be in the document. A name with no free place within reach is left out (the sites' tooltips name it).
 */
function placeCommuneLabels(p, g) {
  const byCommune = new Map();
  const obstacles = [];
  for (const s of sites.values()) {
    if (!placed(s)) continue;
    const x = p.x(s.longitude), y = p.y(s.latitude);
    obstacles.push({ left: x - MARKER_ROOM, right: x + MARKER_ROOM, top: y - MARKER_ROOM, bottom: y + MARKER_ROOM });
    if (!s.commune) continue;
    const c = byCommune.get(s.commune) || { x: 0, y: 0, n: 0 };
    c.x += x;
    c.y += y;
    c.n++;
    byCommune.set(s.commune, c);
  }
  const frame = { left: MARGIN, right: WIDTH - MARGIN, top: MARGIN, bottom: p.height - MARGIN };
  const directions = [[0, -1], [0, 1], [1, 0], [-1, 0], [1, -1], [-1, -1], [1, 1], [-1, 1]];
  // Communes with the most sites first: their names are the likeliest to be looked for.
  for (const [name, c] of [...byCommune].sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0]))) {
    const text = el("svg:text", { class: "commune", x: 0, y: 0 }, name);
    g.append(text);
    const box = text.getBBox();
    const cx = c.x / c.n, cy = c.y / c.n;
    let spot = null;
    for (let d = MARKER_ROOM + 2; d <= 120 && !spot; d += 8) {
      for (const [dx, dy] of directions) {
        const left = cx + dx * d - box.width / 2 + (dx * box.width) / 2;
        const top = cy + dy * d - box.height / 2 + (dy * box.height) / 2;
        const r = { left: left - LABEL_GAP, right: left + box.width + LABEL_GAP, top: top - LABEL_GAP, bottom: top + box.height + LABEL_GAP };
        if (r.left < frame.left || r.right > frame.right || r.top < frame.top || r.bottom > frame.bottom) continue;
        if (obstacles.some(o => overlaps(o, r))) continue;
        spot = { left, top, r };
        break;
      }
    }
    if (!spot) {
      text.remove();
      continue;
    }
    text.setAttribute("x", (spot.left - box.x).toFixed(1));
    text.setAttribute("y", (spot.top - box.y).toFixed(1));
    obstacles.push(spot.r);
  }
}

function render() {
  projection = makeProjection(bounds());
  svg.setAttribute("viewBox", `0 0 ${WIDTH} ${projection.height}`);
  const title = svg.querySelector("title");
  const points = el("svg:g", { id: "map-sites" });
  // Worst drawn last, so it is on top; the keyboard meets the sites in the same order as the board.
  const ordered = [...sites.values()].filter(placed).sort((a, b) => stateRank(b.state) - stateRank(a.state) || a.name.localeCompare(b.name));
  for (const s of ordered) points.append(siteNode(s));
  const labels = el("svg:g", { "aria-hidden": "true", id: "map-communes" });
  svg.replaceChildren(title, background(projection), labels, points);
  placeCommuneLabels(projection, labels);
  showCounts(countStates(sites.values()));
  document.body.dataset.sites = String(sites.size);
}

function update(site) {
  const old = sites.get(site.id);
  sites.set(site.id, site);
  const moved = !old || old.latitude !== site.latitude || old.longitude !== site.longitude || old.commune !== site.commune;
  const node = svg.querySelector(`a.site[data-site="${CSS.escape(site.id)}"]`);
  if (moved || !node || !projection || !placed(site)) {
    render();
    return;
  }
  const focused = document.activeElement === node;
  const fresh = siteNode(site);
  if (stateRank(site.state) < stateRank(old.state)) {
    // Worse now: drawn last, on top of its neighbours.
    node.remove();
    svg.querySelector("#map-sites").append(fresh);
  } else {
    node.replaceWith(fresh);
  }
  if (focused) fresh.focus();
  showCounts(countStates(sites.values()));
}

connectLive({
  snapshot(snapshot) {
    sites.clear();
    for (const s of snapshot.sites) sites.set(s.id, s);
    render();
  },
  siteChanged: update,
});
