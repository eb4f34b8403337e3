using System.Text.Json.Serialization;

namespace Network.Noc.Status;

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

/// <summary>
/// Told about every site whose view changed (its state, its open alarms, its devices, or its devices' last seen):
/// the live dashboards listen. Called on the caller's thread: queue, never wait.
/// </summary>
public interface ISiteObserver
{
    /// <summary><paramref name="version"/> rises with every change (<see cref="StatusEngine.Version"/>).</summary>
    void SiteChanged(SiteStatusView site, long version);
}
