using System.Text.Json.Serialization;

namespace Network.Noc.Live;

/// <summary>The health of a device or a site, worst last.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HealthState>))]
public enum HealthState
{
    /// <summary>No data yet, or none for longer than the stale time.</summary>
    Unknown,

    /// <summary>Everything as it should be.</summary>
    Up,

    /// <summary>Working, but not as committed: loss, latency, a link below its committed rate, a speed drop.</summary>
    Degraded,

    /// <summary>Unreachable, or its uplink is down.</summary>
    Down,
}

/// <summary>One device as the dashboards show it.</summary>
public sealed record DeviceStatusView(
    string Name,
    HealthState State,
    DateTimeOffset Since,
    string? Reason,
    bool Flapping,
    bool Suppressed,
    DateTimeOffset? LastSeen);

/// <summary>One site as the dashboards show it: inventory, worst state of its devices, open alarms.</summary>
public sealed record SiteStatusView(
    string Id,
    string Name,
    string Kind,
    string Commune,
    double Latitude,
    double Longitude,
    string Lifecycle,
    HealthState State,
    DateTimeOffset Since,
    string? Reason,
    bool Flapping,
    int OpenAlarms,
    IReadOnlyList<DeviceStatusView> Devices);

/// <summary>One alarm. <see cref="State"/> is <c>open</c>, <c>acknowledged</c> or <c>cleared</c>; <see cref="Severity"/> <c>critical</c>, <c>major</c>, <c>minor</c> or <c>warning</c>.</summary>
public sealed record AlarmView(
    long Id,
    string Site,
    string? Device,
    string Kind,
    string Severity,
    string State,
    string Message,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ClearedAt,
    string? AcknowledgedBy,
    DateTimeOffset? AcknowledgedAt,
    string? Note,
    string? SuppressedBy);

/// <summary>What a dashboard gets when it connects: every site, counts by state, active alarms, and the version the changes continue from.</summary>
public sealed record BoardSnapshot(
    long Version,
    IReadOnlyDictionary<HealthState, int> Counts,
    IReadOnlyList<SiteStatusView> Sites,
    IReadOnlyList<AlarmView> ActiveAlarms);

/// <summary>A freshly ingested value for the live charts of a site page. <see cref="T"/> is Unix milliseconds.</summary>
public sealed record LivePoint(string Device, string Metric, string Labels, long T, double V);

/// <summary>What the live hub pushes to dashboards (method names as the browser sees them: camelCase of these).</summary>
public interface ILiveClient
{
    /// <summary>
    /// A site's state, alarms count or devices changed, or its devices reported (their last seen moved on);
    /// <paramref name="version"/> rises with every change.
    /// </summary>
    Task SiteChanged(SiteStatusView site, long version);

    /// <summary>An alarm opened, was acknowledged or cleared.</summary>
    Task AlarmChanged(AlarmView alarm);

    /// <summary>New values of a site watched with <c>WatchSite</c>.</summary>
    Task SitePoints(string siteId, IReadOnlyList<LivePoint> points);
}
