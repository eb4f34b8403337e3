using Network.Snmp.Pdus;

namespace Network.Snmp.Tests.Client;

/// <summary>net-snmp's <c>-On</c> output read back into (OID, text) pairs; a value may run over several lines.</summary>
internal static class NetSnmpOutput
{
    public static List<(string Oid, string Text)> Parse(string output)
    {
        var entries = new List<(string Oid, string Text)>();
        foreach (string line in output.Split('\n'))
        {
            int eq = line.IndexOf(" = ", StringComparison.Ordinal);
            if (line.StartsWith('.') && eq > 0 && Oid.TryParse(line[..eq], out _))
            {
                entries.Add((line[1..eq], line[(eq + 3)..]));
            }
            else if (entries.Count > 0 && line.Length > 0)
            {
                entries[^1] = (entries[^1].Oid, entries[^1].Text + "\n" + line);
            }
        }

        return entries;
    }

    /// <summary>
    /// What stays the same between two walks of a live snmpd a moment apart: the type of every value, and the value
    /// itself for strings, OIDs and addresses. Counters, gauges, integers and clocks move.
    /// </summary>
    public static string Stable(string text)
    {
        int colon = text.IndexOf(": ", StringComparison.Ordinal);
        string type = colon > 0 ? text[..colon] : text;
        return type is "STRING" or "Hex-STRING" or "OID" or "IpAddress" ? text : type;
    }

    /// <summary>Subtrees whose rows come and go while the tests run: processes, sockets, load averages.</summary>
    public static readonly Oid[] Volatile =
    [
        Oid.Parse("1.3.6.1.2.1.25.4"), // hrSWRunTable: the machine's processes
        Oid.Parse("1.3.6.1.2.1.25.5"), // hrSWRunPerfTable
        Oid.Parse("1.3.6.1.2.1.6.13"), // tcpConnTable
        Oid.Parse("1.3.6.1.2.1.6.19"), // tcpConnectionTable
        Oid.Parse("1.3.6.1.2.1.6.20"), // tcpListenerTable
        Oid.Parse("1.3.6.1.2.1.7.5"), // udpTable
        Oid.Parse("1.3.6.1.2.1.7.7"), // udpEndpointTable
        Oid.Parse("1.3.6.1.4.1.2021.10"), // laTable: load averages as strings
        Oid.Parse("1.3.6.1.2.1.25.2.3.1.6"), // hrStorageUsed
        Oid.Parse("1.3.6.1.4.1.2021.4"), // memory
        Oid.Parse("1.3.6.1.2.1.4.34"), // ipAddressTable (timestamps)
        Oid.Parse("1.3.6.1.2.1.25.1.2"), // hrSystemDate: the clock
    ];

    public static bool IsVolatile(string oid) => Volatile.Any(v => Oid.Parse(oid).StartsWith(v));
}
