using Network.Snmp.Pdus;

namespace Network.Snmp.Client;

public sealed partial class SnmpClient
{
    private readonly UsmEngineCache _usm;

    private Task<Pdu> RequestV3Async(
        SnmpTarget target, SnmpType type, IReadOnlyList<VarBind> bindings, int nonRepeaters, int maxRepetitions, int retries, CancellationToken cancellationToken)
    {
        _ = (target, type, bindings, nonRepeaters, maxRepetitions, retries, cancellationToken, _usm);
        throw new NotSupportedException("wired next");
    }
}

internal sealed class UsmEngineCache(TimeProvider time)
{
    public TimeProvider Time { get; } = time;
}

public sealed record UsmUser(string Name);
