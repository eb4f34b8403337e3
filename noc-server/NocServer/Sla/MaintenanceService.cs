using Network.Noc.Alarms;
using Network.Noc.Inventory;

namespace Network.Noc.Sla;

/// <summary>A window that cannot be created, with the reason (a validation problem for the API).</summary>
public sealed class MaintenanceException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>
/// Maintenance windows: planned downtime of one or many sites with a reason, created ahead of time by engineers, planners
/// and admins; one that starts before it is created (more than <see cref="Grace"/> before) only by admins, and flagged
/// as made after the fact for the auditors. The running and coming windows are held in memory so that the alarms can ask,
/// as they open, whether their site is in one (<see cref="IAlarmMaintenance"/>).
/// </summary>
public sealed class MaintenanceService(SlaStore store, InventoryService inventory, TimeProvider time) : IAlarmMaintenance
{
    public const int MaxSites = 1000;
    public const int MaxReasonLength = 500;

    /// <summary>The longest window.</summary>
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(31);

    /// <summary>How long before its creation a window may start and still count as planned (the time to fill the form in).</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);

    private volatile IReadOnlyList<MaintenanceWindow> _current = [];

    /// <summary>Creates a window; throws <see cref="MaintenanceException"/> for bad input or a window after the fact by a non-admin.</summary>
    public async Task<MaintenanceWindow> CreateAsync(IReadOnlyList<string>? sites, DateTimeOffset? start, DateTimeOffset? end, string? reason, string user, bool isAdmin,
        CancellationToken cancellationToken)
    {
        List<string> ids = [.. (sites ?? []).Select(s => s?.Trim() ?? "").Distinct(StringComparer.Ordinal)];
        if (ids.Count is 0 or > MaxSites)
        {
            throw new MaintenanceException("sites", $"1 to {MaxSites} sites");
        }

        if (ids.FirstOrDefault(id => inventory.Find(id) is null) is string unknown)
        {
            throw new MaintenanceException("sites", $"'{(unknown.Length > 64 ? unknown[..64] : unknown)}' is not a site of the inventory");
        }

        if (start is not DateTimeOffset from || end is not DateTimeOffset to || to <= from || to - from > MaxLength)
        {
            throw new MaintenanceException("end", $"start and end are required, the end after the start, at most {MaxLength.TotalDays:0} days apart");
        }

        reason = reason?.Trim() ?? "";
        if (reason.Length is 0 or > MaxReasonLength)
        {
            throw new MaintenanceException("reason", $"a reason of 1 to {MaxReasonLength} characters");
        }

        DateTimeOffset now = time.GetUtcNow();
        bool afterTheFact = from < now - Grace;
        if (afterTheFact && !isAdmin)
        {
            throw new MaintenanceException("start", "a window that starts in the past may only be created by an admin (it is shown as made after the fact)");
        }

        long id = await store.AddWindowAsync(ids, from, to, reason, user, now, afterTheFact, cancellationToken).ConfigureAwait(false);
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return new MaintenanceWindow(id, ids, from, to, reason, user, now, afterTheFact);
    }

    /// <summary>The windows overlapping a range, of one site or all.</summary>
    public Task<IReadOnlyList<MaintenanceWindow>> ListAsync(DateTimeOffset from, DateTimeOffset to, string? site, CancellationToken cancellationToken) =>
        store.WindowsAsync(from, to, site, cancellationToken);

    /// <summary>Reads the running and coming windows into memory (at start, after a change, and now and then for other nodes' changes).</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        _current = await store.WindowsAsync(now, DateTimeOffset.MaxValue.AddDays(-1), null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public string? MaintenanceAt(string site, DateTimeOffset at)
    {
        foreach (MaintenanceWindow window in _current)
        {
            if (at >= window.Start && at < window.End && window.Sites.Contains(site, StringComparer.Ordinal))
            {
                return AlarmKinds.MaintenancePrefix + window.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }
}
