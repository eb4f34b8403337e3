using Microsoft.Extensions.Options;
using Network.CaptivePortal.Radius;
using Network.CaptivePortal.Sessions;

namespace Network.CaptivePortal.Portal;

/// <summary>What a user has left now; null means no limit applies (or none is known yet).</summary>
public sealed record Allowance(bool Online, TimeSpan? TimeLeft, long? BytesLeft);

/// <summary>
/// A user's or a device's time and data left, for the "logged in" page and RFC 8908's seconds-remaining / bytes-remaining.
/// Today: the Session-Timeout of the RADIUS reply policy less the time of the open session the gateway reports; data has no
/// quota yet. When the session-policy quotas land in Sessions/, this reads them instead.
/// </summary>
public sealed class AllowanceReader(SessionStore sessions, IOptions<RadiusOptions> radius)
{
    public async Task<Allowance> ForUserAsync(string username, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<SessionInfo> open = await sessions.ListOpenAsync(null, cancellationToken).ConfigureAwait(false);
        return Of(open.Where(s => string.Equals(s.Username, username, StringComparison.OrdinalIgnoreCase)).ToList());
    }

    /// <summary>The device's allowance, found by its MAC (Calling-Station-Id) or else its address (Framed-IP-Address).</summary>
    public async Task<(Allowance Allowance, string? Username)> ForDeviceAsync(string? mac, System.Net.IPAddress? ip, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<SessionInfo> open = await sessions.ListOpenAsync(null, cancellationToken).ConfigureAwait(false);
        var mine = open.Where(s => (mac is not null && Accounts.MacAddress.TryNormalize(s.CallingStationId, out string? m) && m == mac)
            || (mac is null && ip is not null && ip.Equals(s.FramedIpAddress))).ToList();
        return (Of(mine), mine.FirstOrDefault()?.Username);
    }

    private Allowance Of(List<SessionInfo> open)
    {
        if (open.Count == 0)
        {
            return new Allowance(false, null, null);
        }

        int timeout = radius.Value.Reply.SessionTimeout;
        TimeSpan? left = timeout > 0 ? TimeSpan.FromSeconds(Math.Max(0, timeout - open.Max(s => s.SessionTimeSeconds))) : null;
        return new Allowance(true, left, null);
    }
}
