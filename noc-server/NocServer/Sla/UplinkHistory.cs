using Network.Noc.Alarms;

namespace Network.Noc.Sla;

/// <summary>A site uplink's status history as the maths reads it: its down periods and its no-data spans.</summary>
public sealed record UplinkPeriods(IReadOnlyList<DownPeriod> Down, IReadOnlyList<TimeSpan64> NoData)
{
    /// <summary>Whether any period touches [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public bool Touch(long from, long to) =>
        Down.Any(d => d.StartMs < to && (d.EndMs ?? long.MaxValue) > from) || NoData.Any(n => n.Start < to && n.End > from);
}

/// <summary>
/// The one way alarms become down periods, for the schools' SLA (<see cref="SlaReports"/>) and the hotspots' availability
/// (<c>UsageReports</c>): a site's down and no-data alarms (those marked for a maintenance window or a flapping link
/// too, not those suppressed because a parent is down), of its uplink device when it has one.
/// </summary>
public static class UplinkHistory
{
    /// <summary>
    /// Every site's status history that can touch a period from <paramref name="fromMs"/> on: the alarms opened since
    /// <paramref name="lookback"/> before it (an incident open at the start began earlier), by site. Read once, it serves
    /// the hotspots' and the schools' reports of the same period.
    /// </summary>
    public static async Task<ILookup<string, AlarmView>> ReadAsync(AlarmService alarms, long fromMs, TimeSpan lookback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alarms);
        IReadOnlyList<AlarmView> read = await alarms.QueryAsync(
            new AlarmFilter("all", Since: DateTimeOffset.FromUnixTimeMilliseconds(fromMs) - lookback, Limit: int.MaxValue), cancellationToken).ConfigureAwait(false);
        return read.Where(Includes).ToLookup(a => a.Site, StringComparer.Ordinal);
    }

    /// <summary>Whether an alarm is part of a site's status history.</summary>
    public static bool Includes(AlarmView alarm)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        return alarm.Kind is AlarmKinds.Down or AlarmKinds.NoData && (alarm.SuppressedBy is null || AlarmKinds.Marked(alarm.SuppressedBy));
    }

    /// <summary>
    /// The down periods (open ones without an end) and no-data spans (open ones to the end of time) of the alarms of a
    /// site's history; with <paramref name="uplink"/>, only the alarms of that device or of no device.
    /// </summary>
    public static UplinkPeriods Periods(IEnumerable<AlarmView> history, string? uplink)
    {
        ArgumentNullException.ThrowIfNull(history);
        var down = new List<DownPeriod>();
        var noData = new List<TimeSpan64>();
        foreach (AlarmView alarm in history)
        {
            if (!Includes(alarm) || (uplink is not null && alarm.Device is not null && alarm.Device != uplink))
            {
                continue;
            }

            long start = alarm.OpenedAt.ToUnixTimeMilliseconds();
            long? end = alarm.ClearedAt?.ToUnixTimeMilliseconds();
            if (alarm.Kind == AlarmKinds.Down)
            {
                down.Add(new DownPeriod(start, end, alarm.Id, alarm.AcknowledgedBy, alarm.AcknowledgedAt, alarm.Note));
            }
            else
            {
                noData.Add(new TimeSpan64(start, end ?? long.MaxValue));
            }
        }

        return new UplinkPeriods(down, noData);
    }
}
