using Network.Noc.Inventory;

namespace Network.Noc.Plan;

/// <summary>A quarter of a programme's year: sites planned up to its end, and active by its end (null for a quarter not begun).</summary>
public sealed record QuarterProgress(int Quarter, DateOnly End, int PlannedCumulative, int? ActiveCumulative);

/// <summary>
/// A site behind its planned quarter: still waiting after the quarter's end (<see cref="DaysLate"/> to today), or made
/// active after it (days between the quarter's end and the day it became active).
/// </summary>
public sealed record LateSite(string Site, string Name, int Quarter, string State, int DaysLate);

/// <summary>
/// A programme's year: the target line (sites to add), the plan and what the network shows by quarter, the budget
/// against the estimated and spent amounts (EUR), the late sites, and for schools the share of all secondary schools
/// connected at the year's end (or today, for the running year).
/// </summary>
public sealed record ProgrammeProgress(
    string Programme,
    int Year,
    int? SitesTarget,
    int Planned,
    int Active,
    IReadOnlyList<QuarterProgress> Quarters,
    decimal? Budget,
    decimal Estimated,
    decimal Spent,
    IReadOnlyList<LateSite> Late,
    int? SchoolsTotal,
    int? SchoolsConnected,
    decimal? SharePercent);

/// <summary>The plan's progress for a year, as of a day: one entry per programme (hotspots, then schools).</summary>
public sealed record PlanProgress(int Year, DateOnly AsOf, IReadOnlyList<ProgrammeProgress> Programmes);

/// <summary>
/// The plan's progress, for the progress page, its API and the yearly report: <see cref="ProgressAsync"/> reads the
/// targets, the year's entries and the inventory and computes <see cref="PlanProgress"/> (a pure function of them and
/// the day: <see cref="Compute"/>).
/// </summary>
public sealed class PlanProgressService(PlanService plan, InventoryService inventory, TimeProvider time)
{
    public async Task<PlanProgress> ProgressAsync(int year, CancellationToken cancellationToken)
    {
        IReadOnlyList<PlanTarget> targets = await plan.TargetsAsync(year, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<PlanEntry> entries = await plan.EntriesAsync(year, cancellationToken).ConfigureAwait(false);
        return Compute(year, PlanCalendar.Day(time.GetUtcNow()), targets, entries, inventory.Sites);
    }

    public static PlanProgress Compute(int year, DateOnly today, IReadOnlyList<PlanTarget> targets, IReadOnlyList<PlanEntry> entries,
        IReadOnlyDictionary<string, Site> sites)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(sites);
        var programmes = new List<ProgrammeProgress>();
        foreach (string programme in PlanProgrammes.All)
        {
            PlanTarget? target = targets.FirstOrDefault(t => t.Year == year && t.Programme == programme);
            List<PlanEntry> mine = [.. entries.Where(e => e.Year == year && e.Programme == programme)];
            var quarters = new List<QuarterProgress>();
            for (int q = 1; q <= 4; q++)
            {
                DateOnly end = PlanCalendar.QuarterEnd(year, q);
                bool begun = new DateOnly(year, q * 3 - 2, 1) <= today;
                quarters.Add(new QuarterProgress(q, end, mine.Count(e => e.Quarter <= q),
                    begun ? mine.Count(e => e.Dates.Active is DateOnly active && active <= end && active <= today) : null));
            }

            var late = new List<LateSite>();
            foreach (PlanEntry e in mine)
            {
                string name = sites.GetValueOrDefault(e.Site)?.Name ?? e.Site;
                if (PlanStates.IsWaiting(e.State) && e.QuarterEnd < today)
                {
                    late.Add(new LateSite(e.Site, name, e.Quarter, e.State, today.DayNumber - e.QuarterEnd.DayNumber));
                }
                else if (e.Dates.Active is DateOnly active && active > e.QuarterEnd)
                {
                    late.Add(new LateSite(e.Site, name, e.Quarter, e.State, active.DayNumber - e.QuarterEnd.DayNumber));
                }
            }

            late.Sort((a, b) => b.DaysLate.CompareTo(a.DaysLate) is int c and not 0 ? c : string.CompareOrdinal(a.Site, b.Site));
            int? total = programme == PlanProgrammes.Schools ? target?.SchoolsTotal : null;
            int? connected = programme == PlanProgrammes.Schools ? SchoolsConnected(sites.Values, Min(PlanCalendar.QuarterEnd(year, 4), today)) : null;
            programmes.Add(new ProgrammeProgress(programme, year, target?.SitesToAdd, mine.Count, mine.Count(e => e.Dates.Active is not null),
                quarters, target?.Budget, mine.Sum(e => e.EstimatedCost ?? 0), mine.Sum(e => e.ActualCost ?? 0), late, total, connected,
                total is > 0 && connected is int c ? decimal.Round(c * 100m / total.Value, 1, MidpointRounding.AwayFromZero) : null));
        }

        return new PlanProgress(year, today, programmes);
    }

    /// <summary>Schools connected on a day: active (since their installation day, when known) and not retired by then.</summary>
    public static int SchoolsConnected(IEnumerable<Site> sites, DateOnly on) => sites.Count(s => s.Kind == SiteKinds.School
        && (s.InstalledOn is DateOnly installed ? installed <= on && s.Lifecycle is Lifecycles.Active or Lifecycles.Retired : s.Lifecycle == Lifecycles.Active)
        && !(s.Lifecycle == Lifecycles.Retired && (s.RetiredOn is not DateOnly retired || retired <= on)));

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;
}
