using System.Text.RegularExpressions;
using Network.Noc.Inventory;
using Network.Storage;

namespace Network.Noc.Plan;

/// <summary>A row an import refuses: its line (0: the file as a whole) and every problem found in it.</summary>
public sealed record PlanRowRefusal(int Line, IReadOnlyList<PlanProblem> Problems);

/// <summary>
/// A CSV import refused: every bad row with its line and what is wrong with it, in the file's order. Nothing of the
/// import was stored.
/// </summary>
public sealed class PlanImportException(IReadOnlyList<PlanRowRefusal> refusals)
    : Exception(string.Join(" | ", refusals.Take(3).Select(r => $"line {r.Line}: {string.Join("; ", r.Problems.Select(p => p.Message))}"))
        + (refusals.Count > 3 ? $" | and {refusals.Count - 3} more rows" : ""))
{
    public PlanImportException(int line, IReadOnlyList<PlanProblem> problems)
        : this([new PlanRowRefusal(line, problems)])
    {
    }

    /// <summary>Every refused row, by line (at least one).</summary>
    public IReadOnlyList<PlanRowRefusal> Refusals { get; } = refusals.Count > 0 ? refusals : throw new ArgumentException("no refused row", nameof(refusals));

    /// <summary>The first refused row's line.</summary>
    public int Line => Refusals[0].Line;

    /// <summary>What is wrong with the first refused row.</summary>
    public IReadOnlyList<PlanProblem> Problems => Refusals[0].Problems;
}

/// <summary>
/// The rollout plan: targets and planned sites, kept on the NOC's database with the inventory's sites (a planned site the
/// inventory does not know yet is created there in state planned, in the same transaction), the set of sites still
/// waiting for the network (read by <see cref="PlanActivation"/> on every stored batch, without touching the database),
/// and the automatic move to active on a site's first report.
/// </summary>
public sealed partial class PlanService(ServiceDatabase database, InventoryService inventory, TimeProvider time)
{
    /// <summary>The plan's tables on the NOC's database.</summary>
    public static readonly DatabaseFeature Feature = new(typeof(PlanTables).Assembly);

    /// <summary>Who the plan names as having made a change the network made.</summary>
    public const string Network = "network";

    public const int MaxText = 2000;
    public const int MaxResponsible = 200;
    public const decimal MaxAmount = 1_000_000_000m;

    private volatile HashSet<string> _waiting = new(StringComparer.Ordinal);

    /// <summary>Whether a site is in the plan and still waiting for its first report (planned, ordered, installing).</summary>
    public bool IsWaiting(string site) => _waiting.Contains(site);

    /// <summary>Whether any site waits (so a batch need not be looked at otherwise).</summary>
    public bool AnyWaiting => _waiting.Count > 0;

    /// <summary>Reads the waiting sites into memory.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<string> waiting = await database.ReadAsync(connection => PlanStore.WaitingAsync(connection, cancellationToken), cancellationToken).ConfigureAwait(false);
        _waiting = new HashSet<string>(waiting, StringComparer.Ordinal);
    }

    public Task<IReadOnlyList<int>> YearsAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(connection => PlanStore.YearsAsync(connection, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<PlanTarget>> TargetsAsync(int? year, CancellationToken cancellationToken) =>
        database.ReadAsync(connection => PlanStore.TargetsAsync(connection, year, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<PlanEntry>> EntriesAsync(int? year, CancellationToken cancellationToken) =>
        database.ReadAsync(connection => PlanStore.EntriesAsync(connection, null, year, null, cancellationToken), cancellationToken);

    public async Task<PlanEntry?> EntryAsync(string site, CancellationToken cancellationToken) =>
        (await database.ReadAsync(connection => PlanStore.EntriesAsync(connection, null, null, site, cancellationToken), cancellationToken).ConfigureAwait(false))
        .SingleOrDefault();

    /// <summary>Stores a programme's targets for a year.</summary>
    public async Task<PlanTarget> SaveTargetAsync(int year, string programme, PlanTargetInput input, string user, CancellationToken cancellationToken) =>
        (await SaveTargetsAsync(year, [(programme, input)], user, cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Stores programmes' targets for a year in one transaction: all of them, or none (a <see cref="PlanException"/>).</summary>
    public async Task<IReadOnlyList<PlanTarget>> SaveTargetsAsync(int year, IReadOnlyList<(string Programme, PlanTargetInput Input)> targets, string user,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        List<PlanProblem> problems = [.. targets.SelectMany(t => CheckTarget(year, t.Programme, t.Input))];
        if (problems.Count > 0)
        {
            throw new PlanException(problems);
        }

        DateTimeOffset now = time.GetUtcNow();
        List<PlanTarget> stored = [.. targets.Select(t => new PlanTarget(year, t.Programme, t.Input.SitesToAdd!.Value, t.Input.Budget!.Value,
            t.Programme == PlanProgrammes.Schools ? t.Input.SchoolsTotal : null, user, now))];
        await database.WriteAsync(async (connection, transaction) =>
        {
            foreach (PlanTarget target in stored)
            {
                await PlanStore.SaveTargetAsync(connection, transaction, target, cancellationToken).ConfigureAwait(false);
            }

            return stored.Count;
        }, cancellationToken).ConfigureAwait(false);
        return stored;
    }

    /// <summary>What is wrong with a programme's targets for a year (empty when nothing is).</summary>
    public static IReadOnlyList<PlanProblem> CheckTarget(int year, string programme, PlanTargetInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var problems = new List<PlanProblem>();
        if (year is < PlanCalendar.FirstYear or > PlanCalendar.LastYear)
        {
            problems.Add(new("year", "Year", $"year must be {PlanCalendar.FirstYear} to {PlanCalendar.LastYear}"));
        }

        if (!PlanProgrammes.All.Contains(programme))
        {
            problems.Add(new("programme", "Programme", $"programme must be one of {string.Join(", ", PlanProgrammes.All)}"));
        }

        if (input.SitesToAdd is not (>= 0 and <= 10_000))
        {
            problems.Add(new("sitesToAdd", "SitesToAdd", "sitesToAdd must be a whole number from 0 to 10000"));
        }

        if (input.Budget is not decimal budget || !IsAmount(budget))
        {
            problems.Add(new("budget", "Budget", "budget must be an amount in EUR from 0 to 1000000000 with at most 2 decimals"));
        }

        if (input.SchoolsTotal is < 0 or > 100_000)
        {
            problems.Add(new("schoolsTotal", "SchoolsTotal", "schoolsTotal must be a whole number from 0 to 100000"));
        }

        return problems;
    }

    /// <summary>Creates or changes a site's plan entry (and creates the inventory site when it is new).</summary>
    public async Task<PlanEntry> SaveAsync(PlanSiteInput input, string user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        try
        {
            return (await ImportAsync([(0, input)], user, cancellationToken).ConfigureAwait(false))[0];
        }
        catch (PlanImportException ex)
        {
            throw new PlanException(ex.Problems);
        }
    }

    /// <summary>Stores a read import file (<see cref="PlanCsv.Parse"/>): its rows, unless it or they have a bad row.</summary>
    public Task<IReadOnlyList<PlanEntry>> ImportAsync(PlanCsvRows file, string user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        return ImportAsync(file.Rows, user, cancellationToken, file.Refused);
    }

    /// <summary>
    /// Stores the rows of an import in one transaction: every row is checked, and any bad one (those of
    /// <paramref name="refused"/>, found while reading the file, included) refuses the whole import with a
    /// <see cref="PlanImportException"/> naming every bad row by line; nothing of it is stored. A site named twice takes its last row.
    /// </summary>
    public async Task<IReadOnlyList<PlanEntry>> ImportAsync(IReadOnlyList<(int Line, PlanSiteInput Input)> rows, string user, CancellationToken cancellationToken,
        IReadOnlyList<PlanRowRefusal>? refused = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        DateTimeOffset now = time.GetUtcNow();
        IReadOnlyList<PlanEntry> stored;
        try
        {
            stored = await inventory.SaveWithAsync<IReadOnlyList<PlanEntry>>(async (connection, transaction) =>
            {
                var entries = new List<PlanEntry>();
                var sites = new Dictionary<string, Site>(StringComparer.Ordinal);
                var refusals = new List<PlanRowRefusal>(refused ?? []);
                foreach ((int line, PlanSiteInput input) in rows)
                {
                    string id = input.Site?.Trim() ?? "";
                    PlanEntry? existing = entries.LastOrDefault(e => e.Site == id)
                        ?? (id.Length == 0 ? null : (await PlanStore.EntriesAsync(connection, transaction, null, id, cancellationToken).ConfigureAwait(false)).SingleOrDefault());
                    Site? site = sites.GetValueOrDefault(id) ?? inventory.Find(id);
                    (PlanEntry? entry, Site? inventorySite, IReadOnlyList<PlanProblem> problems) = Prepare(input with { Site = id }, existing, site, user, now);
                    if (entry is null || inventorySite is null)
                    {
                        refusals.Add(new PlanRowRefusal(line, problems));
                        continue;
                    }

                    if (refusals.Count == 0)
                    {
                        // Once a row is refused nothing is stored: the rest are only checked.
                        await PlanStore.SaveEntryAsync(connection, transaction, entry, cancellationToken).ConfigureAwait(false);
                    }

                    entries.Add(entry);
                    sites[id] = inventorySite;
                }

                if (refusals.Count > 0)
                {
                    throw new PlanImportException([.. refusals.OrderBy(r => r.Line)]); // the transaction is rolled back
                }

                return (entries, [.. sites.Values.Where(s => !Equals(inventory.Find(s.Id), s))]);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (InventoryException ex)
        {
            throw new PlanImportException(rows.Count == 1 ? rows[0].Line : 0, [new("site", "Site", ex.Message)]);
        }

        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return stored;
    }

    /// <summary>Takes a site out of the plan (the inventory keeps it). False when it was not in the plan.</summary>
    public async Task<bool> DeleteAsync(string site, CancellationToken cancellationToken)
    {
        bool deleted = await database.WriteAsync((connection, transaction) => PlanStore.DeleteEntryAsync(connection, transaction, site, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    /// <summary>
    /// The network saw <paramref name="site"/> report at <paramref name="at"/>: a waiting site becomes active that day (in
    /// Brussels), marked as the network's doing, and so does its inventory site. False when it was not waiting (any more).
    /// </summary>
    public async Task<bool> ActivateByNetworkAsync(string site, DateTimeOffset at, CancellationToken cancellationToken)
    {
        DateOnly day = PlanCalendar.Day(at);
        bool moved = await inventory.SaveWithAsync<bool>(async (connection, transaction) =>
        {
            bool changed = await PlanStore.ActivateAsync(connection, transaction, site, day, at, cancellationToken).ConfigureAwait(false);
            return (changed, changed && inventory.Find(site) is Site known
                ? [known with { Lifecycle = Lifecycles.Active, InstalledOn = day }]
                : []);
        }, cancellationToken).ConfigureAwait(false);
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return moved;
    }

    /// <summary>
    /// Checks a row and makes the entry and its inventory site from it (the existing ones changed, or new ones); for a bad
    /// row, nulls and every problem found.
    /// </summary>
    private static (PlanEntry? Entry, Site? Site, IReadOnlyList<PlanProblem> Problems) Prepare(PlanSiteInput input, PlanEntry? existing, Site? site, string user,
        DateTimeOffset now)
    {
        var problems = new List<PlanProblem>();
        string id = input.Site ?? "";
        if (!IdPattern().IsMatch(id))
        {
            problems.Add(new("site", "Site", "site must be 1 to 64 lower-case letters, digits and dashes"));
        }

        if (site is null)
        {
            if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Length > 200)
            {
                problems.Add(new("name", "Name", "a site not in the inventory needs a name (1 to 200 characters)"));
            }

            if (input.Kind is null || !SiteKinds.All.Contains(input.Kind))
            {
                problems.Add(new("kind", "Kind", $"a site not in the inventory needs a kind: {string.Join(", ", SiteKinds.All)}"));
            }

            if (input.Commune is null || !Communes.IsKnown(input.Commune))
            {
                problems.Add(new("commune", "Commune", "a site not in the inventory needs one of the 19 communes"));
            }

            if (input.Latitude is not (>= -90 and <= 90) || input.Longitude is not (>= -180 and <= 180))
            {
                problems.Add(new("latitude", "Coordinates", "a site not in the inventory needs its latitude and longitude (WGS 84 degrees)"));
            }

            if (input.Address is { Length: > 500 })
            {
                problems.Add(new("address", "Address", "address must be at most 500 characters"));
            }
        }

        if (input.Year is not (>= PlanCalendar.FirstYear and <= PlanCalendar.LastYear))
        {
            problems.Add(new("year", "Year", $"year must be {PlanCalendar.FirstYear} to {PlanCalendar.LastYear}"));
        }

        if (input.Quarter is not (>= 1 and <= 4))
        {
            problems.Add(new("quarter", "Quarter", "quarter must be 1, 2, 3 or 4"));
        }

        if (input.EstimatedCost is decimal estimated && !IsAmount(estimated))
        {
            problems.Add(new("estimatedCost", "Cost", "estimatedCost must be an amount in EUR from 0 to 1000000000 with at most 2 decimals"));
        }

        if (input.ActualCost is decimal actual && !IsAmount(actual))
        {
            problems.Add(new("actualCost", "Cost", "actualCost must be an amount in EUR from 0 to 1000000000 with at most 2 decimals"));
        }

        if (input.Responsible is { Length: > MaxResponsible })
        {
            problems.Add(new("responsible", "Responsible", $"responsible must be at most {MaxResponsible} characters"));
        }

        if (input.Note is { Length: > MaxText })
        {
            problems.Add(new("note", "Note", $"note must be at most {MaxText} characters"));
        }

        if (input.State is not null && !PlanStates.All.Contains(input.State))
        {
            problems.Add(new("state", "State", $"state must be one of {string.Join(", ", PlanStates.All)}"));
        }

        DateOnly today = PlanCalendar.Day(now);
        if (input.StateDate is DateOnly stateDate && (stateDate.Year < PlanCalendar.FirstYear || stateDate > today.AddDays(1)))
        {
            problems.Add(new("stateDate", "StateDate", "the state's date must be a real day, not in the future"));
        }

        if (problems.Count > 0)
        {
            return (null, null, problems);
        }

        Site inventorySite = site ?? new Site(id, input.Name!.Trim(), input.Kind!, input.Commune!, input.Address?.Trim() ?? "", input.Latitude!.Value,
            input.Longitude!.Value, Lifecycles.Planned, today, null, null, null, []);
        string state = input.State ?? existing?.State ?? PlanStates.FromLifecycle(inventorySite.Lifecycle);
        PlanDates dates = existing?.Dates ?? PlanDates.None.With(PlanStates.Planned, today);
        DateTimeOffset? byNetwork = existing?.ChangedByNetworkAt;
        bool stateChanged = existing is null || existing.State != state;
        if (stateChanged || (input.StateDate is DateOnly asked && dates.Of(state) != asked))
        {
            dates = dates.With(state, input.StateDate ?? (existing is null && state == PlanStates.Active ? inventorySite.InstalledOn : null) ?? today);
            if (existing is not null)
            {
                // A person set the state or its day: the network's mark goes (the planner has corrected or confirmed it).
                byNetwork = null;
            }
        }

        var entry = new PlanEntry(id, PlanProgrammes.Of(inventorySite.Kind), input.Year!.Value, input.Quarter!.Value, input.EstimatedCost, input.ActualCost,
            input.Responsible?.Trim() ?? "", input.Note?.Trim() ?? "", state, dates, byNetwork, user, now);
        inventorySite = inventorySite with
        {
            Lifecycle = PlanStates.Lifecycle(state),
            InstalledOn = state == PlanStates.Active ? dates.Active : inventorySite.InstalledOn,
            RetiredOn = state == PlanStates.Retired ? dates.Retired : inventorySite.RetiredOn,
        };
        return (entry, inventorySite, []);
    }

    private static bool IsAmount(decimal amount) => amount >= 0 && amount <= MaxAmount && decimal.Round(amount, 2) == amount;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex IdPattern();
}
