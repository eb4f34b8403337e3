using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Network.Contracts;
using Network.Noc.Ingest;
using Network.Noc.Plan;
using Network.Noc.Tests.Ingest;

namespace Network.Noc.Tests.Plan;

/// <summary>The plan's API: roles, validation, the CSV import in one transaction, and the first report making a site active.</summary>
public sealed class PlanApiTests
{
    private const string NewHotspot = """
        {"year":2026,"quarter":2,"estimatedCost":35000.5,"responsible":"Telenet","note":"","name":"Flageyplein","kind":"hotspot-outdoor",
         "commune":"Elsene","address":"Flageyplein 1","latitude":50.8275,"longitude":4.3725}
        """;

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("GET", "/api/v1/plan/years", null, "engineer,planner,admin")]
    [InlineData("GET", "/api/v1/plan/2026/sites", null, "engineer,planner,admin")]
    [InlineData("GET", "/api/v1/plan/2026/sites.csv?lang=nl", null, "engineer,planner,admin")]
    [InlineData("GET", "/api/v1/plan/2026/progress", null, "engineer,planner,admin")]
    [InlineData("GET", "/api/v1/plan/2026/targets", null, "engineer,planner,admin")]
    [InlineData("PUT", "/api/v1/plan/2026/targets/schools", "{\"sitesToAdd\":28,\"budget\":1000,\"schoolsTotal\":140}", "planner,admin")]
    [InlineData("PUT", "/api/v1/plan/sites/hs-flagey", NewHotspot, "planner,admin")]
    [InlineData("DELETE", "/api/v1/plan/sites/hs-flagey", null, "planner,admin")]
    [InlineData("POST", "/api/v1/plan/import", "site,year,quarter\nhs-beursplein,2026,1\n", "planner,admin")]
    public async Task Everyone_reads_the_plan_planners_and_admins_write_it_engineers_get_403(string method, string path, string? body, string allowed)
    {
        await using NocHost noc = await NocHost.StartAsync();
        using HttpResponseMessage anonymous = await noc.Anonymous().SendAsync(new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        foreach (string role in Users.NocRoles.All)
        {
            using HttpClient client = await noc.SignedInAsync(role);
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)) { Content = body is null ? null : Json(body) };
            using HttpResponseMessage response = await client.SendAsync(request);
            if (allowed.Split(',').Contains(role))
            {
                Assert.True(response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound, $"{role} {method} {path}: {response.StatusCode}");
            }
            else
            {
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            }
        }
    }

    [Fact]
    public async Task Bad_input_gets_validation_problems_naming_the_fields()
    {
        await using NocHost noc = await NocHost.StartAsync();
        using HttpClient planner = await noc.SignedInAsync("planner");

        using HttpResponseMessage site = await planner.PutAsync(new Uri("/api/v1/plan/sites/hs-nergens", UriKind.Relative), Json("{\"year\":1800,\"quarter\":9}"));
        using HttpResponseMessage target = await planner.PutAsync(new Uri("/api/v1/plan/2026/targets/bikes", UriKind.Relative), Json("{\"budget\":-1}"));

        Assert.Equal(HttpStatusCode.BadRequest, site.StatusCode);
        JsonElement errors = (await site.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("year", out _) && errors.TryGetProperty("quarter", out _) && errors.TryGetProperty("name", out _));
        Assert.Equal(HttpStatusCode.BadRequest, target.StatusCode);
        JsonElement targetErrors = (await target.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(targetErrors.TryGetProperty("programme", out _) && targetErrors.TryGetProperty("budget", out _) && targetErrors.TryGetProperty("sitesToAdd", out _));
    }

    [Fact]
    public async Task An_import_is_stored_whole_or_refused_whole_with_the_bad_line_and_a_file_too_large_is_refused()
    {
        await using NocHost noc = await NocHost.StartAsync();
        using HttpClient planner = await noc.SignedInAsync("planner");
        const string Good = "\uFEFFsite;jaar;kwartaal;geraamde kost;naam;soort;gemeente;breedtegraad;lengtegraad\r\n"
            + "hs-beursplein;2026;1;1.200,50;;;;;\r\n"
            + "hs-flagey;2026;2;35.000,00;Flageyplein;hotspot-outdoor;Elsene;50,8275;4,3725\r\n";
        string bad = Good + "hs-kapot;2026;7;10;Kapot;hotspot-outdoor;Elsene;50,8;4,3\r\n";

        using HttpResponseMessage refused = await planner.PostAsync(new Uri("/api/v1/plan/import", UriKind.Relative), new StringContent(bad, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        PlanImportRefusal refusal = (await refused.Content.ReadFromJsonAsync<PlanImportRefusal>())!;
        Assert.Equal(4, refusal.Line);
        Assert.Contains("quarter", Assert.Single(refusal.Problems), StringComparison.Ordinal);
        Assert.Equal([4], refusal.Rows.Select(r => r.Line));
        Assert.Equal(0, refusal.More);
        Assert.Empty((await planner.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/plan/2026/sites", UriKind.Relative))).EnumerateArray());

        // Sixty bad rows after the good ones: the first fifty are listed by line, the rest counted; nothing is stored.
        string manyBad = Good + string.Concat(Enumerable.Range(0, 60).Select(i => $"hs-kapot-{i};2026;{(i % 2 == 0 ? "7" : "veel")};10;;;;;\r\n"));
        using HttpResponseMessage many = await planner.PostAsync(new Uri("/api/v1/plan/import", UriKind.Relative), new StringContent(manyBad, Encoding.UTF8, "text/csv"));
        PlanImportRefusal manyRefusal = (await many.Content.ReadFromJsonAsync<PlanImportRefusal>())!;
        Assert.Equal(HttpStatusCode.UnprocessableEntity, many.StatusCode);
        Assert.Equal(Enumerable.Range(4, PlanCsv.MaxRefusalsListed), manyRefusal.Rows.Select(r => r.Line));
        Assert.Equal(10, manyRefusal.More);
        Assert.Contains("quarter", manyRefusal.Rows[1].Problems[0], StringComparison.Ordinal); // "veel": not a whole number
        Assert.Contains(manyRefusal.Rows[0].Problems, p => p.Contains("quarter must be 1, 2, 3 or 4", StringComparison.Ordinal));
        Assert.Empty((await planner.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/plan/2026/sites", UriKind.Relative))).EnumerateArray());

        using HttpResponseMessage stored = await planner.PostAsync(new Uri("/api/v1/plan/import", UriKind.Relative), new StringContent(Good, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        JsonElement sites = await planner.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/plan/2026/sites", UriKind.Relative));
        Assert.Equal([("hs-beursplein", 1200.50m, "active"), ("hs-flagey", 35000m, "planned")],
            sites.EnumerateArray().Select(s => (s.GetProperty("site").GetString(), s.GetProperty("estimatedCost").GetDecimal(), s.GetProperty("state").GetString())));

        using HttpResponseMessage tooLarge = await planner.PostAsync(new Uri("/api/v1/plan/import", UriKind.Relative),
            new StringContent("site,year,quarter\n" + new string('x', PlanCsv.MaxBytes), Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
    }

    [Fact]
    public async Task A_batch_from_a_planned_site_through_the_ingest_API_makes_it_active_that_day_marked_as_the_networks_and_moves_the_progress()
    {
        var stored = new StoredBatches();
        await using NocHost noc = await NocHost.StartAsync(services => services.AddSingleton<IIngestObserver>(stored));
        using HttpClient planner = await noc.SignedInAsync("planner");
        int year = PlanCalendar.Day(DateTimeOffset.UtcNow).Year;
        using HttpResponseMessage planned = await planner.PutAsync(new Uri("/api/v1/plan/sites/hs-flagey", UriKind.Relative),
            Json(NewHotspot.Replace("2026", year.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.OK, planned.StatusCode);
        JsonElement before = await planner.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/plan/{year}/progress", UriKind.Relative));
        Assert.Equal(0, before.GetProperty("programmes")[0].GetProperty("active").GetInt32());

        DateTimeOffset at = DateTimeOffset.UtcNow.AddSeconds(-2);
        using HttpResponseMessage ingest = await noc.IngestAsync(NocHost.Batch(1, NocHost.Reading(MetricNames.DeviceReachable, 1, site: "hs-flagey", at: at)));
        Assert.Equal(HttpStatusCode.OK, ingest.StatusCode);
        await stored.ObservedAsync(1).WaitAsync(TimeSpan.FromSeconds(30));

        PlanEntry entry = (await planner.GetFromJsonAsync<PlanEntry>(new Uri("/api/v1/plan/sites/hs-flagey", UriKind.Relative)))!;
        Assert.Equal((PlanStates.Active, (DateOnly?)PlanCalendar.Day(at), PlanService.Network), (entry.State, entry.Dates.Active, entry.UpdatedBy));
        Assert.Equal(at.ToUnixTimeMilliseconds(), entry.ChangedByNetworkAt!.Value.ToUnixTimeMilliseconds());
        JsonElement after = await planner.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/plan/{year}/progress", UriKind.Relative));
        Assert.Equal(1, after.GetProperty("programmes")[0].GetProperty("active").GetInt32());
        Assert.Equal("active", noc.Factory.Services.GetRequiredService<Inventory.InventoryService>().Find("hs-flagey")!.Lifecycle);
    }
}
