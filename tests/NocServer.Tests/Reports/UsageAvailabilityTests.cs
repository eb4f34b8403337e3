using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Network.Noc.Reports;

namespace Network.Noc.Tests.Reports;

/// <summary>A hotspot's availability turns alarms into down periods as the schools' SLA does (one function for both).</summary>
public sealed class UsageAvailabilityTests
{
    [Fact]
    public async Task A_hotspot_link_that_flaps_is_down_for_every_down_period_also_once_it_is_marked_flapping()
    {
        // Hand-computed: the flapping of SlaApiTests is 2 + 4 + 5 + 3 = 14 minutes down in March 2026, which has 743 hours
        // (44,580 minutes) in Brussels; the hotspots' reports count every hour. Before, the two down periods after the link
        // was marked flapping counted as up: 6 minutes down.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 10, 8, 0, 0, TimeSpan.Zero));
        await using NocHost noc = await NocHost.StartAsync(time, ("Status:StaleAfter", "1.00:00:00"), ("Status:RaiseAfter", "1"), ("Status:ClearAfter", "1"));
        using HttpClient engineer = await noc.SignedInAsync("engineer");
        await SlaApiTests.FlapAsync(noc, engineer, time, NocHost.Site);

        time.Advance(new DateTimeOffset(2026, 4, 2, 0, 0, 0, TimeSpan.Zero) - time.GetUtcNow());
        using HttpClient planner = await noc.SignedInAsync("planner");
        PeriodReport report = (await planner.GetFromJsonAsync<PeriodReport>(new Uri("/api/v1/reports/monthly?month=2026-03", UriKind.Relative), JsonSerializerOptions.Web))!;

        HotspotUsage beurs = Assert.Single(report.Hotspots.Hotspots, h => h.Site == NocHost.Site);
        Assert.Equal((44_580 - 14) / 44_580.0 * 100, beurs.Figures.AvailabilityPercent!.Value, 9);
    }
}
