using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Network.Contracts;
using Network.Noc.Ingest;
using Network.Noc.Inventory;
using Network.Noc.Reports;
using Network.Noc.Throughput;
using Network.Noc.TimeSeries;
using Network.Noc.Users;

namespace Network.Noc.Pages;

/// <summary>
/// A site's page: the script finds the site by the id in the address (a site not in the inventory says so). The server
/// writes the throughput test's part: the last test's rates and time, a test asked for and not yet picked up by the
/// agent, and for engineers and admins the form that asks for one (<c>POST</c>, then back to the page). A hotspot's
/// page shows its users online as the portal last reported them (kept live by the script); a school's shows none.
/// </summary>
public sealed class SiteModel(IAuthorizationService authorization, IKnownSites sites, ThroughputRequests requests, ITimeSeriesReader series,
    TimeProvider time, InventoryService inventory, UsageRecorder usage) : PageModel
{
    /// <summary>How far back the page looks for the last test (the minute rollups' default retention).</summary>
    private static readonly TimeSpan s_lastTestWithin = TimeSpan.FromDays(35);

    public string Id { get; private set; } = "";

    /// <summary>Whether the viewer may ask for a test (engineers and admins) of this site (one in the inventory).</summary>
    public bool CanRunThroughputTest { get; private set; }

    /// <summary>When a test was asked for that the site's agent has not picked up yet.</summary>
    public DateTimeOffset? ThroughputRequestedAt { get; private set; }

    /// <summary>The last test's download and upload rates, Mbit/s, and when it ran; null when there is none.</summary>
    public (DateTimeOffset At, double? DownloadMbps, double? UploadMbps)? LastThroughputTest { get; private set; }

    /// <summary>Whether the site is a hotspot of the inventory (its page shows users online).</summary>
    public bool IsHotspot { get; private set; }

    /// <summary>The hotspot's users online as last reported; null when there is no figure yet.</summary>
    public HotspotOnline? UsersOnline { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (!IsValidId(id))
        {
            return NotFound();
        }

        Id = id;
        CanRunThroughputTest = sites.IsKnown(id) && await IsEngineerAsync().ConfigureAwait(false);
        ThroughputRequestedAt = requests.PendingSince(id);
        LastThroughputTest = await LastTestAsync(id, cancellationToken).ConfigureAwait(false);
        IsHotspot = inventory.Find(id) is { } site && SiteKinds.IsHotspot(site.Kind);
        UsersOnline = IsHotspot && usage.Online.TryGetValue(id, out HotspotOnline online) ? online : null;
        return Page();
    }

    /// <summary>Asks the site's agent for a throughput test (its next ingest answer says so), then shows the page again.</summary>
    public async Task<IActionResult> OnPostThroughputTestAsync(string id)
    {
        if (!IsValidId(id) || !sites.IsKnown(id))
        {
            return NotFound();
        }

        if (!await IsEngineerAsync().ConfigureAwait(false))
        {
            return StatusCode(StatusCodes.Status403Forbidden); // the error page, in the viewer's language
        }

        requests.Request(id);
        return Redirect($"/sites/{Uri.EscapeDataString(id)}#throughput-test");
    }

    /// <summary>A moment as the page shows it: in the region's time zone, date and time in the viewer's culture.</summary>
    public string LocalTime(DateTimeOffset at) => NocText.LocalTime(at, CultureInfo.CurrentCulture);

    /// <summary>A rate in Mbit/s with one decimal in the viewer's culture, or a dash.</summary>
    public string Rate(double? mbps) => mbps?.ToString("0.0", CultureInfo.CurrentCulture) ?? "–";

    private static bool IsValidId(string id) => id.Length is > 0 and <= 128 && !id.Any(char.IsControl);

    private async Task<bool> IsEngineerAsync() => (await authorization.AuthorizeAsync(User, NocPolicies.Engineer).ConfigureAwait(false)).Succeeded;

    private async Task<(DateTimeOffset, double?, double?)?> LastTestAsync(string site, CancellationToken cancellationToken)
    {
        SeriesBucket? download = await LastAsync(site, MetricNames.ThroughputDownloadMbps, cancellationToken).ConfigureAwait(false);
        SeriesBucket? upload = await LastAsync(site, MetricNames.ThroughputUploadMbps, cancellationToken).ConfigureAwait(false);
        long? at = download?.TimestampMs > upload?.TimestampMs || upload is null ? download?.TimestampMs : upload.Value.TimestampMs;
        return at is long ms ? (DateTimeOffset.FromUnixTimeMilliseconds(ms), download?.Last, upload?.Last) : null;
    }

    // The latest minute of a rate over all the site's targets: one test is one minute's point.
    private async Task<SeriesBucket?> LastAsync(string site, string metric, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        var query = new SeriesQuery(site, metric, now - s_lastTestWithin, now.AddMinutes(1)) { Resolution = SeriesResolution.Minute };
        IReadOnlyList<SeriesData> read = await series.ReadAsync(query, cancellationToken).ConfigureAwait(false);
        return read.SelectMany(s => s.Buckets).Where(b => b.Count > 0).Select(b => (SeriesBucket?)b).MaxBy(b => b!.Value.TimestampMs);
    }
}
