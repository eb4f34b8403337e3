using Network.Noc.Inventory;
using Network.Noc.Plan;

namespace Network.Noc.Tests.Plan;

/// <summary>The plan's progress as a pure function of the targets, the entries, the inventory and the day.</summary>
public sealed class PlanProgressTests
{
    private static readonly DateTimeOffset s_at = new(2026, 1, 2, 9, 0, 0, TimeSpan.Zero);

    private static PlanEntry Entry(string site, int quarter, string state, DateOnly? active = null, decimal? estimated = null, decimal? actual = null) =>
        new(site, PlanProgrammes.Schools, 2026, quarter, estimated, actual, "", "", state, PlanDates.None with { Planned = new DateOnly(2026, 1, 2), Active = active },
            null, "planner", s_at);

    private static Site School(string id, string lifecycle, DateOnly? installed, DateOnly? retired = null) =>
        new(id, id, SiteKinds.School, "Jette", "", 50.88, 4.32, lifecycle, null, installed, retired, null, []);

    [Fact]
    public void Quarters_count_planned_and_active_sites_cumulatively_money_adds_up_and_late_sites_are_named_latest_first()
    {
        PlanTarget[] targets =
        [
            new(2026, PlanProgrammes.Schools, 28, 1_000_000m, 140, "planner", s_at),
            new(2026, PlanProgrammes.Hotspots, 20, 250_000m, null, "planner", s_at),
        ];
        PlanEntry[] entries =
        [
            Entry("fts-a", 1, PlanStates.Active, new DateOnly(2026, 2, 10), 30_000m, 31_000.50m),
            Entry("fts-b", 1, PlanStates.Ordered, estimated: 25_000.25m),
            Entry("fts-c", 2, PlanStates.Active, new DateOnly(2026, 4, 20)),
            Entry("fts-d", 1, PlanStates.Active, new DateOnly(2026, 4, 2), actual: 1_000m),
            Entry("fts-e", 3, PlanStates.Planned),
        ];

        PlanProgress progress = PlanProgressService.Compute(2026, new DateOnly(2026, 5, 15), targets, entries, new Dictionary<string, Site>());

        ProgrammeProgress hotspots = progress.Programmes[0];
        ProgrammeProgress schools = progress.Programmes[1];
        Assert.Equal((PlanProgrammes.Hotspots, (int?)20, 0, 0, (decimal?)250_000m), (hotspots.Programme, hotspots.SitesTarget, hotspots.Planned, hotspots.Active, hotspots.Budget));
        Assert.Equal(((int?)28, 5, 3, (decimal?)1_000_000m, 55_000.25m, 32_000.50m), (schools.SitesTarget, schools.Planned, schools.Active, schools.Budget, schools.Estimated, schools.Spent));
        Assert.Equal([(1, 3, (int?)1), (2, 4, (int?)3), (3, 5, (int?)null), (4, 5, (int?)null)],
            schools.Quarters.Select(q => (q.Quarter, q.PlannedCumulative, q.ActiveCumulative)));
        Assert.Equal([("fts-b", 45), ("fts-d", 2)], schools.Late.Select(l => (l.Site, l.DaysLate)));
    }

    [Fact]
    public void The_share_of_schools_connected_is_taken_at_the_years_end_56_of_140_is_40_percent()
    {
        var sites = new Dictionary<string, Site>();
        for (int i = 0; i < 56; i++)
        {
            sites[$"fts-{i}"] = School($"fts-{i}", Lifecycles.Active, new DateOnly(2014 + i % 2, 3, 1));
        }

        sites["fts-later"] = School("fts-later", Lifecycles.Active, new DateOnly(2016, 3, 1));
        sites["fts-gone"] = School("fts-gone", Lifecycles.Retired, new DateOnly(2012, 3, 1), new DateOnly(2015, 6, 1));
        sites["fts-soon"] = School("fts-soon", Lifecycles.Planned, null);
        sites["hs-plein"] = School("hs-plein", Lifecycles.Active, new DateOnly(2014, 1, 1)) with { Kind = SiteKinds.HotspotOutdoor };

        PlanProgress progress = PlanProgressService.Compute(2015, new DateOnly(2026, 1, 1),
            [new PlanTarget(2015, PlanProgrammes.Schools, 28, 0m, 140, "planner", s_at)], [], sites);

        ProgrammeProgress schools = progress.Programmes[1];
        Assert.Equal(((int?)140, (int?)56, (decimal?)40.0m), (schools.SchoolsTotal, schools.SchoolsConnected, schools.SharePercent));
        Assert.Null(progress.Programmes[0].SharePercent);
    }
}
