using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using Network.Noc.Alarms;
using Network.Noc.Sla;

namespace Network.Noc.Tests;

/// <summary>
/// The SLA pages through the NOC's test host: a school's month shows the figures its CSV has, in each language's
/// numbers and dates; the programme page shows the CSV's rows; the SLA form and the maintenance form check roles,
/// antiforgery and input, with messages in the page's language (the browser tests in EndToEnd.Tests run axe on them).
/// </summary>
public sealed partial class SlaPagesTests
{
    private const string School = "fts-anderlecht";
    private static readonly DateTimeOffset s_start = new(2026, 3, 10, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_school_month_page_shows_the_incident_and_the_same_figures_as_its_csv_in_each_language()
    {
        (NocHost noc, FakeTimeProvider _, long alarmId) = await WithIncidentAsync();
        await using NocHost host = noc;
        using HttpClient planner = await noc.SignedInAsync("planner");

        string en = await PageAsync(planner, $"/sla/schools/{School}?month=2026-03&lang=en");
        string csv = await planner.GetStringAsync(new Uri($"/sla/schools/{School}?month=2026-03&handler=csv", UriKind.Relative));
        string[] lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        string[] header = lines[0].Split(',');
        string[] row = lines[1].Split(',');
        string Column(string name) => row[Array.IndexOf(header, name)];

        // Hand-computed: March 2026 has 743 hours (spring change), 47 minutes down from 09:01 Brussels time, acknowledged after 5.
        Assert.Equal(("44580", "47", "44533", "1", "47"), (Column("scheduled_minutes"), Column("down_minutes"), Column("up_minutes"), Column("incidents"), Column("mttr_minutes")));
        var english = CultureInfo.GetCultureInfo("en-GB");
        Assert.Equal(double.Parse(Column("scheduled_minutes"), CultureInfo.InvariantCulture), double.Parse(Cell(en, "minutes-scheduled"), NumberStyles.Number, english));
        Assert.Equal(double.Parse(Column("up_minutes"), CultureInfo.InvariantCulture), double.Parse(Cell(en, "minutes-up"), NumberStyles.Number, english));
        Assert.Equal(double.Parse(Column("down_minutes"), CultureInfo.InvariantCulture), double.Parse(Cell(en, "minutes-down"), NumberStyles.Number, english));
        Assert.Equal(double.Parse(Column("no_data_minutes"), CultureInfo.InvariantCulture), double.Parse(Cell(en, "minutes-no-data"), NumberStyles.Number, english));
        Assert.Equal(Column("availability_percent"), Text(en, "availability").TrimEnd('%'));
        Assert.Equal("99.895", Column("availability_percent"));
        Assert.Equal(Column("incidents"), Text(en, "incident-count"));
        Assert.Equal("47 min", Text(en, "mttr"));
        Assert.Contains("data-minutes=\"47\"", en, StringComparison.Ordinal);
        Assert.Contains($"#{alarmId}", en, StringComparison.Ordinal);
        Assert.Contains("fibre cut, crew sent", en, StringComparison.Ordinal);
        Assert.Contains("5 min", IncidentRow(en), StringComparison.Ordinal);

        // Each language: its month name, its decimal comma or point, and the incident's start in Brussels time (09:01, not 08:01).
        foreach ((string language, string month, string availability) in new[] { ("nl", "maart 2026", "99,895"), ("fr", "mars 2026", "99,895"), ("en", "March 2026", "99.895") })
        {
            string html = await PageAsync(planner, $"/sla/schools/{School}?month=2026-03&lang={language}");
            Assert.Contains(month, html, StringComparison.Ordinal);
            Assert.StartsWith(availability, Text(html, "availability"), StringComparison.Ordinal);
            Assert.Contains("09:01", IncidentRow(html), StringComparison.Ordinal);
            Assert.DoesNotContain("08:01", IncidentRow(html), StringComparison.Ordinal);
        }

        Assert.Contains("Storingen", await PageAsync(planner, $"/sla/schools/{School}?month=2026-03&lang=nl"), StringComparison.Ordinal);
        Assert.Contains("Délai d'acquittement", WebUtility.HtmlDecode(await PageAsync(planner, $"/sla/schools/{School}?month=2026-03&lang=fr")), StringComparison.Ordinal);

        // Month links: February before, April after (April has begun on the fake clock), May not yet.
        Assert.Contains($"href=\"/sla/schools/{School}?month=2026-02\"", en, StringComparison.Ordinal);
        Assert.Contains($"href=\"/sla/schools/{School}?month=2026-04\"", en, StringComparison.Ordinal);
        string april = await PageAsync(planner, $"/sla/schools/{School}?month=2026-04&lang=en");
        Assert.DoesNotContain("month=2026-05", april, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_programme_page_shows_the_same_numbers_as_the_programme_csv_worst_first_and_sorts_by_links()
    {
        (NocHost noc, FakeTimeProvider _, long _) = await WithIncidentAsync();
        await using NocHost host = noc;
        using HttpClient planner = await noc.SignedInAsync("planner");

        string html = await PageAsync(planner, "/sla/programme?from=2026-03&to=2026-03&lang=en");
        string csv = await planner.GetStringAsync(new Uri("/api/v1/sla/programme.csv?from=2026-03&to=2026-03", UriKind.Relative));
        string[] lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        string[] header = lines[0].Split(',');
        List<string[]> csvRows = [.. lines.Skip(1).Select(l => l.Split(','))];
        List<string[]> pageRows = ProgrammeRows(html);
        var english = CultureInfo.GetCultureInfo("en-GB");
        double Number(string text) => double.Parse(text.TrimEnd('%'), NumberStyles.Number, english);

        Assert.Equal(csvRows.Count, pageRows.Count);
        Assert.True(pageRows.Count > 1);
        for (int i = 0; i < csvRows.Count; i++)
        {
            string Column(string name) => csvRows[i][Array.IndexOf(header, name)];
            string[] page = pageRows[i];
            Assert.Equal(Column("name"), WebUtility.HtmlDecode(page[0]));
            Assert.Equal(double.Parse(Column("availability_percent"), CultureInfo.InvariantCulture), Number(page[2]));
            Assert.Equal(double.Parse(Column("down_minutes"), CultureInfo.InvariantCulture), Number(page[5]));
            Assert.Equal(double.Parse(Column("no_data_minutes"), CultureInfo.InvariantCulture), Number(page[6]));
            Assert.Equal(double.Parse(Column("maintenance_minutes"), CultureInfo.InvariantCulture), Number(page[7]));
            Assert.Equal(Column("incidents"), page[8]);
        }

        // The other schools sent nothing (0 %) and come first; the school with the incident is last.
        Assert.Equal("Atheneum Anderlecht", pageRows[^1][0]);
        Assert.Contains("aria-sort=\"ascending\"", html, StringComparison.Ordinal);

        string byIncidents = await PageAsync(planner, "/sla/programme?from=2026-03&to=2026-03&lang=en&sort=incidents&dir=desc");
        Assert.Equal("Atheneum Anderlecht", ProgrammeRows(byIncidents)[0][0]);
        Assert.Equal("1", ProgrammeRows(byIncidents)[0][8]);

        using HttpResponseMessage bad = await planner.GetAsync(new Uri("/sla/programme?from=2026-05&to=2026-01&lang=fr", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("le premier pas après le dernier", WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_planners_and_admins_edit_an_SLA_and_the_form_answers_bad_input_in_the_page_language()
    {
        await using NocHost noc = await NocHost.StartAsync();
        using HttpClient engineer = await noc.SignedInAsync("engineer");
        using HttpClient planner = await noc.SignedInAsync("planner");
        string edit = $"/sla/schools/{School}/edit";

        using (HttpResponseMessage refused = await engineer.GetAsync(new Uri(edit, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        string form = await PageAsync(planner, edit + "?lang=fr");
        string token = NocHost.AntiforgeryToken(form);
        Assert.NotEmpty(token);
        Assert.DoesNotContain("id=\"edit-sla\"", await PageAsync(engineer, $"/sla/schools/{School}"), StringComparison.Ordinal);
        Assert.Contains("id=\"edit-sla\"", await PageAsync(planner, $"/sla/schools/{School}"), StringComparison.Ordinal);

        // The engineer's post is refused even with a good token of its own (the role is checked on the handler, not only on the link).
        string engineerToken = NocHost.AntiforgeryToken(await PageAsync(engineer, "/sla/maintenance"));
        using (HttpResponseMessage refused = await PostAsync(engineer, edit, engineerToken, ("committedDown", "50")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using (HttpResponseMessage noToken = await PostAsync(planner, edit, null, ("committedDown", "50")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        }

        foreach ((string language, string message) in new[] { ("nl", "Een percentage van 0 tot 100."), ("fr", "Un pourcentage de 0 à 100."), ("en", "A percentage of 0 to 100.") })
        {
            using HttpResponseMessage invalid = await PostAsync(planner, $"{edit}?lang={language}", token,
                ("committedDown", "200"), ("objective", "150"), ("hours", "Mon-Fri 7-18"), ("credits", "99.5=10; 98=25"));
            string html = WebUtility.HtmlDecode(await invalid.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
            Assert.Contains(message, html, StringComparison.Ordinal);
            Assert.Contains("aria-invalid=\"true\"", html, StringComparison.Ordinal);
            Assert.Contains("value=\"150\"", html, StringComparison.Ordinal); // what was typed comes back
            Assert.Contains("id=\"hours-error\"", html, StringComparison.Ordinal);
        }

        using (HttpResponseMessage saved = await PostAsync(planner, edit, token,
            ("committedDown", "200"), ("objective", "99,9"), ("hours", "Mon-Fri 07:00-18:00"), ("excluded", "2026-02-16/2026-02-20 Krokusvakantie"), ("credits", "99.5=10; 98=25")))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
            Assert.Equal($"/sla/schools/{School}", saved.Headers.Location?.OriginalString);
        }

        SchoolSla edited = (await planner.GetFromJsonAsync<SchoolSla>(new Uri($"/api/v1/sla/schools/{School}/definition", UriKind.Relative), JsonSerializerOptions.Web))!;
        Assert.Equal((200.0, 99.9, "planner"), (edited.CommittedDownMbps, edited.AvailabilityObjectivePercent, edited.UpdatedBy!));
        Assert.Equal(["Mon,Tue,Wed,Thu,Fri 07:00-18:00"], edited.Hours);
        Assert.Equal([new CreditStep(99.5, 10), new CreditStep(98, 25)], edited.Credits);
    }

    [Fact]
    public async Task A_maintenance_window_is_announced_for_many_sites_and_one_after_the_fact_needs_an_admin_and_is_flagged()
    {
        var time = new FakeTimeProvider(s_start);
        await using NocHost noc = await NocHost.StartAsync(time, ("Status:StaleAfter", "1.00:00:00"));
        using HttpClient engineer = await noc.SignedInAsync("engineer");
        using HttpClient admin = await noc.SignedInAsync("admin");

        string token = NocHost.AntiforgeryToken(await PageAsync(engineer, "/sla/maintenance"));
        // 09:00 Brussels is 08:00 UTC, now: a window from 08:00 local has already begun.
        using (HttpResponseMessage late = await PostAsync(engineer, "/sla/maintenance?lang=nl", token,
            ("sites", School), ("start", "2026-03-10T08:00"), ("end", "2026-03-10T10:00"), ("reason", "vergeten")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
            Assert.Contains("alleen een beheerder", WebUtility.HtmlDecode(await late.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        }

        using (HttpResponseMessage unknown = await PostAsync(engineer, "/sla/maintenance?lang=en", token,
            ("sites", "no-such-site"), ("start", "2026-03-11T08:00"), ("end", "2026-03-11T10:00"), ("reason", "firmware")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
            Assert.Contains("sites of the inventory", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (HttpResponseMessage planned = await PostAsync(engineer, "/sla/maintenance", token,
            ("sites", School + ", fts-brussel"), ("start", "2026-03-11T08:00"), ("end", "2026-03-11T10:00"), ("reason", "router firmware")))
        {
            Assert.Equal(HttpStatusCode.Redirect, planned.StatusCode);
            Assert.StartsWith("/sla/maintenance?created=", planned.Headers.Location?.OriginalString, StringComparison.Ordinal);
        }

        string adminToken = NocHost.AntiforgeryToken(await PageAsync(admin, "/sla/maintenance"));
        using (HttpResponseMessage late = await PostAsync(admin, $"/sla/maintenance?site={School}", adminToken,
            ("sites", School), ("start", "2026-03-10T08:00"), ("end", "2026-03-10T10:00"), ("reason", "forgot to announce it")))
        {
            Assert.Equal(HttpStatusCode.Redirect, late.StatusCode);
        }

        string list = await PageAsync(engineer, $"/sla/maintenance?site={School}&lang=en");
        Assert.Contains("router firmware", list, StringComparison.Ordinal);
        Assert.Contains("fts-brussel", list, StringComparison.Ordinal);
        Assert.Contains("made after the fact", list, StringComparison.Ordinal);

        time.Advance(TimeSpan.FromDays(2));
        using HttpClient later = await noc.SignedInAsync("engineer"); // the session of two days ago has expired
        string month = await PageAsync(later, $"/sla/schools/{School}?month=2026-03&lang=en");
        Assert.Contains("made after the fact", month, StringComparison.Ordinal);
        Assert.Equal("240", Cell(month, "minutes-maintenance")); // 2 h after the fact, 2 h planned
    }

    /// <summary>A NOC on a fake clock with one incident at the school: down 08:01 to 08:48 UTC on 10 March 2026, acknowledged at 08:06; the clock then on 2 April.</summary>
    private static async Task<(NocHost Noc, FakeTimeProvider Time, long AlarmId)> WithIncidentAsync()
    {
        var time = new FakeTimeProvider(s_start);
        NocHost noc = await NocHost.StartAsync(time, ("Status:StaleAfter", "1.00:00:00"));
        await SlaApiTests.IngestAsync(noc, 1, School, 1, time);
        time.Advance(TimeSpan.FromMinutes(1));
        await SlaApiTests.IngestAsync(noc, 2, School, 0, time);
        using HttpClient engineer = await noc.SignedInAsync("engineer");
        AlarmView alarm = await SlaApiTests.AlarmAsync(engineer, School, a => a.Kind == AlarmKinds.Down);
        time.Advance(TimeSpan.FromMinutes(5));
        using (HttpResponseMessage ack = await engineer.PostAsJsonAsync(new Uri("/api/v1/alarms/acknowledge", UriKind.Relative), new { ids = new[] { alarm.Id }, note = "fibre cut, crew sent" }))
        {
            Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        }

        time.Advance(TimeSpan.FromMinutes(42));
        await SlaApiTests.IngestAsync(noc, 3, School, 1, time);
        await SlaApiTests.AlarmAsync(engineer, School, a => a.Id == alarm.Id && a.State == AlarmStates.Cleared);
        time.Advance(new DateTimeOffset(2026, 4, 2, 0, 0, 0, TimeSpan.Zero) - time.GetUtcNow());
        return (noc, time, alarm.Id);
    }

    private static async Task<string> PageAsync(HttpClient client, string path)
    {
        using HttpResponseMessage response = await client.GetAsync(new Uri(path, UriKind.Relative));
        string html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode}");
        return html;
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string? token, params (string Name, string Value)[] fields)
    {
        var form = fields.ToDictionary(f => f.Name, f => f.Value);
        if (token is not null)
        {
            form["__RequestVerificationToken"] = token;
        }

        return client.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(form));
    }

    // The text of the element with this id (tags inside dropped).
    private static string Text(string html, string id)
    {
        Match match = Regex.Match(html, $"id=\"{Regex.Escape(id)}\"[^>]*>(.*?)</(?:dd|td|p|span)>", RegexOptions.Singleline);
        Assert.True(match.Success, $"no #{id}");
        return WebUtility.HtmlDecode(Tags().Replace(match.Groups[1].Value, "")).Trim();
    }

    // The minutes cell of a row of the minutes table.
    private static string Cell(string html, string rowId)
    {
        Match match = Regex.Match(html, $"<tr id=\"{Regex.Escape(rowId)}\"><th[^>]*>[^<]*</th><td class=\"num\">([^<]*)</td>", RegexOptions.Singleline);
        Assert.True(match.Success, $"no #{rowId}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    private static string IncidentRow(string html)
    {
        Match match = Regex.Match(html, "<table class=\"grid\" id=\"incidents\">.*?<tbody>(.*?)</tbody>", RegexOptions.Singleline);
        Assert.True(match.Success, "no incidents table");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    // The programme table's rows as the texts of their cells.
    private static List<string[]> ProgrammeRows(string html)
    {
        Match table = Regex.Match(html, "<table class=\"grid\" id=\"programme\">.*?<tbody>(.*?)</tbody>", RegexOptions.Singleline);
        Assert.True(table.Success, "no programme table");
        return [.. Regex.Matches(table.Groups[1].Value, "<tr>(.*?)</tr>", RegexOptions.Singleline)
            .Select(row => Regex.Matches(row.Groups[1].Value, "<t[hd][^>]*>(.*?)</t[hd]>", RegexOptions.Singleline)
                .Select(cell => WebUtility.HtmlDecode(Tags().Replace(cell.Groups[1].Value, "")).Trim()).ToArray())];
    }

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();
}
