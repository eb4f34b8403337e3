using System.Globalization;
using Network.Noc.Inventory;

namespace Network.Noc.Plan;

/// <summary>The two programmes the plan follows: Urbizone's hotspots and Fiber to the School.</summary>
public static class PlanProgrammes
{
    public const string Hotspots = "hotspots";
    public const string Schools = "schools";

    public static readonly IReadOnlyList<string> All = [Hotspots, Schools];

    /// <summary>The programme a site of this inventory kind belongs to.</summary>
    public static string Of(string kind) => kind == SiteKinds.School ? Schools : Hotspots;
}

/// <summary>Where a planned site is in its rollout. <see cref="Active"/> is set by the network when the site first reports.</summary>
public static class PlanStates
{
    public const string Planned = "planned";
    public const string Ordered = "ordered";
    public const string Installing = "installing";
    public const string Active = "active";
    public const string Retired = "retired";

    public static readonly IReadOnlyList<string> All = [Planned, Ordered, Installing, Active, Retired];

    /// <summary>A site still waiting for the network: the first report from it makes it active.</summary>
    public static bool IsWaiting(string state) => state is Planned or Ordered or Installing;

    /// <summary>The inventory's lifecycle for a plan state (the inventory has no "ordered": it is still planned there).</summary>
    public static string Lifecycle(string state) => state switch
    {
        Installing => Lifecycles.Installing,
        Active => Lifecycles.Active,
        Retired => Lifecycles.Retired,
        _ => Lifecycles.Planned,
    };

    /// <summary>The plan state an inventory site starts with when the plan takes it up.</summary>
    public static string FromLifecycle(string lifecycle) => lifecycle switch
    {
        Lifecycles.Installing => Installing,
        Lifecycles.Active => Active,
        Lifecycles.Retired => Retired,
        _ => Planned,
    };
}

/// <summary>A programme's targets for a year: sites to add, the budget, and for schools all secondary schools of the region.</summary>
public sealed record PlanTarget(int Year, string Programme, int SitesToAdd, decimal Budget, int? SchoolsTotal, string UpdatedBy, DateTimeOffset UpdatedAt);

/// <summary>The day each state was reached (null: not reached).</summary>
public sealed record PlanDates(DateOnly? Planned, DateOnly? Ordered, DateOnly? Installing, DateOnly? Active, DateOnly? Retired)
{
    public static readonly PlanDates None = new(null, null, null, null, null);

    public DateOnly? Of(string state) => state switch
    {
        PlanStates.Planned => Planned,
        PlanStates.Ordered => Ordered,
        PlanStates.Installing => Installing,
        PlanStates.Active => Active,
        PlanStates.Retired => Retired,
        _ => null,
    };

    public PlanDates With(string state, DateOnly? on) => state switch
    {
        PlanStates.Planned => this with { Planned = on },
        PlanStates.Ordered => this with { Ordered = on },
        PlanStates.Installing => this with { Installing = on },
        PlanStates.Active => this with { Active = on },
        PlanStates.Retired => this with { Retired = on },
        _ => this,
    };
}

/// <summary>
/// A site in the plan: its year and quarter, costs in EUR (the actual one once known), who is responsible, a note, its
/// state with the day of each state. <see cref="ChangedByNetworkAt"/> is set when the network made it active (its first
/// report) and cleared when a person sets the state or its date.
/// </summary>
public sealed record PlanEntry(
    string Site,
    string Programme,
    int Year,
    int Quarter,
    decimal? EstimatedCost,
    decimal? ActualCost,
    string Responsible,
    string Note,
    string State,
    PlanDates Dates,
    DateTimeOffset? ChangedByNetworkAt,
    string UpdatedBy,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The last day of the planned quarter.</summary>
    public DateOnly QuarterEnd => PlanCalendar.QuarterEnd(Year, Quarter);
}

/// <summary>
/// A site's plan entry as a planner writes it (the form, the API, a CSV row). The inventory fields are needed only for a
/// site the inventory does not have yet: the plan creates it there, in state planned.
/// </summary>
public sealed record PlanSiteInput(
    string? Site,
    int? Year,
    int? Quarter,
    decimal? EstimatedCost,
    decimal? ActualCost,
    string? Responsible,
    string? Note,
    string? State = null,
    DateOnly? StateDate = null,
    string? Name = null,
    string? Kind = null,
    string? Commune = null,
    string? Address = null,
    double? Latitude = null,
    double? Longitude = null);

/// <summary>A programme's targets as a planner writes them.</summary>
public sealed record PlanTargetInput(int? SitesToAdd, decimal? Budget, int? SchoolsTotal);

/// <summary>What is wrong with an input: the field, a code (the pages' text is <c>Problem{Code}</c>), and the English message.</summary>
public sealed record PlanProblem(string Field, string Code, string Message);

/// <summary>An input the plan refuses, with every problem found.</summary>
public sealed class PlanException(IReadOnlyList<PlanProblem> problems) : Exception(string.Join("; ", problems.Select(p => p.Message)))
{
    public IReadOnlyList<PlanProblem> Problems { get; } = problems;

    public Dictionary<string, string[]> ToValidationProblems() =>
        Problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray());
}

/// <summary>Quarters and days in the region's time zone.</summary>
public static class PlanCalendar
{
    /// <summary>The region's time zone: a site that first reports at 00:30 in Brussels is active that day.</summary>
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels");

    public const int FirstYear = 2000;
    public const int LastYear = 2100;

    /// <summary>A year asked for in an address (<c>?year=2026</c>), or <paramref name="otherwise"/> when it is not one from <see cref="FirstYear"/> to <see cref="LastYear"/>.</summary>
    public static int YearOr(string? text, int otherwise) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int year) && year is >= FirstYear and <= LastYear ? year : otherwise;

    public static DateOnly QuarterEnd(int year, int quarter) => new DateOnly(year, quarter * 3, 1).AddMonths(1).AddDays(-1);

    /// <summary>The quarter (1-4) a day is in.</summary>
    public static int QuarterOf(DateOnly day) => (day.Month + 2) / 3;

    /// <summary>The region's day at an instant.</summary>
    public static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Zone).DateTime);

    public static string Iso(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
}
