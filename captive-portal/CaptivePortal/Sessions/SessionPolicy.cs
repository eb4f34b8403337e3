using System.Net;
using System.Text;
using Dapper;
using Microsoft.Extensions.Options;
using Network.CaptivePortal.Accounts;
using Network.Radius.Client;
using Network.Radius.Dictionary;
using Network.Radius.Packets;
using Network.Radius.Server;
using Network.Storage;

namespace Network.CaptivePortal.Sessions;

/// <summary>What a user has left in the current period. Null fields: no such quota or limit is configured.</summary>
/// <param name="TimeLeft">Online time left, all devices together.</param>
/// <param name="BytesLeft">Octets (in and out) left, all devices together.</param>
/// <param name="OpenSessions">Devices online now.</param>
/// <param name="MaxSessions">Devices allowed online at once.</param>
/// <param name="Renews">When the next period starts and the quotas are whole again.</param>
public sealed record UserAllowance(TimeSpan? TimeLeft, long? BytesLeft, int OpenSessions, int? MaxSessions, DateTimeOffset Renews)
{
    /// <summary>True when a quota is used up.</summary>
    public bool Exhausted => (TimeLeft is { } t && t <= TimeSpan.Zero) || BytesLeft is <= 0;
}

/// <summary>What the policy says to an Access-Request of a user who gave the right password.</summary>
public sealed record SessionDecision(bool Allowed, string? RefusalMessage, TimeSpan? TimeLeft, long? BytesLeft)
{
    public static SessionDecision Unlimited { get; } = new(true, null, null, null);
}

/// <summary>
/// The session policy: time and data quotas per user across all their devices, a limit of devices online at
/// once, and a Disconnect-Request (RFC 5176) to every open session of a user whose usage crosses a quota. It keeps each
/// user's sessions of the current period in memory (read from the session store once, then fed by every accounting
/// record the RADIUS host stores), so an Access-Request is decided without a read. The portal's pages ask it for
/// <see cref="GetAllowanceAsync"/> ("time and data left").
/// </summary>
public sealed partial class SessionPolicy : IAsyncDisposable
{
    private readonly ServiceDatabase _database;
    private readonly SessionsOptions _sessions;
    private readonly SessionPolicyOptions _policy;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeZoneInfo _zone;
    private readonly ISessionGateways _gateways;
    private readonly Dictionary<string, List<Usage>> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _loading = new(1, 1);
    private readonly Lazy<RadiusRequester> _requester = new(() => new RadiusRequester());
    private volatile bool _loaded;

    public SessionPolicy(ServiceDatabase database, IOptions<SessionsOptions> sessions, ISessionGateways gateways, TimeProvider time, ILogger<SessionPolicy> logger)
    {
        _database = database;
        _sessions = sessions.Value;
        _policy = sessions.Value.Policy;
        _time = time;
        _logger = logger;
        _zone = TimeZoneInfo.FindSystemTimeZoneById(_policy.TimeZone);
        _gateways = gateways;
    }

    /// <summary>Disconnect-Requests the policy sent, acknowledged or not (for tests and the operator).</summary>
    internal int DisconnectsSent => Volatile.Read(ref _disconnectsSent);

    private int _disconnectsSent;

    private long DataQuota => _policy.DataQuotaMegabytes * 1_000_000;

    /// <summary>Time and data left for <paramref name="username"/> in the current period, devices online and the limit.</summary>
    public async Task<UserAllowance> GetAllowanceAsync(string username, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(username);
        await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
        return Allowance(username, null, _time.GetUtcNow());
    }

    /// <summary>The policy's answer for an Access-Request, or null when the usage is not in memory yet (call <see cref="DecideAsync"/>).</summary>
    public SessionDecision? TryDecide(string username, string? callingStationId) =>
        _loaded ? Decide(username, callingStationId) : null;

    /// <summary>The policy's answer for an Access-Request of <paramref name="username"/> from the device <paramref name="callingStationId"/>.</summary>
    public async Task<SessionDecision> DecideAsync(string username, string? callingStationId, CancellationToken cancellationToken = default)
    {
        await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
        return Decide(username, callingStationId);
    }

    /// <summary>
    /// Takes a stored accounting record into the usage, and on an Interim-Update (or Start, or Stop) that leaves the user
    /// over a quota, sends a Disconnect-Request to the gateway of each of the user's open sessions. <paramref name="from"/>
    /// is where the record came from (the NAS when it sent no NAS-IP-Address).
    /// </summary>
    public async Task ObserveAsync(AccountingRecord record, IPAddress? from, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = _time.GetUtcNow();
        List<Usage>? toDisconnect = null;
        lock (_lock)
        {
            if (record.StatusType is AcctStatusType.AccountingOn or AcctStatusType.AccountingOff)
            {
                string nas = NasKey(record.NasIdentifier, record.NasIpAddress?.ToString());
                foreach (Usage usage in _users.Values.SelectMany(u => u))
                {
                    usage.Open &= usage.NasKey != nas;
                }

                return;
            }

            if (string.IsNullOrEmpty(record.UserName) || string.IsNullOrEmpty(record.AcctSessionId))
            {
                return;
            }

            Usage session = Track(record, from, now);
            session.Apply(record, now, _gateways.IdleTimeout, _policy.CountIdleTime);
            if (session.Open && (_policy.TimeQuota > TimeSpan.Zero || DataQuota > 0))
            {
                UserAllowance left = Allowance(record.UserName, null, now);
                if (left.Exhausted)
                {
                    toDisconnect = [.. _users[record.UserName].Where(u => u.Open && Fresh(u, now) && !u.DisconnectSent)];
                    foreach (Usage u in toDisconnect)
                    {
                        u.DisconnectSent = true;
                    }
                }
            }
        }

        // The usage is up to date when this returns; the gateways' answers are awaited in the background, so the
        // Accounting-Response never waits for another gateway.
        foreach (Usage usage in toDisconnect ?? [])
        {
            _ = DisconnectAsync(usage, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_requester.IsValueCreated)
        {
            await _requester.Value.DisposeAsync().ConfigureAwait(false);
        }

        _loading.Dispose();
    }

    private SessionDecision Decide(string username, string? callingStationId)
    {
        DateTimeOffset now = _time.GetUtcNow();
        string? device = MacAddress.TryNormalize(callingStationId, out string? mac) ? mac : callingStationId;
        UserAllowance left;
        lock (_lock)
        {
            left = Allowance(username, device, now);
        }

        if (left.TimeLeft is { } time && time <= TimeSpan.Zero)
        {
            return new SessionDecision(false, $"Your online time for this period is used up. It renews on {Renews(left)}.", time, left.BytesLeft);
        }

        if (left.BytesLeft is <= 0)
        {
            return new SessionDecision(false, $"Your data for this period is used up. It renews on {Renews(left)}.", left.TimeLeft, left.BytesLeft);
        }

        if (left.MaxSessions is { } max && left.OpenSessions >= max)
        {
            return new SessionDecision(false, $"You are already online on {left.OpenSessions} devices, the most at once. Log out on one of them first.", left.TimeLeft, left.BytesLeft);
        }

        return left.TimeLeft is null && left.BytesLeft is null ? SessionDecision.Unlimited : new SessionDecision(true, null, left.TimeLeft, left.BytesLeft);
    }

    private string Renews(UserAllowance left) =>
        TimeZoneInfo.ConvertTime(left.Renews, _zone).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    // Under _lock. Sessions of another device than `device` count toward the limit; all of the period count toward quotas.
    private UserAllowance Allowance(string username, string? device, DateTimeOffset now)
    {
        bool quotas = _policy.TimeQuota > TimeSpan.Zero || DataQuota > 0;
        (DateTimeOffset start, DateTimeOffset renews) = quotas ? PeriodOf(now) : (now, now); // the zone's calendar only when it matters
        long startMs = start.ToUnixTimeMilliseconds();
        TimeSpan used = TimeSpan.Zero;
        long bytes = 0;
        int open = 0;
        if (_users.TryGetValue(username, out List<Usage>? sessions))
        {
            foreach (Usage s in sessions)
            {
                bool fresh = s.Open && Fresh(s, now);
                if (s.StartedMs >= startMs)
                {
                    used += TimeSpan.FromSeconds(s.ChargedSeconds) + (fresh ? Min(now - s.LastUpdate, _sessions.InterimInterval) : TimeSpan.Zero);
                    bytes += s.Bytes;
                }

                if (fresh && (device is null || !string.Equals(s.Device, device, StringComparison.OrdinalIgnoreCase)))
                {
                    open++;
                }
            }
        }

        return new UserAllowance(
            _policy.TimeQuota > TimeSpan.Zero ? _policy.TimeQuota - used : null,
            DataQuota > 0 ? DataQuota - bytes : null,
            open,
            _policy.MaxSessions > 0 ? _policy.MaxSessions : null,
            renews);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private bool Fresh(Usage usage, DateTimeOffset now) => now - usage.LastUpdate < _sessions.InterimInterval * _sessions.StaleAfterIntervals;

    /// <summary>The period that contains <paramref name="now"/>: its start and the next one's, at local midnight in the zone.</summary>
    internal (DateTimeOffset Start, DateTimeOffset Next) PeriodOf(DateTimeOffset now)
    {
        DateTime local = TimeZoneInfo.ConvertTime(now, _zone).DateTime.Date;
        (DateTime start, DateTime next) = _policy.Period switch
        {
            QuotaPeriod.Week => (local.AddDays(-(((int)local.DayOfWeek + 6) % 7)), local.AddDays(-(((int)local.DayOfWeek + 6) % 7) + 7)),
            QuotaPeriod.Month => (new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified), new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified).AddMonths(1)),
            _ => (local, local.AddDays(1)),
        };
        return (Local(start), Local(next));
    }

    private DateTimeOffset Local(DateTime wallClock) => new(wallClock, _zone.GetUtcOffset(wallClock));

    // Under _lock: the user's entry for this session, made on first sight.
    private Usage Track(AccountingRecord record, IPAddress? from, DateTimeOffset now)
    {
        string nasKey = NasKey(record.NasIdentifier, record.NasIpAddress?.ToString());
        if (!_users.TryGetValue(record.UserName!, out List<Usage>? sessions))
        {
            _users[record.UserName!] = sessions = [];
        }

        Usage? usage = sessions.Find(u => u.NasKey == nasKey && u.AcctSessionId == record.AcctSessionId);
        if (usage is null)
        {
            long eventMs = (record.EventTimestamp ?? now.AddSeconds(-record.DelayTime)).ToUnixTimeMilliseconds();
            usage = new Usage(record.UserName!, nasKey, record.AcctSessionId!, eventMs - ((record.SessionTime ?? 0) * 1000L))
            {
                Nas = record.NasIpAddress ?? from,
                Device = MacAddress.TryNormalize(record.CallingStationId, out string? mac) ? mac : record.CallingStationId,
                LastUpdate = now,
            };
            sessions.RemoveAll(u => !u.Open && u.StartedMs < PeriodOf(now).Start.ToUnixTimeMilliseconds());
            sessions.Add(usage);
        }

        return usage;
    }

    private async Task DisconnectAsync(Usage usage, CancellationToken cancellationToken)
    {
        (RadiusClient Client, IPEndPoint Endpoint)? gateway = usage.Nas is null ? null : _gateways.Find(usage.Nas);
        if (usage.Nas is null || gateway is not { } target)
        {
            LogNoNas(_logger, usage.AcctSessionId);
            return;
        }

        Interlocked.Increment(ref _disconnectsSent);
        try
        {
            DynamicAuthorizationResult result = await _requester.Value.DisconnectAsync(target.Endpoint, target.Client.SecretInUse,
                [new RadiusAttribute(RadiusAttributes.AcctSessionId.Type, Encoding.UTF8.GetBytes(usage.AcctSessionId)), new RadiusAttribute(RadiusAttributes.UserName.Type, Encoding.UTF8.GetBytes(usage.Username))],
                TimeSpan.FromSeconds(3), 2, cancellationToken).ConfigureAwait(false);
            if (result.Acknowledged)
            {
                LogDisconnected(_logger, usage.AcctSessionId, usage.Nas);
                return;
            }

            LogRefused(_logger, usage.AcctSessionId, usage.Nas, result.ErrorCause);
        }
        catch (Exception ex) when (ex is RadiusTimeoutException or System.Net.Sockets.SocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            LogRefused(_logger, usage.AcctSessionId, usage.Nas, null);
        }

        lock (_lock)
        {
            usage.DisconnectSent = false; // try again at the next interim update
        }
    }

    private async Task EnsureLoadedAsync(CancellationToken cancellationToken)
    {
        if (_loaded)
        {
            return;
        }

        await _loading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_loaded)
            {
                return;
            }

            DateTimeOffset now = _time.GetUtcNow();
            long since = PeriodOf(now).Start.ToUnixTimeMilliseconds();
            IEnumerable<UsageRow> rows = await _database.ReadAsync(connection => connection.QueryAsync<UsageRow>(new CommandDefinition("""
                SELECT username, nas_key AS naskey, acct_session_id AS acctsessionid,
                    coalesce(started_ms, last_update_ms - session_time * 1000) AS startedms, nas_ip AS nasip, calling_station_id AS callingstationid,
                    last_update_ms AS lastupdatems, is_open AS isopen, session_time AS sessiontime, input_bytes + output_bytes AS bytes,
                    terminate_cause AS terminatecause
                FROM sessions WHERE username IS NOT NULL AND (is_open = true OR coalesce(started_ms, last_update_ms) >= @since)
                """, new { since }, cancellationToken: cancellationToken)), cancellationToken).ConfigureAwait(false);
            List<Usage> found = [.. rows.Select(row => new Usage(row.Username, row.NasKey, row.AcctSessionId, row.StartedMs)
            {
                Nas = row.NasIp is null ? null : IPAddress.Parse(row.NasIp),
                Device = row.CallingStationId,
                LastUpdate = DateTimeOffset.FromUnixTimeMilliseconds(row.LastUpdateMs),
                Open = row.IsOpen,
                SessionSeconds = row.SessionTime,
                Bytes = row.Bytes,
                IdleEnded = row.TerminateCause == (long)AcctTerminateCause.IdleTimeout,
            })];
            lock (_lock)
            {
                foreach (Usage row in found)
                {
                    row.Charge(_gateways.IdleTimeout, _policy.CountIdleTime);
                    if (!_users.TryGetValue(row.Username, out List<Usage>? sessions))
                    {
                        _users[row.Username] = sessions = [];
                    }

                    sessions.Add(row);
                }
            }

            _loaded = true;
        }
        finally
        {
            _loading.Release();
        }
    }

    private static string NasKey(string? nasIdentifier, string? nasIp) => $"{nasIdentifier}|{nasIp}";

    /// <summary>One session of a user as the policy counts it.</summary>
    /// <summary>A row of the sessions as <see cref="EnsureLoadedAsync"/> reads it.</summary>
    private sealed class UsageRow
    {
        public string Username { get; init; } = "";
        public string NasKey { get; init; } = "";
        public string AcctSessionId { get; init; } = "";
        public long StartedMs { get; init; }
        public string? NasIp { get; init; }
        public string? CallingStationId { get; init; }
        public long LastUpdateMs { get; init; }
        public bool IsOpen { get; init; }
        public long SessionTime { get; init; }
        public long Bytes { get; init; }
        public long? TerminateCause { get; init; }
    }

    private sealed class Usage(string username, string nasKey, string acctSessionId, long startedMs)
    {
        public string Username { get; } = username;

        public string NasKey { get; } = nasKey;

        public string AcctSessionId { get; } = acctSessionId;

        public long StartedMs { get; set; } = startedMs;

        public IPAddress? Nas { get; set; }

        public string? Device { get; set; }

        public DateTimeOffset LastUpdate { get; set; }

        public bool Open { get; set; } = true;

        public long SessionSeconds { get; set; }

        public long ChargedSeconds { get; private set; }

        public long Bytes { get; set; }

        public bool IdleEnded { get; set; }

        public bool DisconnectSent { get; set; }

        // Counters are cumulative: keep the highest seen, whatever order the records come in (as the store does).
        public void Apply(AccountingRecord record, DateTimeOffset now, int idleTimeout, bool countIdle)
        {
            SessionSeconds = Math.Max(SessionSeconds, record.SessionTime ?? 0);
            Bytes = Math.Max(Bytes, record.InputBytes + record.OutputBytes);
            LastUpdate = now > LastUpdate ? now : LastUpdate;
            if (record.StatusType == AcctStatusType.Stop)
            {
                Open = false;
                IdleEnded = record.TerminateCause == AcctTerminateCause.IdleTimeout;
            }

            Charge(idleTimeout, countIdle);
        }

        public void Charge(int idleTimeout, bool countIdle) =>
            ChargedSeconds = !countIdle && IdleEnded ? Math.Max(0, SessionSeconds - idleTimeout) : SessionSeconds;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Quota used up: {Nas} acknowledged the disconnect of session {Session}")]
    private static partial void LogDisconnected(ILogger logger, string session, IPAddress nas);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Quota used up: {Nas} did not acknowledge the disconnect of session {Session} (Error-Cause {Cause}); trying again at its next interim update")]
    private static partial void LogRefused(ILogger logger, string session, IPAddress nas, uint? cause);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Quota used up, but session {Session} has no NAS address in Radius:Clients to send a Disconnect-Request to")]
    private static partial void LogNoNas(ILogger logger, string session);
}
