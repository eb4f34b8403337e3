using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Network.Contracts;
using Network.Noc.Csv;
using Network.Noc.Pages.Reports;
using Network.Noc.Reports;
using Network.Storage;
using Network.TestSupport;

namespace Network.Noc.Tests.Reports;

/// <summary>
/// The monthly and yearly report pages through the NOC's test host: the figures on the page are the API's (its JSON and
/// each table's CSV) for a seeded month and year, written in each language's numbers, dates and money; the roles; a
/// period that cannot be read gets a message, not an error (the browser tests in EndToEnd.Tests run axe on them).
/// </summary>
public sealed partial class ReportPagesTests
{
    private const string Busy = "hs-beursplein";
    private const string Quiet = "hs-flageyplein";
    private static readonly DateTimeOffset s_start = new(2026, 3, 10, 8, 0, 0, TimeSpan.Zero);
    private static readonly string s_pages = Path.Combine(ServiceProcess.RepositoryRoot, "noc-server", "NocServer", "Pages", "Reports");
    private static readonly CultureInfo s_english = CultureInfo.GetCultureInfo("en-GB");

    [Theory]
    [InlineData("ReportText.nl.resx")]
    [InlineData("ReportText.fr.resx")]
    public void Each_language_has_exactly_the_keys_of_the_English_file(string file) =>
        ResourceTexts.AssertSameKeys(Path.Combine(s_pages, "ReportText.resx"), Path.Combine(s_pages, file));

    [Theory]
    [InlineData("nl")]
    [InlineData("fr")]
    public void The_built_satellite_assembly_answers_every_key_without_falling_back(string language) =>
        ResourceTexts.AssertTranslatedWithoutFallback("Network.Noc.Pages.Reports.ReportText", typeof(ReportText).Assembly, language);

    [Fact]
    public void Every_key_the_report_pages_use_is_in_the_resources()
    {
        HashSet<string> keys = ResourceTexts.Keys(Path.Combine(s_pages, "ReportText.resx"));
        string[] sources = [.. Directory.GetFiles(s_pages, "*.cs*").Select(File.ReadAllText)];
        var used = sources.SelectMany(s => TextCall().Matches(s)).SelectMany(m => m.Groups.Values.Skip(1).Where(g => g.Success).Select(g => g.Value)).ToHashSet();

        Assert.Contains("MonthsChartSummary", used);
        Assert.Contains("BadYear", used);
        Assert.Contains("Hotspot", used);
        Assert.Empty(used.Except(keys));
    }

    [Theory]
    [InlineData("nl-BE", "1.234,6\u00A0GB", "7 december 2026")]
    [InlineData("fr-BE", "1\u202F234,6\u00A0GB", "7 décembre 2026")]
    [InlineData("en-GB", "1,234.6\u00A0GB", "7 December 2026")]
    public void Data_volumes_and_days_are_written_as_each_language_writes_them(string culture, string gigabytes, string day)
    {
        CultureInfo before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            Assert.Equal((gigabytes, day), (ReportText.Gigabytes(1_234_567_890_123), ReportText.Day(new DateOnly(2026, 12, 7))));
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public async Task The_monthly_page_shows_the_figures_of_the_reports_json_and_csv_in_each_language()
    {
        (NocHost noc, _) = await SeededAsync();
        await using NocHost host = noc;
        using HttpClient planner = await noc.SignedInAsync("planner");
        PeriodReport report = (await planner.GetFromJsonAsync<PeriodReport>(new Uri("/api/v1/reports/monthly?month=2026-03", UriKind.Relative), JsonSerializerOptions.Web))!;
        Assert.Equal(12_845, report.Hotspots.Network.Sessions);

        string en = await PageAsync(planner, "/reports/monthly?month=2026-03&lang=en");
        UsageFigures n = report.Hotspots.Network;
        Assert.Equal(n.Sessions, Count(Text(en, "network-sessions")));
        Assert.Equal(n.Users, Count(Text(en, "network-users")));
        Assert.Equal(n.Logins, Count(Text(en, "network-logins")));
        Assert.Equal(n.Registrations, Count(Text(en, "network-registrations")));
        Assert.Equal(Math.Round(n.Octets / 1e9, 1), Gigabytes(Text(en, "network-data")));
        Assert.Equal(n.PeakUsers, Count(Text(en, "network-peak")));
        Assert.Equal(Math.Round(n.AvailabilityPercent!.Value, 3), Percent(Text(en, "network-availability")));
        Assert.Equal(report.Hotspots.Hotspots.Count, (int)Count(Text(en, "network-hotspots")));
        Assert.Equal(report.Schools.Rows.Count, (int)Count(Text(en, "school-months")));
        Assert.Equal(report.Schools.SchoolMonthsBelowObjective, (int)Count(Text(en, "school-months-below")));

        // Every table against its CSV: the hotspots (sorted by the page, matched by name), the communes, the top and bottom ten.
        AssertSameFigures(await CsvAsync(planner, "/api/v1/reports/monthly/hotspots.csv?month=2026-03"), Rows(en, "hotspots"), "name", figuresFrom: 2);
        AssertSameFigures(await CsvAsync(planner, "/api/v1/reports/monthly/communes.csv?month=2026-03"), Rows(en, "communes"), "commune", figuresFrom: 1);
        AssertSameFigures(await CsvAsync(planner, "/api/v1/reports/monthly/top.csv?month=2026-03"), Rows(en, "top"), "name", figuresFrom: 1);
        AssertSameFigures(await CsvAsync(planner, "/api/v1/reports/monthly/bottom.csv?month=2026-03"), Rows(en, "bottom"), "name", figuresFrom: 1);
        Assert.Equal("Beursplein", Rows(en, "top")[0][0]);
        Assert.Equal("Beursplein", Rows(en, "hotspots")[0][0]); // most sessions first by default
        foreach (string table in new[] { "hotspots", "communes", "months", "top", "bottom", "schools" })
        {
            Assert.Contains($"href=\"/api/v1/reports/monthly/{table}.csv?month=2026-03\"", en, StringComparison.Ordinal);
        }

        // Each language: a count, a data volume, a day (the date of issue, Brussels) and the period's month.
        foreach ((string language, string sessions, string data, string issued, string month) in new[]
        {
            ("nl", "12.845", "1.237,1\u00A0GB", "2 april 2026", "maart 2026"),
            ("fr", "12\u202F845", "1\u202F237,1\u00A0GB", "2 avril 2026", "mars 2026"),
            ("en", "12,845", "1,237.1\u00A0GB", "2 April 2026", "March 2026"),
        })
        {
            string html = await PageAsync(planner, $"/reports/monthly?month=2026-03&lang={language}");
            Assert.Equal((sessions, data), (Text(html, "network-sessions"), Text(html, "network-data")));
            Assert.Contains(issued, Text(html, "report-issued"), StringComparison.Ordinal);
            Assert.Contains(month, Text(html, "report-heading"), StringComparison.Ordinal);
        }

        // The period's links: February before, April after (begun on the clock), not May from April.
        Assert.Contains("href=\"/reports/monthly?month=2026-02\"", en, StringComparison.Ordinal);
        Assert.Contains("href=\"/reports/monthly?month=2026-04\"", en, StringComparison.Ordinal);
        Assert.DoesNotContain("month=2026-05", await PageAsync(planner, "/reports/monthly?month=2026-04"), StringComparison.Ordinal);
        // Sorted by a column link: the fewest sessions first.
        Assert.Equal("Beursplein", Rows(await PageAsync(planner, "/reports/monthly?month=2026-03&sort=sessions&dir=asc"), "hotspots")[^1][0]);
    }

    [Fact]
    public async Task The_yearly_page_shows_the_months_and_the_plan_of_the_api_and_money_in_each_language()
    {
        (NocHost noc, _) = await SeededAsync();
        await using NocHost host = noc;
        using HttpClient planner = await noc.SignedInAsync("planner");
        using (HttpResponseMessage target = await planner.PutAsJsonAsync(new Uri("/api/v1/plan/2026/targets/hotspots", UriKind.Relative),
            new { sitesToAdd = 20, budget = 500_000m, schoolsTotal = (int?)null }))
        {
            Assert.Equal(HttpStatusCode.OK, target.StatusCode);
        }

        PeriodReport report = (await planner.GetFromJsonAsync<PeriodReport>(new Uri("/api/v1/reports/yearly?year=2026", UriKind.Relative), JsonSerializerOptions.Web))!;
        string en = await PageAsync(planner, "/reports/yearly?year=2026&lang=en");

        Assert.Equal(report.Hotspots.Network.Sessions, Count(Text(en, "network-sessions")));
        List<string[]> months = Rows(en, "months");
        Assert.Equal(12, months.Count);
        Assert.Equal("March 2026", months[2][0]);
        AssertSameFigures(await CsvAsync(planner, "/api/v1/reports/yearly/months.csv?year=2026"), months, "month", figuresFrom: 1,
            key: m => DateTime.ParseExact(m, "yyyy-MM", CultureInfo.InvariantCulture).ToString("MMMM yyyy", s_english));
        AssertSameFigures(await CsvAsync(planner, "/api/v1/reports/yearly/hotspots.csv?year=2026"), Rows(en, "hotspots"), "name", figuresFrom: 2);

        // The plan's quarters as its CSV has them, the target line a quarter of 20 each.
        List<Dictionary<string, string>> plan = await CsvAsync(planner, "/api/v1/reports/yearly/plan.csv?year=2026");
        List<string[]> quarters = Rows(en, "quarters-hotspots");
        Assert.Equal(4, quarters.Count);
        foreach (Dictionary<string, string> row in plan.Where(r => r["programme"] == "hotspots"))
        {
            string[] page = quarters[int.Parse(row["quarter"], CultureInfo.InvariantCulture) - 1];
            Assert.Equal((row["target_cumulative"], row["planned_cumulative"]), (page[1], page[2]));
        }

        Assert.Equal(["5", "10", "15", "20"], quarters.Select(q => q[1]));
        Assert.Contains("<svg class=\"plan-chart\"", en, StringComparison.Ordinal);
        Assert.Contains("<svg class=\"report-chart\"", en, StringComparison.Ordinal);
        Assert.Contains("href=\"/api/v1/reports/yearly/plan.csv?year=2026\"", en, StringComparison.Ordinal);
        Assert.Contains("href=\"/reports/yearly?year=2025\"", en, StringComparison.Ordinal);
        Assert.DoesNotContain("year=2027", en, StringComparison.Ordinal); // 2027 has not begun

        foreach ((string language, string budget) in new[] { ("nl", "EUR\u00A0500.000,00"), ("fr", "500\u202F000,00\u00A0EUR"), ("en", "EUR\u00A0500,000.00") })
        {
            string html = await PageAsync(planner, $"/reports/yearly?year=2026&lang={language}");
            Assert.Equal(budget, Text(html, "budget-hotspots"));
        }
    }

    [Fact]
    public async Task Engineers_planners_and_admins_read_the_reports_a_stranger_is_sent_to_sign_in_and_a_user_without_a_role_gets_403()
    {
        await using NocHost noc = await NocHost.StartAsync();
        using HttpClient anonymous = noc.Anonymous();
        using (HttpResponseMessage stranger = await anonymous.GetAsync(new Uri("/reports/yearly?year=2026", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Redirect, stranger.StatusCode);
            Assert.StartsWith("/login", stranger.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        foreach (string role in Users.NocRoles.All)
        {
            using HttpClient client = await noc.SignedInAsync(role);
            Assert.Contains("href=\"/reports\"", await PageAsync(client, "/reports/monthly"), StringComparison.Ordinal); // the navigation link
            await PageAsync(client, "/reports");
            await PageAsync(client, "/reports/yearly");
        }

        // A user whose role is none of the NOC's (a row from a role since removed, say) signs in but may read nothing.
        await noc.Factory.Services.GetRequiredService<Users.UserService>().AddAsync("visitor", "engineer", NocHost.Password, replace: false, CancellationToken.None);
        await noc.Factory.Services.GetRequiredService<ServiceDatabase>().WriteAsync((connection, transaction) =>
            connection.ExecuteAsync("UPDATE users SET role = 'visitor' WHERE name = 'visitor'", transaction: transaction), CancellationToken.None);
        using HttpClient visitor = await noc.SignedInAsync("visitor");
        using HttpResponseMessage refused = await visitor.GetAsync(new Uri("/reports/monthly?lang=en", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task A_period_that_cannot_be_read_gets_a_message_in_the_page_language_and_no_report()
    {
        await using NocHost noc = await NocHost.StartAsync();
        using HttpClient engineer = await noc.SignedInAsync("engineer");

        foreach ((string path, string message) in new[]
        {
            ("/reports/monthly?month=2026-13&lang=en", "Choose a month from January 2000 to December 2100, written as 2026-03."),
            ("/reports/monthly?month=maart&lang=nl", "Kies een maand van januari 2000 tot december 2100, geschreven als 2026-03."),
            ("/reports/yearly?year=26&lang=fr", "Choisissez une année de 2000 à 2100, écrite 2026."),
            ("/reports/yearly?year=99999999999999999999&lang=en", "Choose a year from 2000 to 2100, written as 2026."),
        })
        {
            using HttpResponseMessage response = await engineer.GetAsync(new Uri(path, UriKind.Relative));
            string html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("class=\"error-summary\"", html, StringComparison.Ordinal);
            Assert.Contains(message, html, StringComparison.Ordinal);
            Assert.Contains("aria-invalid=\"true\"", html, StringComparison.Ordinal);
            Assert.DoesNotContain("id=\"network\"", html, StringComparison.Ordinal);
        }

        using HttpResponseMessage weekly = await engineer.GetAsync(new Uri("/reports/weekly", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, weekly.StatusCode);
        using HttpResponseMessage monthlyPlan = await engineer.GetAsync(new Uri("/api/v1/reports/monthly/plan.csv?month=2026-03", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, monthlyPlan.StatusCode);
    }

    /// <summary>
    /// A NOC on a fake clock whose portal reported March 2026 for two hotspots (Beursplein busy, Flageyplein quiet), a
    /// school reporting too; the clock then on 2 April 2026.
    /// </summary>
    private static async Task<(NocHost Noc, FakeTimeProvider Time)> SeededAsync()
    {
        var time = new FakeTimeProvider(s_start);
        NocHost noc = await NocHost.StartAsync(time, ("Status:StaleAfter", "1.00:00:00"));
        var users = new UserCountSketch();
        foreach (string user in new[] { "marie", "jan", "ahmed", "sofie" })
        {
            users.Add(user);
        }

        DateTimeOffset at = time.GetUtcNow();
        using (HttpResponseMessage stored = await noc.IngestAsync(NocHost.Batch(1,
            Figure(Busy, MetricNames.SessionsMonth, 12_345, at), Figure(Busy, MetricNames.LoginsMonth, 11_000, at), Figure(Busy, MetricNames.RegistrationsMonth, 321, at),
            Figure(Busy, MetricNames.OctetsMonth, 1_234_567_890_123, at), Figure(Busy, MetricNames.UsersOnline, 42, at),
            Figure(Quiet, MetricNames.SessionsMonth, 500, at), Figure(Quiet, MetricNames.LoginsMonth, 450, at), Figure(Quiet, MetricNames.RegistrationsMonth, 12, at),
            Figure(Quiet, MetricNames.OctetsMonth, 2_500_000_000, at), Figure(Quiet, MetricNames.UsersOnline, 7, at)) with
        {
            Sketches = [new UserSketch(Busy, "2026-03", users.ToBase64()), new UserSketch(Quiet, "2026-03", users.ToBase64())],
        }))
        {
            Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        }

        // The ingest writer has run a batch's observers once the next batch is answered.
        await SlaApiTests.IngestAsync(noc, 2, "fts-anderlecht", 1, time);
        time.Advance(new DateTimeOffset(2026, 4, 2, 0, 0, 0, TimeSpan.Zero) - time.GetUtcNow());
        return (noc, time);
    }

    private static Sample Figure(string site, string metric, double value, DateTimeOffset at) => new(site, DeviceNames.Hotspot, metric, at, value);

    /// <summary>Each CSV row's figures equal the page's row with the same key (the first cell): sessions to peak, data in GB, availability.</summary>
    private static void AssertSameFigures(List<Dictionary<string, string>> csv, List<string[]> page, string keyColumn, int figuresFrom, Func<string, string>? key = null)
    {
        Assert.Equal(csv.Count, page.Count);
        Assert.NotEmpty(csv);
        foreach (Dictionary<string, string> row in csv)
        {
            string name = key is null ? row[keyColumn] : key(row[keyColumn]);
            string[] cells = Assert.Single(page, p => p[0] == name);
            double? availability = row["availability_percent"] is { Length: > 0 } a ? double.Parse(a, CultureInfo.InvariantCulture) : null;
            Assert.Equal(availability, cells[figuresFrom] == "–" ? null : Percent(cells[figuresFrom]));
            Assert.Equal(
                (row["sessions"], row["distinct_users"], row["logins"], row["registrations"], row["peak_users_online"]),
                (N(cells[figuresFrom + 1]), N(cells[figuresFrom + 2]), N(cells[figuresFrom + 3]), N(cells[figuresFrom + 4]), N(cells[figuresFrom + 6])));
            Assert.Equal(Math.Round(long.Parse(row["octets"], CultureInfo.InvariantCulture) / 1e9, 1), Gigabytes(cells[figuresFrom + 5]));
        }

        static string N(string text) => Count(text).ToString(CultureInfo.InvariantCulture);
    }

    private static async Task<List<Dictionary<string, string>>> CsvAsync(HttpClient client, string path)
    {
        List<CsvRecord> records = [.. CsvText.Read(await client.GetStringAsync(new Uri(path, UriKind.Relative)), ',')];
        IReadOnlyList<string> header = records[0].Fields;
        return [.. records.Skip(1).Select(r => header.Select((name, i) => (name, r.Fields[i])).ToDictionary(f => f.name, f => f.Item2))];
    }

    private static long Count(string text) => long.Parse(text, NumberStyles.Number, s_english);

    private static double Gigabytes(string text) => double.Parse(text.Replace("\u00A0GB", "", StringComparison.Ordinal), NumberStyles.Number, s_english);

    private static double Percent(string text) => Math.Round(double.Parse(text.TrimEnd('%'), NumberStyles.Number, s_english), 3);

    private static async Task<string> PageAsync(HttpClient client, string path)
    {
        using HttpResponseMessage response = await client.GetAsync(new Uri(path, UriKind.Relative));
        string html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode}");
        return html;
    }

    // The text of the element with this id (tags inside dropped).
    private static string Text(string html, string id)
    {
        Match match = Regex.Match(html, $"id=\"{Regex.Escape(id)}\"[^>]*>(.*?)</(?:dd|td|p|span|h1)>", RegexOptions.Singleline);
        Assert.True(match.Success, $"no #{id}");
        return WebUtility.HtmlDecode(Tags().Replace(match.Groups[1].Value, "")).Trim();
    }

    // A table's body rows as the texts of their cells.
    private static List<string[]> Rows(string html, string id)
    {
        Match table = Regex.Match(html, $"<table class=\"grid\" id=\"{Regex.Escape(id)}\">.*?<tbody>(.*?)</tbody>", RegexOptions.Singleline);
        Assert.True(table.Success, $"no table #{id}");
        return [.. Regex.Matches(table.Groups[1].Value, "<tr>(.*?)</tr>", RegexOptions.Singleline)
            .Select(row => Regex.Matches(row.Groups[1].Value, "<t[hd][^>]*>(.*?)</t[hd]>", RegexOptions.Singleline)
                .Select(cell => WebUtility.HtmlDecode(Tags().Replace(cell.Groups[1].Value, "")).Trim()).ToArray())];
    }

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    // R["Key"] in the pages, reportText["Key"] in the model, R[condition ? "Key" : "Other"], and FigureColumns("Key").
    [GeneratedRegex("""(?:\bR|\breportText)\[(?:[^\]\["]*\?\s*)?"([A-Za-z]+)"(?:\s*:\s*"([A-Za-z]+)")?\]|FigureColumns\("([A-Za-z]+)"\)""")]
    private static partial Regex TextCall();
}
