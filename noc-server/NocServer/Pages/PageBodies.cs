namespace Network.Noc.Pages;

/// <summary>The static body of each page; the scripts in <c>wwwroot/js</c> fill it from the API and the live hub.</summary>
internal static class PageBodies
{
    public const string Board = """
        <h1>Status board</h1>
        <section aria-labelledby="counts-heading">
          <h2 id="counts-heading" class="visually-hidden">Sites by state</h2>
          <ul class="counts" id="counts">
            <li class="count state-Down"><span class="count-n" data-count="Down">–</span> <span class="count-label">Down</span></li>
            <li class="count state-Degraded"><span class="count-n" data-count="Degraded">–</span> <span class="count-label">Degraded</span></li>
            <li class="count state-Unknown"><span class="count-n" data-count="Unknown">–</span> <span class="count-label">Unknown</span></li>
            <li class="count state-Up"><span class="count-n" data-count="Up">–</span> <span class="count-label">Up</span></li>
          </ul>
        </section>
        <section aria-labelledby="sites-heading">
          <div class="section-head">
            <h2 id="sites-heading">Sites</h2>
            <label class="inline" for="site-filter">Filter</label>
            <input id="site-filter" type="search" placeholder="name, commune, reason" autocomplete="off">
          </div>
          <table class="grid" id="sites">
            <caption class="visually-hidden">Sites, worst state first, most recent change first within a state</caption>
            <thead>
              <tr>
                <th scope="col">State</th>
                <th scope="col">Site</th>
                <th scope="col">Kind</th>
                <th scope="col">Commune</th>
                <th scope="col">Since</th>
                <th scope="col">Reason</th>
                <th scope="col" class="num">Open alarms</th>
              </tr>
            </thead>
            <tbody></tbody>
          </table>
          <p id="sites-empty" class="empty" hidden>No site matches.</p>
        </section>
        """;

    public const string Map = """
        <h1>Map</h1>
        <p class="lead">Sites of the region plotted from their coordinates (north up, equal scale on both axes); commune names
        stand at the centre of their sites. Choose a site to open its page.</p>
        <div class="map-layout">
          <div class="map-wrap">
            <svg id="map" role="group" aria-labelledby="map-caption" viewBox="0 0 1000 800" preserveAspectRatio="xMidYMid meet">
              <title id="map-caption">Sites by state, plotted by latitude and longitude</title>
            </svg>
            <div id="map-tip" class="tip" role="tooltip" hidden></div>
          </div>
          <aside class="legend" aria-labelledby="legend-heading">
            <h2 id="legend-heading">Legend</h2>
            <ul id="map-legend">
              <li><svg class="mark" viewBox="0 0 20 20" aria-hidden="true" focusable="false"><path class="mark-Down" d="M10 2 L18 17 L2 17 Z"/></svg> Down <span class="count-n" data-count="Down">–</span></li>
              <li><svg class="mark" viewBox="0 0 20 20" aria-hidden="true" focusable="false"><rect class="mark-Degraded" x="3" y="3" width="14" height="14"/></svg> Degraded <span class="count-n" data-count="Degraded">–</span></li>
              <li><svg class="mark" viewBox="0 0 20 20" aria-hidden="true" focusable="false"><circle class="mark-Unknown" cx="10" cy="10" r="7"/></svg> Unknown <span class="count-n" data-count="Unknown">–</span></li>
              <li><svg class="mark" viewBox="0 0 20 20" aria-hidden="true" focusable="false"><circle class="mark-Up" cx="10" cy="10" r="7"/></svg> Up <span class="count-n" data-count="Up">–</span></li>
            </ul>
            <p class="small">Shape and colour both tell the state; hover or focus a site for its details.</p>
          </aside>
        </div>
        """;

    public const string Site = """
        <p class="crumbs"><a href="/">Status board</a> <span aria-hidden="true">›</span> <span id="site-crumb">Site</span></p>
        <h1 id="site-name">Site</h1>
        <dl class="facts" id="site-facts">
          <div><dt>State</dt><dd id="site-state">–</dd></div>
          <div><dt>Since</dt><dd id="site-since">–</dd></div>
          <div><dt>Reason</dt><dd id="site-reason">–</dd></div>
          <div><dt>Kind</dt><dd id="site-kind">–</dd></div>
          <div><dt>Commune</dt><dd id="site-commune">–</dd></div>
          <div><dt>Lifecycle</dt><dd id="site-lifecycle">–</dd></div>
        </dl>
        <section aria-labelledby="charts-heading">
          <h2 id="charts-heading">Last hour</h2>
          <div class="charts">
            <figure class="chart-box" aria-labelledby="throughput-caption">
              <figcaption id="throughput-caption">Uplink throughput (bit/s)</figcaption>
              <div id="chart-throughput" class="chart"></div>
              <p class="chart-latest" id="throughput-latest" aria-live="off">No data yet.</p>
            </figure>
            <figure class="chart-box" aria-labelledby="latency-caption">
              <figcaption id="latency-caption">Latency of the uplink probes (ms)</figcaption>
              <div id="chart-latency" class="chart"></div>
              <p class="chart-latest" id="latency-latest" aria-live="off">No data yet.</p>
            </figure>
            <figure class="chart-box" aria-labelledby="clients-caption">
              <figcaption id="clients-caption">Wifi clients</figcaption>
              <div id="chart-clients" class="chart"></div>
              <p class="chart-latest" id="clients-latest" aria-live="off">No data yet.</p>
            </figure>
          </div>
        </section>
        <section aria-labelledby="devices-heading">
          <h2 id="devices-heading">Devices</h2>
          <table class="grid" id="devices">
            <thead>
              <tr>
                <th scope="col">State</th>
                <th scope="col">Device</th>
                <th scope="col">Since</th>
                <th scope="col">Reason</th>
                <th scope="col">Last seen</th>
              </tr>
            </thead>
            <tbody></tbody>
          </table>
          <p id="devices-empty" class="empty" hidden>No devices.</p>
        </section>
        <section aria-labelledby="site-alarms-heading">
          <h2 id="site-alarms-heading">Open alarms</h2>
          <table class="grid" id="site-alarms">
            <thead>
              <tr>
                <th scope="col">Severity</th>
                <th scope="col">State</th>
                <th scope="col">Device</th>
                <th scope="col">Alarm</th>
                <th scope="col">Opened</th>
              </tr>
            </thead>
            <tbody></tbody>
          </table>
          <p id="site-alarms-empty" class="empty" hidden>No open alarm.</p>
          <p><a id="site-alarms-link" href="/alarms">Alarms of this site, history included</a></p>
        </section>
        """;

    public const string Alarms = """
        <h1>Alarms</h1>
        <form id="alarm-filters" class="filters" method="get" action="/alarms">
          <label for="filter-state">State</label>
          <select id="filter-state" name="state">
            <option value="active">Active (open or acknowledged)</option>
            <option value="open">Open</option>
            <option value="acknowledged">Acknowledged</option>
            <option value="cleared">Cleared (history)</option>
          </select>
          <label for="filter-site">Site</label>
          <select id="filter-site" name="site">
            <option value="">All sites</option>
          </select>
          <label for="filter-severity">Severity</label>
          <select id="filter-severity" name="severity">
            <option value="">Any</option>
            <option value="critical">Critical</option>
            <option value="major">Major</option>
            <option value="minor">Minor</option>
            <option value="warning">Warning</option>
          </select>
          <button type="submit">Show</button>
        </form>
        <form id="ack-form" class="ack" hidden>
          <label for="ack-note">Note</label>
          <input id="ack-note" name="note" type="text" maxlength="500" autocomplete="off" placeholder="what you are doing about it">
          <button type="submit" id="ack-button" disabled>Acknowledge selected (<span id="ack-count">0</span>)</button>
          <p id="ack-result" class="result" role="status"></p>
        </form>
        <table class="grid" id="alarms">
          <caption class="visually-hidden">Alarms, newest first</caption>
          <thead>
            <tr>
              <th scope="col" class="pick"><input type="checkbox" id="select-all" aria-label="Select every open alarm shown"></th>
              <th scope="col">Severity</th>
              <th scope="col">State</th>
              <th scope="col">Site</th>
              <th scope="col">Device</th>
              <th scope="col">Alarm</th>
              <th scope="col">Opened</th>
              <th scope="col">Acknowledged</th>
              <th scope="col">Cleared</th>
            </tr>
          </thead>
          <tbody></tbody>
        </table>
        <p id="alarms-empty" class="empty" hidden>No alarm matches.</p>
        """;
}
