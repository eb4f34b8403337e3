using System.Collections.Concurrent;
using System.Net;
using Network.Snmp.Pdus;
using Network.Snmp.Security;

namespace Network.Snmp.Client;

/// <summary>SNMPv3 with the User-based Security Model (RFC 3412, RFC 3414): discovery, time sync, auth and privacy.</summary>
public sealed partial class SnmpClient
{
    private readonly UsmEngineCache _usm;

    private async Task<Pdu> RequestV3Async(
        SnmpTarget target, SnmpType type, IReadOnlyList<VarBind> bindings, int nonRepeaters, int maxRepetitions, int retries, CancellationToken cancellationToken)
    {
        UsmUser user = target.User ?? throw new ArgumentException("an SNMPv3 target needs a user", nameof(target));
        EngineState engine = await DiscoverAsync(target, retries, cancellationToken).ConfigureAwait(false);
        bool resynchronised = false;
        var pending = new PendingRequest(target.EndPoint, expectV3: true);
        try
        {
            for (int attempt = 0; attempt <= retries; attempt++)
            {
                int id = Register(pending);
                var pdu = new Pdu(type, id, (ErrorStatus)nonRepeaters, maxRepetitions, bindings);
                byte[] datagram = UsmMessages.Seal(user, _usm.Keys(user, engine.EngineId), engine, _time, id, target.ContextName, pdu);
                if (await ExchangeAsync(pending, datagram, target, cancellationToken).ConfigureAwait(false) is not { } reply)
                {
                    continue;
                }

                (Pdu answer, UsmSecurityParameters security, bool authentic) =
                    UsmMessages.Open(user, _usm.Keys(user, engine.EngineId), (SnmpV3Message)reply.Message, reply.Raw.Span);
                if (authentic)
                {
                    engine.Update(security.AuthoritativeEngineBoots, security.AuthoritativeEngineTime, _time);
                }

                if (answer.Type != SnmpType.ReportPdu)
                {
                    return answer;
                }

                UsmError error = UsmMessages.ReportReason(answer);
                if (error == UsmError.NotInTimeWindow && !resynchronised)
                {
                    // RFC 3414 section 4: the report carries the agent's boots and time; send again once with them.
                    engine.Resynchronise(security.AuthoritativeEngineBoots, security.AuthoritativeEngineTime, _time);
                    resynchronised = true;
                    attempt--;
                    continue;
                }

                throw new SnmpSecurityException(error, $"{target.EndPoint} refused user '{user.Name}': {UsmMessages.Describe(error)}");
            }
        }
        finally
        {
            Unregister(pending);
        }

        throw new SnmpTimeoutException($"Timeout: No Response from {target.EndPoint}");
    }

    /// <summary>
    /// Engine-ID discovery (RFC 3414 section 4): an unauthenticated, empty, reportable request; the agent's
    /// usmStatsUnknownEngineIDs report carries its snmpEngineID, boots and time. Cached per address.
    /// </summary>
    private async Task<EngineState> DiscoverAsync(SnmpTarget target, int retries, CancellationToken cancellationToken)
    {
        if (_usm.TryGetEngine(target.EndPoint, out EngineState? known))
        {
            return known;
        }

        var pending = new PendingRequest(target.EndPoint, expectV3: true);
        try
        {
            for (int attempt = 0; attempt <= retries; attempt++)
            {
                int id = Register(pending);
                byte[] datagram = UsmMessages.Discovery(id);
                if (await ExchangeAsync(pending, datagram, target, cancellationToken).ConfigureAwait(false) is { Message: SnmpV3Message { Usm: { } usm } })
                {
                    if (usm.AuthoritativeEngineId.IsEmpty)
                    {
                        throw new SnmpSecurityException(UsmError.UnknownEngineId, $"{target.EndPoint} did not tell its engine ID");
                    }

                    var engine = new EngineState(usm.AuthoritativeEngineId.ToArray(), usm.AuthoritativeEngineBoots, usm.AuthoritativeEngineTime, _time);
                    return _usm.Remember(target.EndPoint, engine);
                }
            }
        }
        finally
        {
            Unregister(pending);
        }

        throw new SnmpTimeoutException($"Timeout: No Response from {target.EndPoint} (SNMPv3 engine discovery)") { InDiscovery = true };
    }
}

/// <summary>What a manager knows of one authoritative engine: its ID and its clock (RFC 3414 section 2.3).</summary>
internal sealed class EngineState(byte[] engineId, int boots, int time, TimeProvider clock)
{
    private readonly Lock _lock = new();
    private int _boots = boots;
    private int _time = time;
    private long _syncedAt = clock.GetTimestamp();

    public byte[] EngineId { get; } = engineId;

    /// <summary>The agent's snmpEngineBoots and snmpEngineTime now, estimated from the last sync.</summary>
    public (int Boots, int Time) Now(TimeProvider clock)
    {
        lock (_lock)
        {
            long elapsed = (long)clock.GetElapsedTime(_syncedAt).TotalSeconds;
            return (_boots, (int)Math.Min(int.MaxValue, _time + elapsed));
        }
    }

    /// <summary>RFC 3414 section 3.2.7 (b): move forward only, from authentic messages.</summary>
    public void Update(int boots, int time, TimeProvider clock)
    {
        lock (_lock)
        {
            (int nowBoots, int nowTime) = (_boots, _time + (int)clock.GetElapsedTime(_syncedAt).TotalSeconds);
            if (boots > nowBoots || (boots == nowBoots && time > nowTime))
            {
                (_boots, _time, _syncedAt) = (boots, time, clock.GetTimestamp());
            }
        }
    }

    /// <summary>Take the agent's clock as it says (after a notInTimeWindow report).</summary>
    public void Resynchronise(int boots, int time, TimeProvider clock)
    {
        lock (_lock)
        {
            (_boots, _time, _syncedAt) = (boots, time, clock.GetTimestamp());
        }
    }
}

/// <summary>Engines by address and localized keys by (user, engine): the 1 MB password expansion runs once per user.</summary>
internal sealed class UsmEngineCache
{
    private readonly ConcurrentDictionary<IPEndPoint, EngineState> _engines = new();
    private readonly UsmKeyCache _keys = new();

    public bool TryGetEngine(IPEndPoint endPoint, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out EngineState? engine) =>
        _engines.TryGetValue(endPoint, out engine);

    public EngineState Remember(IPEndPoint endPoint, EngineState engine) => _engines.GetOrAdd(endPoint, engine);

    public LocalizedKeys Keys(UsmUser user, byte[] engineId) => _keys.Get(user, engineId);
}
