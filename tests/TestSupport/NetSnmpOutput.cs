using System.Text.RegularExpressions;

namespace Network.TestSupport;

/// <summary>net-snmp's <c>-On</c> output read back into (OID, text) pairs; a value may run over several lines.</summary>
public static partial class NetSnmpOutput
{
    public static List<(string Oid, string Text)> Parse(string output)
    {
        var entries = new List<(string Oid, string Text)>();
        foreach (string line in output.Split('\n'))
        {
            Match m = BindingLine().Match(line);
            if (m.Success)
            {
                entries.Add((m.Groups[1].Value, m.Groups[2].Value));
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

    /// <summary>Subtrees of a live Linux snmpd whose rows come and go while the tests run: processes, sockets, load, clock.</summary>
    private static readonly string[] s_volatile =
    [
        "1.3.6.1.2.1.25.4", // hrSWRunTable: the machine's processes
        "1.3.6.1.2.1.25.5", // hrSWRunPerfTable
        "1.3.6.1.2.1.6.13", // tcpConnTable
        "1.3.6.1.2.1.6.19", // tcpConnectionTable
        "1.3.6.1.2.1.6.20", // tcpListenerTable
        "1.3.6.1.2.1.7.5", // udpTable
        "1.3.6.1.2.1.7.7", // udpEndpointTable
        "1.3.6.1.4.1.2021.10", // laTable: load averages as strings
        "1.3.6.1.2.1.25.2.3.1.6", // hrStorageUsed
        "1.3.6.1.4.1.2021.4", // memory
        "1.3.6.1.2.1.4.34", // ipAddressTable (timestamps)
        "1.3.6.1.2.1.25.1.2", // hrSystemDate: the clock
        "1.3.6.1.4.1.2021.100.4", // versionCDate: the clock again
    ];

    public static bool IsVolatile(string oid) => s_volatile.Any(v => oid == v || oid.StartsWith(v + ".", StringComparison.Ordinal));

    [GeneratedRegex(@"^\.(\d+(?:\.\d+)+) = (.*)$")]
    private static partial Regex BindingLine();
}
