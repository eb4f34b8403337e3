namespace Network.Noc.Alarms;

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

/// <summary>What the alarms should do: open (or keep) the alarm of this site, device and kind, or clear it.</summary>
public sealed record AlarmSignal(bool Open, string Site, string? Device, string Kind, string Severity, string Message, string? SuppressedBy);

/// <summary>Alarm kinds and severities (the status engine raises them).</summary>
public static class AlarmKinds
{
    public const string Down = "down";
    public const string Degraded = "degraded";
    public const string NoData = "no_data";
    public const string Flapping = "flapping";
    public const string SpeedDrop = "speed_drop";
    public const string Rebooted = "rebooted";
    public const string SamplesDropped = "samples_dropped";

    public const string Critical = "critical";
    public const string Major = "major";
    public const string Minor = "minor";
    public const string Warning = "warning";

    /// <summary>What <see cref="AlarmView.SuppressedBy"/> starts with for an alarm opened in a maintenance window (shown, not notified).</summary>
    public const string MaintenancePrefix = "maintenance:";

    /// <summary>Whether an alarm was opened in a maintenance window.</summary>
    public static bool InMaintenance(string? suppressedBy) => suppressedBy?.StartsWith(MaintenancePrefix, StringComparison.Ordinal) == true;

    /// <summary>
    /// What <see cref="AlarmView.SuppressedBy"/> starts with for a down alarm of a device that is flapping (then the device's
    /// name): the one flapping alarm is what people are told; each down period is still kept, shown but not notified,
    /// because the SLA counts its incidents from them.
    /// </summary>
    public const string FlappingPrefix = "flapping:";

    /// <summary>Whether an alarm was marked rather than suppressed by a down parent: opened in a maintenance window or while its device flapped.</summary>
    public static bool Marked(string? suppressedBy) =>
        InMaintenance(suppressedBy) || suppressedBy?.StartsWith(FlappingPrefix, StringComparison.Ordinal) == true;
}

/// <summary>
/// Told about every alarm that opened, cleared or was acknowledged, after it is stored: the webhook and the live
/// dashboards listen. Called on the caller's thread: queue, never wait.
/// </summary>
public interface IAlarmObserver
{
    void AlarmsChanged(IReadOnlyList<AlarmView> changed);
}

/// <summary>
/// Asked as alarms open: whether their site is in a maintenance window then. An alarm opened in one is stored with
/// <see cref="AlarmView.SuppressedBy"/> set to the answer (<see cref="AlarmKinds.MaintenancePrefix"/> and the window), so it is
/// shown but neither counted on the board nor sent to the webhook. Called on the caller's thread: answer from memory.
/// </summary>
public interface IAlarmMaintenance
{
    /// <summary>The mark for an alarm of <paramref name="site"/> opened at <paramref name="at"/>, or null outside every window.</summary>
    string? MaintenanceAt(string site, DateTimeOffset at);
}
