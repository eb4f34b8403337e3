using Network.Noc.Alarms;
using Network.Noc.Reports;
using Network.Noc.Status;

namespace Network.Noc.Live;

/// <summary>
/// What a dashboard gets when it connects: every site, counts by state, active alarms, the version the changes continue
/// from, and the users online of every hotspot with a figure (a hotspot not in it has none yet).
/// </summary>
public sealed record BoardSnapshot(
    long Version,
    IReadOnlyDictionary<HealthState, int> Counts,
    IReadOnlyList<SiteStatusView> Sites,
    IReadOnlyList<AlarmView> ActiveAlarms,
    IReadOnlyList<UsersOnlineView> Online);

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

    /// <summary>A hotspot's portal reported a newer figure of users online (a dashboard keeps the one with the latest <c>At</c>).</summary>
    Task UsersOnlineChanged(UsersOnlineView online);

    /// <summary>New values of a site watched with <c>WatchSite</c>.</summary>
    Task SitePoints(string siteId, IReadOnlyList<LivePoint> points);
}
