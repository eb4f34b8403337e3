using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Network.Contracts;
using Network.Noc.Ingest;
using Network.Noc.Inventory;
using Network.Noc.Reports;
using Network.Noc.Tests.Ingest;
using Network.TestSupport;

namespace Network.Noc.Tests.Reports;

/// <summary>The portal's figures reach the NOC as the hotspot's, in the new shape and the old, and no device is made of them.</summary>
public sealed class HotspotUsageIngestTests : IDisposable
{
    private readonly TempFolder _data = new("noc-usage");

    public void Dispose() => _data.Dispose();

    private static string Month(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels")).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static Sample Figure(string metric, double value, DateTimeOffset at, string device = DeviceNames.Hotspot) =>
        new(NocHost.Site, device, metric, at, value);

    [Fact]
    public async Task Month_totals_peak_and_distinct_users_are_kept_for_the_hotspot_from_new_and_old_portals_and_no_device_appears()
    {
        var stored = new StoredBatches();
        await using NocHost noc = await NocHost.StartAsync(services => services.AddSingleton<IIngestObserver>(stored));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        var users = new UserCountSketch();
        foreach (string user in new[] { "marie", "jan", "ahmed" })
        {
            users.Add(user);
        }

        var later = new UserCountSketch();
        later.Add("marie");
        later.Add("sofie");
        SampleBatch first = NocHost.Batch(1,
            Figure(MetricNames.UsersOnline, 5, now.AddSeconds(-2)), Figure(MetricNames.SessionsMonth, 12, now.AddSeconds(-2)),
            Figure(MetricNames.LoginsMonth, 10, now.AddSeconds(-2)), Figure(MetricNames.RegistrationsMonth, 2, now.AddSeconds(-2)),
            Figure(MetricNames.OctetsMonth, 123_456_789_012, now.AddSeconds(-2))) with
        {
            Sketches = [new UserSketch(NocHost.Site, Month(now), users.ToBase64()), new UserSketch(NocHost.Site, "2026-13", users.ToBase64()),
                new UserSketch(NocHost.Site, Month(now), "bm90IGEgc2tldGNo")],
        };
        // An older portal: its figures under the device it was, users online only.
        SampleBatch old = NocHost.Batch(2, Figure(MetricNames.UsersOnline, 7, now.AddSeconds(-1), DeviceNames.LegacyPortal),
            Figure(MetricNames.LoginsPerHour, 3, now.AddSeconds(-1), DeviceNames.LegacyPortal));
        // A report sent before the first one but arriving after it (totals of an earlier moment) changes no total; a sketch merges.
        SampleBatch late = NocHost.Batch(3, Figure(MetricNames.SessionsMonth, 9, now.AddSeconds(-3))) with
        {
            Sketches = [new UserSketch(NocHost.Site, Month(now), later.ToBase64())],
        };

        using HttpResponseMessage a = await noc.IngestAsync(first);
        using HttpResponseMessage b = await noc.IngestAsync(old);
        using HttpResponseMessage c = await noc.IngestAsync(late);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (a.StatusCode, b.StatusCode, c.StatusCode));
        IngestAnswer answer = (await a.Content.ReadFromJsonAsync<IngestAnswer>())!;
        Assert.Equal((5, 2), (answer.Accepted, answer.Rejected));
        Assert.All(answer.Errors, e => Assert.Contains("sketch", e, StringComparison.Ordinal));
        await stored.ObservedAsync(3).WaitAsync(TimeSpan.FromSeconds(30));

        IServiceProvider services = noc.Factory.Services;
        Site site = services.GetRequiredService<InventoryService>().Find(NocHost.Site)!;
        Assert.Equal([NocHost.Site], site.Devices.Select(d => d.Name));
        Assert.Equal(NocHost.Site, site.Uplink!.Name);

        HotspotMonth month = Assert.Single(await services.GetRequiredService<UsageStore>().MonthsAsync(Month(now), Month(now), CancellationToken.None));
        Assert.Equal((NocHost.Site, 12L, 10L, 2L, 123_456_789_012L, 7L), (month.Site, month.Sessions, month.Logins, month.Registrations, month.Octets, month.PeakUsers));
        Assert.Equal(now.AddSeconds(-1).ToUnixTimeMilliseconds(), month.PeakAt!.Value.ToUnixTimeMilliseconds());
        Assert.Equal(4, month.Users!.Estimate());
        Assert.Equal(7, services.GetRequiredService<UsageRecorder>().Online[NocHost.Site].Users);
    }

    [Fact]
    public async Task A_store_where_an_older_NOC_registered_the_portal_as_devices_loses_them_and_the_uplink_goes_to_a_real_device()
    {
        File.Copy(Path.Combine(ServiceProcess.RepositoryRoot, "tests", "NocServer.Tests", "Fixtures", "noc-11e4300.db"), _data.PathOf("noc.db"));
        using (var connection = new SqliteConnection($"Data Source={_data.PathOf("noc.db")};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand command = connection.CreateCommand();
            // As the old NOC left it: at hs-flageyplein the portal reported first and became the uplink; at hs-beursplein it is an access device.
            command.CommandText = """
                DELETE FROM devices WHERE site_id = 'hs-flageyplein';
                INSERT INTO devices VALUES ('hs-flageyplein', 'captive-portal', 'uplink', NULL, 1);
                INSERT INTO devices VALUES ('hs-flageyplein', 'hs-flageyplein', 'access', 'captive-portal', 2);
                INSERT INTO devices VALUES ('hs-flageyplein', 'hs-flageyplein-ap2', 'access', 'captive-portal', 3);
                INSERT INTO devices VALUES ('hs-beursplein', 'captive-portal', 'access', 'hs-beursplein', 4);
                """;
            command.ExecuteNonQuery();
        }

        await using NocHost noc = await NocHost.StartAsync(("Storage:DataDirectory", _data.FullPath));
        InventoryService inventory = noc.Factory.Services.GetRequiredService<InventoryService>();

        Assert.DoesNotContain(inventory.Sites.Values.SelectMany(s => s.Devices), d => d.Name == DeviceNames.LegacyPortal);
        Assert.Equal([("hs-flageyplein", DeviceRoles.Uplink, (string?)null), ("hs-flageyplein-ap2", DeviceRoles.Access, "hs-flageyplein")],
            inventory.Find("hs-flageyplein")!.Devices.Select(d => (d.Name, d.Role, d.Parent)));
        Assert.Equal(["hs-beursplein", "hs-beursplein-ap-legacy"], inventory.Find("hs-beursplein")!.Devices.Select(d => d.Name));
    }

    [Fact]
    public async Task The_monthly_report_and_its_csv_show_a_hotspots_month_and_a_bad_period_is_refused()
    {
        var observed = new StoredBatches();
        await using NocHost noc = await NocHost.StartAsync(services => services.AddSingleton<IIngestObserver>(observed));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using (HttpResponseMessage stored = await noc.IngestAsync(NocHost.Batch(1, Figure(MetricNames.SessionsMonth, 12, now), Figure(MetricNames.LoginsMonth, 11, now),
            Figure(MetricNames.OctetsMonth, 5_000_000, now), Figure(MetricNames.UsersOnline, 4, now))))
        {
            Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        }

        await observed.ObservedAsync(1).WaitAsync(TimeSpan.FromSeconds(30));
        using HttpClient planner = await noc.SignedInAsync("planner");
        PeriodReport report = (await planner.GetFromJsonAsync<PeriodReport>(new Uri($"/api/v1/reports/monthly?month={Month(now)}", UriKind.Relative),
            System.Text.Json.JsonSerializerOptions.Web))!;
        HotspotUsage beurs = Assert.Single(report.Hotspots.Hotspots, h => h.Site == NocHost.Site);
        Assert.Equal((12L, 11L, 5_000_000L, 4L), (beurs.Figures.Sessions, beurs.Figures.Logins, beurs.Figures.Octets, beurs.Figures.PeakUsers));
        Assert.Equal((12L, 4L), (report.Hotspots.Network.Sessions, report.Hotspots.Network.PeakUsers));
        Assert.Equal(NocHost.Site, report.Hotspots.Top[0].Site);

        string csv = await planner.GetStringAsync(new Uri($"/api/v1/reports/monthly/hotspots.csv?month={Month(now)}", UriKind.Relative));
        Assert.StartsWith("site,name,commune,availability_percent,sessions,distinct_users,logins,registrations,octets,peak_users_online\r\n", csv, StringComparison.Ordinal);
        Assert.Contains($"{NocHost.Site},", csv, StringComparison.Ordinal);
        Assert.Contains(",12,0,11,0,5000000,4\r\n", csv, StringComparison.Ordinal);

        using HttpResponseMessage badMonth = await planner.GetAsync(new Uri("/api/v1/reports/monthly?month=2026-13", UriKind.Relative));
        using HttpResponseMessage badYear = await planner.GetAsync(new Uri("/api/v1/reports/yearly?year=26", UriKind.Relative));
        using HttpResponseMessage noPeriod = await planner.GetAsync(new Uri("/api/v1/reports/weekly", UriKind.Relative));
        using HttpResponseMessage noTable = await planner.GetAsync(new Uri("/api/v1/reports/yearly/secrets.csv", UriKind.Relative));
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.NotFound, HttpStatusCode.NotFound),
            (badMonth.StatusCode, badYear.StatusCode, noPeriod.StatusCode, noTable.StatusCode));
    }
}
