using System.Net;
using Network.Radius.Dictionary;

namespace Network.CaptivePortal.Sessions;

/// <summary>
/// One Accounting-Request as the RADIUS host decoded it: plain values, with the RFC 2866 enums of Network.Radius. Counters are as sent: the store adds
/// the Gigawords (RFC 2869 section 5.1 and 5.2: octets = gigawords × 2^32 + octets).
/// </summary>
public sealed record AccountingRecord
{
    public required AcctStatusType StatusType { get; init; }

    /// <summary>Acct-Session-Id; required for Start, Interim-Update and Stop.</summary>
    public string? AcctSessionId { get; init; }

    public string? UserName { get; init; }

    /// <summary>NAS-Identifier; it or <see cref="NasIpAddress"/> names the gateway (RFC 2866 section 4.1).</summary>
    public string? NasIdentifier { get; init; }

    public IPAddress? NasIpAddress { get; init; }

    /// <summary>Called-Station-Id: the hotspot's access point (often <c>MAC:SSID</c>).</summary>
    public string? CalledStationId { get; init; }

    /// <summary>Calling-Station-Id: the user's device MAC.</summary>
    public string? CallingStationId { get; init; }

    public IPAddress? FramedIpAddress { get; init; }

    /// <summary>Acct-Session-Time in seconds.</summary>
    public uint? SessionTime { get; init; }

    public uint InputOctets { get; init; }

    public uint OutputOctets { get; init; }

    public uint InputGigawords { get; init; }

    public uint OutputGigawords { get; init; }

    public AcctTerminateCause? TerminateCause { get; init; }

    /// <summary>Event-Timestamp (RFC 2869 section 5.3), when the gateway sent it.</summary>
    public DateTimeOffset? EventTimestamp { get; init; }

    /// <summary>Acct-Delay-Time in seconds (RFC 2866 section 5.2): without an Event-Timestamp, the event is this long before receipt.</summary>
    public uint DelayTime { get; init; }

    public long InputBytes => ((long)InputGigawords << 32) + InputOctets;

    public long OutputBytes => ((long)OutputGigawords << 32) + OutputOctets;
}

/// <summary>What the store did with a record. The RADIUS host answers Accounting-Response to both Recorded and Duplicate.</summary>
public enum AccountingOutcome
{
    Recorded,

    /// <summary>The same record came before (a retransmission or a duplicate); nothing counted twice.</summary>
    Duplicate,

    /// <summary>Neither NAS-Identifier nor NAS-IP-Address, or no Acct-Session-Id on a session record: not stored, do not acknowledge.</summary>
    Invalid,
}

public enum SessionState
{
    Open,

    /// <summary>Open, but no update for <c>Sessions:StaleAfterIntervals</c> interim intervals: counted as gone.</summary>
    Stale,

    Closed,
}

/// <summary>A user's session on one gateway, as the accounting records built it.</summary>
public sealed record SessionInfo(
    string AcctSessionId,
    string Hotspot,
    string? Username,
    string? NasIdentifier,
    IPAddress? NasIpAddress,
    string? CalledStationId,
    string? CallingStationId,
    IPAddress? FramedIpAddress,
    SessionState State,
    DateTimeOffset? Started,
    DateTimeOffset LastUpdate,
    DateTimeOffset? Stopped,
    long SessionTimeSeconds,
    long InputBytes,
    long OutputBytes,
    AcctTerminateCause? TerminateCause);

/// <summary>Users and sessions online at one hotspot now (stale sessions left out).</summary>
public sealed record HotspotOnline(string Hotspot, int Users, int Sessions);

/// <summary>One user at one hotspot over a stretch of hours: who (see <see cref="SessionStore.UsersAsync"/>) and their sessions.</summary>
public sealed record HotspotUser(string Hotspot, string User, int Sessions);

/// <summary>
/// One hour at one hotspot: sessions with accounting in that hour, sessions started in it, and the bytes counted in it
/// (each session's growth of its counters since its previous hour).
/// </summary>
public sealed record HotspotHour(string Hotspot, DateTimeOffset Hour, int ActiveSessions, int StartedSessions, long InputBytes, long OutputBytes);
