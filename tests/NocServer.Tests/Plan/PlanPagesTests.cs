using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text;
using System.Text.RegularExpressions;
using Network.Noc.Pages.Plan;
using Network.Noc.Plan;
using Network.TestSupport;

namespace Network.Noc.Tests.Plan;

/// <summary>The plan's pages as the server sends them: texts in three languages, money per culture, roles, forms without script.</summary>
public sealed partial class PlanPagesTests
{
    private static readonly string s_pages = Path.Combine(ServiceProcess.RepositoryRoot, "noc-server", "NocServer", "Pages", "Plan");

    [Theory]
    [InlineData("PlanText.nl.resx")]
    [InlineData("PlanText.fr.resx")]
    public void Each_language_has_exactly_the_keys_of_the_English_file(string file) =>
        ResourceTexts.AssertSameKeys(Path.Combine(s_pages, "PlanText.resx"), Path.Combine(s_pages, file));

    [Theory]
    [InlineData("nl")]
    [InlineData("fr")]
    public void The_built_satellite_assembly_answers_every_key_without_falling_back(string language) =>
        ResourceTexts.AssertTranslatedWithoutFallback("Network.Noc.Pages.Plan.PlanText", typeof(PlanText).Assembly, language);

    [Fact]
    public void Every_key_the_plan_pages_use_is_in_the_resources_the_states_and_problem_codes_included()
    {
        HashSet<string> keys = ResourceTexts.Keys(Path.Combine(s_pages, "PlanText.resx"));
        // The plan pages and the progress chart they share with the yearly report.
        string[] sources = [.. Directory.GetFiles(s_pages, "*.cs*").Append(Path.Combine(s_pages, "..", "Shared", "_ProgressChart.cshtml")).Select(File.ReadAllText)];
        string[] plan = [.. Directory.GetFiles(Path.Combine(ServiceProcess.RepositoryRoot, "noc-server", "NocServer", "Plan"), "*.cs").Select(File.ReadAllText)];
        var used = sources.SelectMany(s => PageTextCall().Matches(s)).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value).ToHashSet();
        used.UnionWith(sources.Concat(plan).SelectMany(s => ProblemCode().Matches(s)).Select(m => "Problem" + m.Groups[1].Value));
        used.UnionWith(PlanStates.All.Select(s => "State" + char.ToUpperInvariant(s[0]) + s[1..]));

        Assert.Contains("ProblemQuarter", used);
        Assert.Contains("ProblemHeading", used);
        Assert.Contains("ChartCaption", used);
        Assert.Empty(used.Except(keys));
    }

    [Theory]
    [InlineData("nl-BE", "EUR\u00A035.000,00")]
    [InlineData("fr-BE", "35\u202F000,00\u00A0EUR")]
    [InlineData("en-GB", "EUR\u00A035,000.00")]
    public void Money_is_written_as_each_language_writes_it(string culture, string expected) =>
        Assert.Equal(expected, PlanText.Money(35_000m, CultureInfo.GetCultureInfo(culture)));

    [Fact]
    public async Task An_engineer_reads_the_plan_and_its_progress_but_gets_403_on_the_forms()
    {
        await using NocHost noc = await NocHost.StartAsync();
        using HttpClient engineer = await noc.SignedInAsync("engineer");

        using HttpResponseMessage list = await engineer.GetAsync(new Uri("/plan", UriKind.Relative));
        using HttpResponseMessage progress = await engineer.GetAsync(new Uri("/plan/progress", UriKind.Relative));
        using HttpResponseMessage edit = await engineer.GetAsync(new Uri("/plan/edit", UriKind.Relative));
        using HttpResponseMessage import = await engineer.GetAsync(new Uri("/plan/import", UriKind.Relative));
        using HttpResponseMessage post = await engineer.PostAsync(new Uri("/plan/edit", UriKind.Relative), new FormUrlEncodedContent([new("site", "hs-x")]));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (list.StatusCode, progress.StatusCode));
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (edit.StatusCode, import.StatusCode, post.StatusCode));
        Assert.Contains("<h1>", await edit.Content.ReadAsStringAsync(), StringComparison.Ordinal); // the error page, not an empty answer
        string html = await list.Content.ReadAsStringAsync();
        Assert.DoesNotContain("/plan/edit", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/plan\"", html, StringComparison.Ordinal); // the navigation link
    }

    [Fact]
    public async Task A_planner_plans_a_new_site_in_Dutch_with_Belgian_amounts_and_days_and_sees_it_in_the_list_and_the_progress()
    {
        await using NocHost noc = await NocHost.StartAsync();
        using HttpClient planner = await noc.SignedInAsync("planner");
        int year = PlanCalendar.Day(DateTimeOffset.UtcNow).Year - 1; // its first quarter is over: the site is late
        string form = await planner.GetStringAsync(new Uri("/plan/edit?lang=nl", UriKind.Relative));
        Assert.Contains("Geraamde kost (EUR)", form, StringComparison.Ordinal);

        using HttpResponseMessage notANumber = await planner.PostAsync(new Uri("/plan/edit?lang=nl", UriKind.Relative), Form(form,
            ("site", "hs-flagey"), ("year", year.ToString(CultureInfo.InvariantCulture)), ("quarter", "1"), ("estimatedCost", "veel")));
        using HttpResponseMessage refused = await planner.PostAsync(new Uri("/plan/edit?lang=nl", UriKind.Relative), Form(form,
            ("site", "hs-flagey"), ("year", year.ToString(CultureInfo.InvariantCulture)), ("quarter", "5"), ("estimatedCost", "35.000,50")));
        string refusedHtml = await refused.Content.ReadAsStringAsync();
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (notANumber.StatusCode, refused.StatusCode));
        Assert.Contains("Dit is geen getal.", await notANumber.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Geef een kwartaal: 1, 2, 3 of 4.", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("Een site die niet in de inventaris staat, heeft een naam nodig.", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("class=\"error-summary\"", refusedHtml, StringComparison.Ordinal);

        using HttpResponseMessage saved = await planner.PostAsync(new Uri("/plan/edit?lang=nl", UriKind.Relative), Form(form,
            ("site", "hs-flagey"), ("year", year.ToString(CultureInfo.InvariantCulture)), ("quarter", "1"), ("estimatedCost", "35.000,50"), ("responsible", "Telenet"),
            ("state", "ordered"), ("stateDate", new DateOnly(year, 1, 2).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)), ("name", "Flageyplein"),
            ("kind", "hotspot-outdoor"), ("commune", "Elsene"), ("latitude", "50,8275"), ("longitude", "4.3725")));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal($"/plan?year={year}&saved=hs-flagey", saved.Headers.Location!.OriginalString);

        string list = WebUtility.HtmlDecode(await planner.GetStringAsync(new Uri($"/plan?year={year}&saved=hs-flagey&lang=nl", UriKind.Relative)));
        Assert.Contains("EUR\u00A035.000,50", list, StringComparison.Ordinal);
        Assert.Contains("Besteld", list, StringComparison.Ordinal);
        Assert.Contains($"2/01/{year}", list, StringComparison.Ordinal); // nl-BE writes a short day d/MM/yyyy
        string french = WebUtility.HtmlDecode(await planner.GetStringAsync(new Uri($"/plan/progress?year={year}&lang=fr", UriKind.Relative)));
        Assert.Contains("35\u202F000,50\u00A0EUR", french, StringComparison.Ordinal);
        Assert.Contains("<svg class=\"plan-chart\"", french, StringComparison.Ordinal);
        Assert.Contains("Commandé", french, StringComparison.Ordinal); // in the late sites
    }

    [Fact]
    public async Task The_import_form_names_every_refused_line_stores_nothing_and_then_stores_a_good_file()
    {
        await using NocHost noc = await NocHost.StartAsync();
        using HttpClient planner = await noc.SignedInAsync("planner");
        string page = await planner.GetStringAsync(new Uri("/plan/import?lang=fr", UriKind.Relative));
        const string Good = "site;année;trimestre;coût estimé\r\nhs-beursplein;2026;1;1.200,50\r\n";

        // Three bad rows: a quarter out of range, an amount that is not one (found while reading), a new site without its name.
        using HttpResponseMessage refused = await planner.PostAsync(new Uri("/plan/import?lang=fr", UriKind.Relative),
            Upload(page, Good + "hs-beursplein;2026;9;10\r\nhs-flageyplein;2026;2;beaucoup\r\nhs-nouveau;2026;3;10\r\n"));
        string refusedHtml = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        JsonElement afterRefusal = await planner.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/plan/2026/sites", UriKind.Relative));
        using HttpResponseMessage one = await planner.PostAsync(new Uri("/plan/import?lang=fr", UriKind.Relative), Upload(page, Good + "hs-beursplein;2026;9;10\r\n"));
        string oneHtml = WebUtility.HtmlDecode(await one.Content.ReadAsStringAsync());
        using HttpResponseMessage stored = await planner.PostAsync(new Uri("/plan/import?lang=fr", UriKind.Relative), Upload(page, Good));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("Rien n'a été importé : 3 lignes sont refusées.", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("<li data-line=\"3\">Ligne 3 : Indiquez un trimestre : 1, 2, 3 ou 4. (colonne quarter)</li>", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("<li data-line=\"4\">Ligne 4 : Ce n'est pas un nombre. (colonne estimatedCost)</li>", refusedHtml, StringComparison.Ordinal);
        Assert.Contains("<li data-line=\"5\">Ligne 5 : Un site absent de l'inventaire doit avoir un nom. (colonne name)", refusedHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("refused-more", refusedHtml, StringComparison.Ordinal);
        Assert.Empty(afterRefusal.EnumerateArray());
        Assert.Contains("Rien n'a été importé : la ligne 3 est refusée.", oneHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, stored.StatusCode);
        Assert.Equal("/plan?year=2026&imported=1", stored.Headers.Location!.OriginalString);
        Assert.Contains("1 sites importés.", await planner.GetStringAsync(new Uri("/plan?year=2026&imported=1&lang=fr", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nl-BE", "EUR 35.000,00", "35000.00")]
    [InlineData("nl-BE", "35000,5", "35000.5")]
    [InlineData("nl-BE", "€ 1.000.000", "1000000")]
    [InlineData("fr-BE", "35\u202F000,00\u00A0EUR", "35000.00")]
    [InlineData("fr-BE", "35 000,00 €", "35000.00")]
    [InlineData("fr-BE", "35.000,00", "35000.00")]
    [InlineData("en-GB", "EUR\u00A035,000.00", "35000.00")]
    [InlineData("en-GB", "35000.25", "35000.25")]
    public void A_form_reads_an_amount_as_the_pages_language_writes_it(string culture, string text, string expected)
    {
        Assert.True(PlanText.TryAmount(text, CultureInfo.GetCultureInfo(culture), out decimal? amount));
        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), amount);
        Assert.True(PlanText.TryAmount(PlanText.Money(amount!.Value, CultureInfo.GetCultureInfo(culture)), CultureInfo.GetCultureInfo(culture), out decimal? again));
        Assert.Equal(amount, again); // what the page writes reads back the same
    }

    [Theory]
    [InlineData("nl-BE", "35,000.00")]
    [InlineData("nl-BE", "35.5")]
    [InlineData("nl-BE", "1.2.3")]
    [InlineData("fr-BE", "35,000.00")]
    [InlineData("en-GB", "35.000,00")]
    [InlineData("en-GB", "-5")]
    [InlineData("en-GB", "12abc")]
    [InlineData("en-GB", "1,0000")]
    public void A_form_refuses_an_amount_written_in_another_language_or_not_one(string culture, string text) =>
        Assert.False(PlanText.TryAmount(text, CultureInfo.GetCultureInfo(culture), out _));

    [Fact]
    public async Task A_planner_sets_a_years_targets_in_Dutch_money_and_reads_them_back_in_French_after_a_redirect()
    {
        await using NocHost noc = await NocHost.StartAsync();
        using HttpClient planner = await noc.SignedInAsync("planner");
        string form = await planner.GetStringAsync(new Uri("/plan/targets?year=2027&lang=nl", UriKind.Relative));

        using HttpResponseMessage saved = await planner.PostAsync(new Uri("/plan/targets?lang=nl", UriKind.Relative), Form(form, ("year", "2027"),
            ("hotspots-sitesToAdd", "20"), ("hotspots-budget", "EUR 500.000,00"), ("schools-sitesToAdd", "28"), ("schools-budget", "1.000.000,50"),
            ("schools-schoolsTotal", "140")));
        string shown = WebUtility.HtmlDecode(await planner.GetStringAsync(new Uri("/plan/targets?year=2027&saved=1&lang=nl", UriKind.Relative)));
        string french = WebUtility.HtmlDecode(await planner.GetStringAsync(new Uri("/plan/targets?year=2027&lang=fr", UriKind.Relative)));
        JsonElement stored = await planner.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/plan/2027/targets", UriKind.Relative));

        // The French form as it is sent again unchanged: its amounts are read back the same.
        using HttpResponseMessage again = await planner.PostAsync(new Uri("/plan/targets?lang=fr", UriKind.Relative), Form(french, ("year", "2027"),
            ("hotspots-sitesToAdd", "20"), ("hotspots-budget", "500\u202F000,00\u00A0EUR"), ("schools-sitesToAdd", "28"), ("schools-budget", "1\u202F000\u202F000,50\u00A0EUR"),
            ("schools-schoolsTotal", "140")));
        JsonElement storedAgain = await planner.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/plan/2027/targets", UriKind.Relative));

        Assert.Contains("<legend>Fiber to the School</legend>", form, StringComparison.Ordinal);
        Assert.Contains("Bijvoorbeeld EUR\u00A01.000.000,00.", WebUtility.HtmlDecode(form), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("/plan/targets?year=2027&saved=1", saved.Headers.Location!.OriginalString);
        Assert.Contains("De doelen van 2027 zijn bewaard.", shown, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">EUR\u00A01.000.000,50</td>", shown, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">500\u202F000,00\u00A0EUR</td>", french, StringComparison.Ordinal);
        Assert.Contains("value=\"1\u202F000\u202F000,50\u00A0EUR\"", french, StringComparison.Ordinal);
        Assert.Equal([("hotspots", 20, 500_000m, (int?)null), ("schools", 28, 1_000_000.50m, (int?)140)], Targets(stored));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(Targets(stored), Targets(storedAgain));
    }

    [Theory]
    [InlineData("nl", "35,000.00", "Urbizone-hotspots: Geef een budget in EUR met hoogstens 2 decimalen.")]
    [InlineData("fr", "35,000.00", "Hotspots Urbizone : Indiquez un budget en EUR avec 2 décimales au plus.")]
    [InlineData("en", "35.000,00", "Urbizone hotspots: Enter a budget in EUR with at most 2 decimals.")]
    [InlineData("en", "35,000.001", "Urbizone hotspots: Enter a budget in EUR with at most 2 decimals.")]
    public async Task An_amount_in_another_languages_format_is_refused_with_the_error_summary_and_nothing_is_stored(string language, string budget, string message)
    {
        await using NocHost noc = await NocHost.StartAsync();
        using HttpClient planner = await noc.SignedInAsync("planner");
        string form = await planner.GetStringAsync(new Uri($"/plan/targets?year=2027&lang={language}", UriKind.Relative));

        using HttpResponseMessage refused = await planner.PostAsync(new Uri($"/plan/targets?lang={language}", UriKind.Relative), Form(form, ("year", "2027"),
            ("hotspots-sitesToAdd", "20"), ("hotspots-budget", budget), ("schools-sitesToAdd", "twenty"), ("schools-budget", "10")));
        string html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        using HttpResponseMessage empty = await planner.PostAsync(new Uri($"/plan/targets?lang={language}", UriKind.Relative), Form(form, ("year", "2027")));
        JsonElement stored = await planner.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/plan/2027/targets", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("class=\"error-summary\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"#hotspots-budget\"", html, StringComparison.Ordinal);
        Assert.Contains(message, html, StringComparison.Ordinal);
        Assert.Contains("href=\"#schools-sitesToAdd\"", html, StringComparison.Ordinal);
        Assert.Contains($"value=\"{budget}\"", html, StringComparison.Ordinal); // the form shows what was typed
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Empty(stored.EnumerateArray());
    }

    [Fact]
    public async Task Engineers_read_the_targets_without_the_form_and_get_403_posting_it_and_admins_set_them()
    {
        await using NocHost noc = await NocHost.StartAsync();
        using HttpClient engineer = await noc.SignedInAsync("engineer");
        using HttpClient admin = await noc.SignedInAsync("admin");
        string page = await engineer.GetStringAsync(new Uri("/plan/targets?year=2027", UriKind.Relative));
        (string, string)[] fields = [("year", "2027"), ("hotspots-sitesToAdd", "20"), ("hotspots-budget", "500000")];

        using HttpResponseMessage posted = await engineer.PostAsync(new Uri("/plan/targets", UriKind.Relative), Form(page, fields));
        string adminPage = await admin.GetStringAsync(new Uri("/plan/targets?year=2027", UriKind.Relative));
        using HttpResponseMessage byAdmin = await admin.PostAsync(new Uri("/plan/targets", UriKind.Relative), Form(adminPage, fields));
        string after = WebUtility.HtmlDecode(await engineer.GetStringAsync(new Uri("/plan/targets?year=2027", UriKind.Relative)));
        using HttpResponseMessage anonymous = await noc.Anonymous().GetAsync(new Uri("/plan/targets", UriKind.Relative));

        Assert.Contains("<table class=\"grid\" id=\"targets\">", page, StringComparison.Ordinal);
        Assert.DoesNotContain("action=\"/plan/targets\" asp", page, StringComparison.Ordinal);
        Assert.DoesNotContain("method=\"post\" action=\"/plan/targets\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, posted.StatusCode);
        Assert.Contains("method=\"post\" action=\"/plan/targets\"", adminPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, byAdmin.StatusCode);
        Assert.Contains("<td class=\"num\">EUR\u00A0500,000.00</td>", after, StringComparison.Ordinal);
        Assert.Contains(" by admin</td>", after, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
    }

    private static (string, int, decimal, int?)[] Targets(JsonElement targets) =>
        [.. targets.EnumerateArray().Select(t => (t.GetProperty("programme").GetString()!, t.GetProperty("sitesToAdd").GetInt32(), t.GetProperty("budget").GetDecimal(),
            t.GetProperty("schoolsTotal").ValueKind == JsonValueKind.Null ? (int?)null : t.GetProperty("schoolsTotal").GetInt32())).OrderBy(t => t.Item1, StringComparer.Ordinal)];

    private static FormUrlEncodedContent Form(string page, params (string Key, string Value)[] fields) =>
        new([new("__RequestVerificationToken", NocHost.AntiforgeryToken(page)), .. fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))]);

    private static MultipartFormDataContent Upload(string page, string csv)
    {
        var content = new MultipartFormDataContent
        {
            { new StringContent(NocHost.AntiforgeryToken(page)), "__RequestVerificationToken" },
            { new ByteArrayContent([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv)]), "file", "plan.csv" },
        };
        return content;
    }

    // P["Key"] in the pages, planText["Key"] in the models, RefuseWith(status, "Key").
    [GeneratedRegex("""(?:\bP|\bplanText)\["([A-Za-z0-9]+)"\]|RefuseWith\([^,]+, "([A-Za-z0-9]+)(?=")""")]
    private static partial Regex PageTextCall();

    // A problem's code: new("field", "Code", ...) (the pages' text is ProblemCode).
    [GeneratedRegex("""new(?:\s*PlanProblem)?\("[A-Za-z]+", "([A-Za-z]+)",""")]
    private static partial Regex ProblemCode();
}
