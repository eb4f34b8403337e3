using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;
using Network.Contracts;
using Network.Noc.Ingest;
using Network.Noc.Sla;
using Network.Noc.TimeSeries;

namespace Network.Noc.Reports;

/// <summary>Users online at one hotspot as the portal last said, and when.</summary>
public readonly record struct HotspotOnline(long Users, DateTimeOffset At);

/// <summary>A hotspot's users online as the dashboards show it: the site, the portal's last figure, and when it was taken.</summary>
public sealed record UsersOnlineView(string Site, long Users, DateTimeOffset At);

/// <summary>
/// Told about every hotspot whose users online moved on (a newer figure than the one kept): the live dashboards listen.
/// Called on the ingest's thread: queue, never wait.
/// </summary>
public interface IUsersOnlineObserver
{
    void UsersOnlineChanged(IReadOnlyList<UsersOnlineView> changed);
}

/// <summary>
/// Keeps the portal's figures as the hotspots' own, from every stored batch: the month totals and distinct-user sketches
/// into <see cref="UsageStore"/>, users online into the month's peak and the live figure (<see cref="Online"/>), for the
/// sites the inventory knows; the <see cref="IUsersOnlineObserver"/>s hear of every newer live figure. Months are local months of the SLA's zone (<see cref="SlaOptions.TimeZone"/>), as the portal counts them.
/// </summary>
public sealed class UsageRecorder(UsageStore store, IKnownSites sites, IOptions<SlaOptions> options, IEnumerable<IUsersOnlineObserver> observers) : IIngestObserver
{
    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);
    private readonly ConcurrentDictionary<string, HotspotOnline> _online = new(StringComparer.Ordinal);

    /// <summary>Users online per hotspot, as last reported.</summary>
    public IReadOnlyDictionary<string, HotspotOnline> Online => _online;

    /// <summary>Users online of every hotspot that has a figure, as the dashboards show it.</summary>
    public IReadOnlyList<UsersOnlineView> OnlineViews() => [.. _online.Select(o => new UsersOnlineView(o.Key, o.Value.Users, o.Value.At)).OrderBy(o => o.Site, StringComparer.Ordinal)];

    /// <summary>The local month (<c>yyyy-MM</c>) of an instant.</summary>
    public string MonthOf(long ms) => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), _zone).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public async ValueTask OnStoredAsync(IReadOnlyList<IngestWork> batches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var totals = new Dictionary<(string Site, long AtMs), MonthTotals>();
        var online = new List<(string, string, long, long)>();
        var sketches = new List<(string, string, UserCountSketch)>();
        HashSet<string>? moved = null;
        foreach (IngestWork batch in batches)
        {
            foreach (ref readonly SeriesPoint point in batch.PointSpan)
            {
                SeriesKey key = point.Key;
                if (!MetricNames.IsHotspotFigure(key.Metric) || !sites.IsKnown(key.Site))
                {
                    continue;
                }

                long value = (long)Math.Round(point.Value);
                if (key.Metric == MetricNames.UsersOnline)
                {
                    online.Add((key.Site, MonthOf(point.TimestampMs), point.TimestampMs, value));
                    var now = new HotspotOnline(value, DateTimeOffset.FromUnixTimeMilliseconds(point.TimestampMs));
                    if (_online.AddOrUpdate(key.Site, now, (_, old) => old.At > now.At ? old : now) == now)
                    {
                        (moved ??= new(StringComparer.Ordinal)).Add(key.Site);
                    }

                    continue;
                }

                (string, long) at = (key.Site, point.TimestampMs);
                MonthTotals t = totals.GetValueOrDefault(at) ?? new MonthTotals(key.Site, MonthOf(point.TimestampMs), point.TimestampMs, null, null, null, null);
                totals[at] = key.Metric switch
                {
                    MetricNames.SessionsMonth => t with { Sessions = value },
                    MetricNames.LoginsMonth => t with { Logins = value },
                    MetricNames.RegistrationsMonth => t with { Registrations = value },
                    MetricNames.OctetsMonth => t with { Octets = value },
                    _ => t,
                };
            }

            foreach (UserSketch sketch in batch.Sketches)
            {
                if (sites.IsKnown(sketch.Site) && UserCountSketch.FromBase64(sketch.Registers) is UserCountSketch users)
                {
                    sketches.Add((sketch.Site, sketch.Month, users));
                }
            }
        }

        // Only the rows with a month total (the hourly figures are in the time series alone).
        List<MonthTotals> months = [.. totals.Values.Where(t => t.Sessions is not null || t.Logins is not null || t.Registrations is not null || t.Octets is not null)];
        await store.RecordAsync(months, online, sketches, cancellationToken).ConfigureAwait(false);
        if (moved is not null)
        {
            List<UsersOnlineView> changed = [.. moved.Order(StringComparer.Ordinal).Select(site => new UsersOnlineView(site, _online[site].Users, _online[site].At))];
            foreach (IUsersOnlineObserver observer in observers)
            {
                observer.UsersOnlineChanged(changed);
            }
        }
    }
}
