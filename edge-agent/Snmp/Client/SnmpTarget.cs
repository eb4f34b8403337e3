using System.Net;
using Network.Snmp.Pdus;

namespace Network.Snmp.Client;

/// <summary>
/// One device to talk to and how: version, community or SNMPv3 user, timeout and retries
/// (net-snmp's <c>-v -c -u -l -a -A -x -X -t -r</c>).
/// </summary>
public sealed record SnmpTarget(IPEndPoint EndPoint)
{
    public SnmpVersion Version { get; init; } = SnmpVersion.V2c;

    /// <summary>The community of v1 and v2c.</summary>
    public string Community { get; init; } = "public";

    /// <summary>The SNMPv3 user (v3 only).</summary>
    public UsmUser? User { get; init; }

    /// <summary>contextName of SNMPv3 (empty: the default context).</summary>
    public string ContextName { get; init; } = "";

    /// <summary>How long to wait for each attempt (net-snmp's <c>-t</c>, 1 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many times to send again after a timeout (net-snmp's <c>-r</c>, 5).</summary>
    public int Retries { get; init; } = 5;

    public override string ToString() => Version == SnmpVersion.V3
        ? $"{EndPoint} (v3 {User?.Name})"
        : $"{EndPoint} ({(Version == SnmpVersion.V1 ? "v1" : "v2c")})";
}
