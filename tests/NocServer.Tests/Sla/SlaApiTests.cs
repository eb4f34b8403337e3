using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Network.Contracts;
using Network.Noc.Alarms;
using Network.Noc.Sla;
using Network.Noc.Status;
using Network.TestSupport;

namespace Network.Noc.Tests;

/// <summary>The SLA's API through the NOC's test host: a school's month from its alarms, the CSV, SLA edits, maintenance windows.</summary>
public sealed class SlaApiTests
{
    private const string School = "fts-anderlecht";
    private const string OtherSchool = "fts-brussel";
    private static readonly DateTimeOffset s_start = new(2026, 3, 10, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_school_outage_is_an_incident_of_its_month_with_its_alarm_and_acknowledgement_and_the_csv_has_the_same_figures()
    {
        var time = new FakeTimeProvider(s_start);
        await using NocHost noc = await NocHost.StartAsync(time, ("Status:StaleAfter", "1.00:00:00"));
        await IngestAsync(noc, 1, School, 1, time);
        time.Advance(TimeSpan.FromMinutes(1));
        await IngestAsync(noc, 2, School, 0, time); // down from 08:01
        using HttpClient engineer = await noc.SignedInAsync("engineer");
        AlarmView alarm = await AlarmAsync(engineer, School, a => a.Kind == AlarmKinds.Down);
        time.Advance(TimeSpan.FromMinutes(5));
        using (HttpResponseMessage ack = await engineer.PostAsJsonAsync(new Uri("/api/v1/alarms/acknowledge", UriKind.Relative), new { ids = new[] { alarm.Id }, note = "fibre cut, crew sent" }))
        {
            Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        }

        time.Advance(TimeSpan.FromMinutes(42));
        await IngestAsync(noc, 3, School, 1, time); // up at 08:48: 47 minutes down
        await AlarmAsync(engineer, School, a => a.Id == alarm.Id && a.State == AlarmStates.Cleared);
        time.Advance(new DateTimeOffset(2026, 4, 2, 0, 0, 0, TimeSpan.Zero) - time.GetUtcNow());

        using HttpClient planner = await noc.SignedInAsync("planner");
        SchoolMonthReport report = (await planner.GetFromJsonAsync<SchoolMonthReport>(new Uri($"/api/v1/sla/schools/{School}?month=2026-03", UriKind.Relative), JsonSerializerOptions.Web))!;
        SlaMonthFigures figures = report.Figures;
        Assert.Equal(743 * 60, figures.Minutes.Scheduled);
        Assert.Equal(47, figures.Minutes.Down);
        Assert.Equal(0, figures.Minutes.NoData);
        Assert.Equal((44_580.0 - 47) / 44_580 * 100, figures.AvailabilityPercent!.Value, 9);
        SlaIncident incident = Assert.Single(figures.Incidents);
        Assert.Equal((s_start.AddMinutes(1), s_start.AddMinutes(48), alarm.Id, "engineer", "fibre cut, crew sent"),
            (incident.Start, incident.End!.Value, incident.AlarmId!.Value, incident.AcknowledgedBy!, incident.Note!));
        Assert.Equal((5.0, 47.0, 47.0), (incident.TimeToAcknowledgeMinutes!.Value, incident.TimeToRepairMinutes, figures.MttrMinutes!.Value));

        // The programme: the other schools sent nothing in March, so they had no data all month (0 %) and come first.
        ProgrammeReport programme = (await planner.GetFromJsonAsync<ProgrammeReport>(new Uri("/api/v1/sla/programme?from=2026-03&to=2026-03", UriKind.Relative), JsonSerializerOptions.Web))!;
        Assert.Equal(School, programme.Rows[^1].Site);
        Assert.All(programme.Rows.SkipLast(1), row => Assert.Equal((0.0, row.ScheduledMinutes), (row.AvailabilityPercent!.Value, row.NoDataMinutes)));
        Assert.Equal(figures.AvailabilityPercent, programme.Rows[^1].AvailabilityPercent);

        using HttpResponseMessage csv = await planner.GetAsync(new Uri("/api/v1/sla/programme.csv?from=2026-03&to=2026-03", UriKind.Relative));
        Assert.Equal("text/csv; charset=utf-8", csv.Content.Headers.ContentType!.ToString());
        string[] lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(programme.Rows.Count + 1, lines.Length);
        string[] header = lines[0].Split(',');
        string[] row = lines.Single(l => l.StartsWith(School + ",", StringComparison.Ordinal)).Split(',');
        string Column(string name) => row[Array.IndexOf(header, name)];
        Assert.Equal("2026-03", Column("month"));
        Assert.Equal("44580", Column("scheduled_minutes"));
        Assert.Equal("47", Column("down_minutes"));
        Assert.Equal(Math.Round(figures.AvailabilityPercent.Value, 3).ToString("0.###", CultureInfo.InvariantCulture), Column("availability_percent"));
        Assert.Equal(("1", "47", "yes"), (Column("incidents"), Column("mttr_minutes"), Column("met")));
    }

    [Fact]
    public async Task A_link_that_flaps_has_one_incident_per_down_period_also_once_it_is_marked_flapping()
    {
        // Hand-computed: down 08:01-08:03, 08:06-08:10 (the fourth change: flapping from here), 08:12-08:17, 08:20-08:23 UTC,
        // so 4 incidents and 2 + 4 + 5 + 3 = 14 minutes down; the last two come after the link is marked flapping, when only
        // the flapping alarm is notified (before the fix they were counted as up: 2 incidents, 6 minutes).
        var time = new FakeTimeProvider(s_start);
        await using NocHost noc = await NocHost.StartAsync(time, ("Status:StaleAfter", "1.00:00:00"), ("Status:RaiseAfter", "1"), ("Status:ClearAfter", "1"));
        using HttpClient engineer = await noc.SignedInAsync("engineer");
        await FlapAsync(noc, engineer, time, School);

        IReadOnlyList<AlarmView> alarms = (await engineer.GetFromJsonAsync<IReadOnlyList<AlarmView>>(new Uri($"/api/v1/alarms?state=all&site={School}", UriKind.Relative), JsonSerializerOptions.Web))!;
        Assert.Single(alarms, a => a.Kind == AlarmKinds.Flapping);
        Assert.Equal(2, alarms.Count(a => a.Kind == AlarmKinds.Down && a.SuppressedBy is null)); // notified before the flapping alarm only

        time.Advance(new DateTimeOffset(2026, 4, 2, 0, 0, 0, TimeSpan.Zero) - time.GetUtcNow());
        using HttpClient planner = await noc.SignedInAsync("planner");
        SchoolMonthReport report = (await planner.GetFromJsonAsync<SchoolMonthReport>(new Uri($"/api/v1/sla/schools/{School}?month=2026-03", UriKind.Relative), JsonSerializerOptions.Web))!;
        Assert.Equal(14, report.Figures.Minutes.Down);
        Assert.Equal(4, report.Figures.IncidentCount);
        Assert.Equal([2.0, 4.0, 5.0, 3.0], report.Figures.Incidents.Select(i => i.ScheduledMinutes));
        Assert.Equal([1, 6, 12, 20], report.Figures.Incidents.Select(i => (int)(i.Start - s_start).TotalMinutes));
        Assert.Equal(3.5, report.Figures.MttrMinutes);
    }

    [Fact]
    public async Task Alarms_of_a_site_in_a_maintenance_window_are_marked_and_not_counted_and_a_window_after_the_fact_needs_an_admin()
    {
        var time = new FakeTimeProvider(s_start);
        await using NocHost noc = await NocHost.StartAsync(time, ("Status:StaleAfter", "1.00:00:00"));
        using HttpClient engineer = await noc.SignedInAsync("engineer");
        using HttpClient admin = await noc.SignedInAsync("admin");

        MaintenanceWindow planned = await CreatedAsync(engineer, [OtherSchool, School], s_start.AddHours(2), s_start.AddHours(3), "router firmware");
        Assert.False(planned.AfterTheFact);
        using (HttpResponseMessage refused = await engineer.PostAsJsonAsync(new Uri("/api/v1/sla/maintenance", UriKind.Relative),
            new NewMaintenanceWindow([OtherSchool], s_start.AddHours(-1), s_start.AddHours(1), "forgot to announce it")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("admin", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        MaintenanceWindow late = await CreatedAsync(admin, [OtherSchool], s_start.AddHours(-1), s_start.AddHours(1), "forgot to announce it");
        Assert.True(late.AfterTheFact);
        Assert.Equal("admin", late.CreatedBy);

        await IngestAsync(noc, 1, OtherSchool, 0, time);
        await IngestAsync(noc, 2, School, 0, time);
        AlarmView inWindow = await AlarmAsync(engineer, OtherSchool, a => a.Kind == AlarmKinds.Down);
        AlarmView outside = await AlarmAsync(engineer, School, a => a.Kind == AlarmKinds.Down);
        Assert.Equal($"maintenance:{late.Id}", inWindow.SuppressedBy);
        Assert.Null(outside.SuppressedBy);
        Assert.Equal(0, (await engineer.GetFromJsonAsync<SiteStatusView>(new Uri($"/api/v1/sites/{OtherSchool}", UriKind.Relative), JsonSerializerOptions.Web))!.OpenAlarms);
        Assert.Equal(1, (await engineer.GetFromJsonAsync<SiteStatusView>(new Uri($"/api/v1/sites/{School}", UriKind.Relative), JsonSerializerOptions.Web))!.OpenAlarms);

        IReadOnlyList<MaintenanceWindow> listed = (await engineer.GetFromJsonAsync<IReadOnlyList<MaintenanceWindow>>(
            new Uri($"/api/v1/sla/maintenance?site={OtherSchool}", UriKind.Relative), JsonSerializerOptions.Web))!;
        Assert.Equal([late.Id, planned.Id], listed.Select(w => w.Id));
        Assert.Equal([School, OtherSchool], listed[1].Sites); // by name

        // The school's month so far (to 09:00 on the 10th, the window's end): its two hours excluded, flagged as made after the fact.
        time.Advance(TimeSpan.FromHours(1));
        SchoolMonthReport report = (await engineer.GetFromJsonAsync<SchoolMonthReport>(new Uri($"/api/v1/sla/schools/{OtherSchool}?month=2026-03", UriKind.Relative), JsonSerializerOptions.Web))!;
        Assert.Equal(120, report.Figures.Minutes.Maintenance);
        Assert.Equal(0, report.Figures.Minutes.Down);
        Assert.Equal(0, report.Figures.IncidentCount);
        Assert.True(Assert.Single(report.Figures.Maintenance).AfterTheFact);
    }

    [Fact]
    public async Task Planners_edit_a_school_SLA_over_the_defaults_and_bad_input_is_a_validation_problem()
    {
        await using NocHost noc = await NocHost.StartAsync(("Sla:AvailabilityObjectivePercent", "99.9"));
        using HttpClient planner = await noc.SignedInAsync("planner");
        var definition = new Uri($"/api/v1/sla/schools/{School}/definition", UriKind.Relative);

        SchoolSla defaults = (await planner.GetFromJsonAsync<SchoolSla>(definition, JsonSerializerOptions.Web))!;
        Assert.Equal((100.0, 99.9, "Europe/Brussels", 2), (defaults.CommittedDownMbps, defaults.AvailabilityObjectivePercent, defaults.TimeZone, defaults.Credits.Count));
        Assert.Empty(defaults.Hours);
        Assert.Null(defaults.Overrides);

        using (HttpResponseMessage saved = await planner.PutAsJsonAsync(definition, new SlaOverride(CommittedDownMbps: 200, Hours: ["Mon-Fri 07:00-18:00"],
            Excluded: ["2026-02-16/2026-02-20 Krokusvakantie"], Credits: [new CreditStep(99, 5)], MonthlyFee: 450.5m), JsonSerializerOptions.Web))
        {
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        }

        SchoolSla edited = (await planner.GetFromJsonAsync<SchoolSla>(definition, JsonSerializerOptions.Web))!;
        Assert.Equal((200.0, 100.0, 99.9, 450.5m, "planner"), (edited.CommittedDownMbps, edited.CommittedUpMbps, edited.AvailabilityObjectivePercent, edited.MonthlyFee, edited.UpdatedBy!));
        Assert.Equal(["Mon,Tue,Wed,Thu,Fri 07:00-18:00"], edited.Hours);
        Assert.Equal(["2026-02-16/2026-02-20 Krokusvakantie"], edited.Excluded);
        Assert.Equal([new CreditStep(99, 5)], edited.Credits);

        foreach (object bad in new object[] { new { hours = new[] { "Mon-Fri 7-18" } }, new { committedDownMbps = 0 }, new { credits = new[] { new { belowPercent = 120, creditPercent = 5 } } } })
        {
            using HttpResponseMessage refused = await planner.PutAsJsonAsync(definition, bad);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("\"errors\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (HttpResponseMessage hotspot = await planner.PutAsJsonAsync(new Uri("/api/v1/sla/schools/hs-beursplein/definition", UriKind.Relative), new { }))
        {
            Assert.Equal(HttpStatusCode.NotFound, hotspot.StatusCode);
        }

        foreach (string query in new[] { $"schools/{School}?month=2026-13", "programme?from=2026-04&to=2026-03", "programme?from=2024-01&to=2027-01", "programme.csv?from=March" })
        {
            using HttpResponseMessage refused = await planner.GetAsync(new Uri("/api/v1/sla/" + query, UriKind.Relative));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
    }

    internal static async Task IngestAsync(NocHost noc, long sequence, string site, double reachable, TimeProvider time)
    {
        using HttpResponseMessage response = await noc.IngestAsync(NocHost.Batch(sequence, NocHost.Reading(MetricNames.DeviceReachable, reachable, site, at: time.GetUtcNow()),
            NocHost.Reading(MetricNames.ProbeLossRatio, 0, site, DeviceNames.UplinkProbe, time.GetUtcNow())));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>
    /// A site's link flapping from <see cref="s_start"/> on the fake clock: down 08:01-08:03, 08:06-08:10 (the fourth change,
    /// marked flapping from here), 08:12-08:17, 08:20-08:23 UTC, each change seen by the status engine before the next.
    /// </summary>
    internal static async Task FlapAsync(NocHost noc, HttpClient engineer, FakeTimeProvider time, string siteId)
    {
        (int Minute, double Reachable)[] readings = [(0, 1), (1, 0), (3, 1), (6, 0), (10, 1), (12, 0), (17, 1), (20, 0), (23, 1)];
        long sequence = 0;
        foreach ((int minute, double reachable) in readings)
        {
            time.Advance(s_start.AddMinutes(minute) - time.GetUtcNow());
            await IngestAsync(noc, ++sequence, siteId, reachable, time);
            DateTimeOffset at = time.GetUtcNow();
            HealthState expected = reachable > 0 ? HealthState.Up : HealthState.Down;
            await Peers.WaitUntilAsync(async () =>
            {
                SiteStatusView site = (await engineer.GetFromJsonAsync<SiteStatusView>(new Uri($"/api/v1/sites/{siteId}", UriKind.Relative), JsonSerializerOptions.Web))!;
                return site.Devices.Any(d => d.State == expected && d.Since == at);
            }, TimeSpan.FromSeconds(60), $"{siteId} {expected} at {at:HH:mm}");
        }
    }

    /// <summary>The site's one alarm that matches, once the ingest writer has judged the batches before (it answers the agent first).</summary>
    internal static async Task<AlarmView> AlarmAsync(HttpClient client, string site, Func<AlarmView, bool> match)
    {
        IReadOnlyList<AlarmView> alarms = [];
        await Peers.WaitUntilAsync(async () =>
        {
            alarms = (await client.GetFromJsonAsync<IReadOnlyList<AlarmView>>(new Uri($"/api/v1/alarms?state=all&site={site}", UriKind.Relative), JsonSerializerOptions.Web))!;
            return alarms.Any(match);
        }, TimeSpan.FromSeconds(60), $"the alarm of {site}");
        return Assert.Single(alarms, a => match(a));
    }

    private static async Task<MaintenanceWindow> CreatedAsync(HttpClient client, IReadOnlyList<string> sites, DateTimeOffset start, DateTimeOffset end, string reason)
    {
        using HttpResponseMessage response = await client.PostAsJsonAsync(new Uri("/api/v1/sla/maintenance", UriKind.Relative), new NewMaintenanceWindow(sites, start, end, reason));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<MaintenanceWindow>(JsonSerializerOptions.Web))!;
    }
}
