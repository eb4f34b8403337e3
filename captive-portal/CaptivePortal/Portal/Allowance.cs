using Microsoft.Extensions.Options;
using Network.CaptivePortal.Radius;
using Network.CaptivePortal.Sessions;

namespace Network.CaptivePortal.Portal;

/// <summary>What a user has left now; null means no limit applies (or none is known yet).</summary>
public sealed record Allowance(bool Online, TimeSpan? TimeLeft, long? BytesLeft);

/// <summary>
/// A user's or a device's time and data left, for the "logged in" page and RFC 8908's seconds-remaining / bytes-remaining:
/// the session policy's quotas across all the user's devices (<see cref="SessionPolicy.GetAllowanceAsync"/>); without a
/// time quota, the Session-Timeout of the RADIUS replies less the time of the open session the gateway reports.
/// </summary>
public sealed class AllowanceReader(SessionStore sessions, SessionPolicy policy, IOptions<RadiusOptions> radius)
{
    public async Task<Allowance> ForUserAsync(string username, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<SessionInfo> open = await sessions.ListOpenAsync(null, cancellationToken).ConfigureAwait(false);
        return await OfAsync(username, [.. open.Where(s => string.Equals(s.Username, username, StringComparison.OrdinalIgnoreCase))], cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>The device's allowance, found by its MAC (Calling-Station-Id) or else its address (Framed-IP-Address).</summary>
    public async Task<(Allowance Allowance, string? Username)> ForDeviceAsync(string? mac, System.Net.IPAddress? ip, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<SessionInfo> open = await sessions.ListOpenAsync(null, cancellationToken).ConfigureAwait(false);
        var mine = open.Where(s => (mac is not null && Accounts.MacAddress.TryNormalize(s.CallingStationId, out string? m) && m == mac)
            || (mac is null && ip is not null && ip.Equals(s.FramedIpAddress))).ToList();
        string? username = mine.FirstOrDefault(s => s.Username is not null)?.Username;
        return (await OfAsync(username, mine, cancellationToken).ConfigureAwait(false), username);
    }

    private async Task<Allowance> OfAsync(string? username, List<SessionInfo> open, CancellationToken cancellationToken)
    {
        UserAllowance? quota = username is null ? null : await policy.GetAllowanceAsync(username, cancellationToken).ConfigureAwait(false);
        if (open.Count == 0)
        {
            return new Allowance(false, quota?.TimeLeft, quota?.BytesLeft);
        }

        int timeout = radius.Value.Reply.SessionTimeout;
        TimeSpan? sessionLeft = timeout > 0 ? TimeSpan.FromSeconds(Math.Max(0, timeout - open.Max(s => s.SessionTimeSeconds))) : null;
        TimeSpan? left = (quota?.TimeLeft, sessionLeft) switch
        {
            ({ } q, { } s) => q < s ? q : s,
            ({ } q, null) => q,
            (null, var s) => s,
        };
        return new Allowance(true, left is { } l && l < TimeSpan.Zero ? TimeSpan.Zero : left, quota?.BytesLeft is { } b ? Math.Max(0, b) : null);
    }
}
