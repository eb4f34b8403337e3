using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Network.Snmp.Client;
using Network.Snmp.Mibs;
using Network.Snmp;
using Network.Snmp.Pdus;
using Network.Snmp.Security;

namespace Network.EdgeAgent.Cli;

/// <summary>
/// What <c>edge-agent snmp COMMAND [options] AGENT OID...</c> asked for, parsed with net-snmp's flags:
/// <c>-v 1|2c|3 -c COMMUNITY -u USER -l LEVEL -a PROTO -A PASS -x PROTO -X PASS -n CONTEXT -Cr N -Cf -t SECONDS -r RETRIES</c>.
/// As net-snmp's tools, get, getnext, walk and bulkwalk take options anywhere on the line; set takes them only before
/// the AGENT, so that a value may start with '-' (<c>set AGENT OID i -42</c>); <c>--</c> ends the options.
/// </summary>
public sealed record SnmpCommandLine(string Command, SnmpTarget Target, IReadOnlyList<Oid> Oids, IReadOnlyList<VarBind> SetBindings, int MaxRepetitions)
{
    /// <summary>The AGENT as typed: net-snmp's messages name it so ("Timeout: No Response from AGENT").</summary>
    public string Agent { get; init; } = "";

    /// <summary>After an error in a get or getnext, ask again without the failed binding (net-snmp's default; <c>-Cf</c> turns it off).</summary>
    public bool RetryWithoutFailed { get; init; } = true;

    public const string Usage = """
        usage: edge-agent snmp get|getnext|walk|bulkwalk|set [options] AGENT OID [OID...]
               edge-agent snmp walk|bulkwalk [options] AGENT      (walks mib-2, 1.3.6.1.2.1)
               edge-agent snmp set [options] AGENT OID TYPE VALUE [OID TYPE VALUE...]
          AGENT        [udp:]HOST[:PORT] (port 161 by default)
          -v 1|2c|3    SNMP version (2c)
          -c COMMUNITY community for v1 and v2c (public)
          -u USER      SNMPv3 user name
          -l LEVEL     noAuthNoPriv|authNoPriv|authPriv
          -a PROTO     MD5|SHA|SHA-224|SHA-256|SHA-384|SHA-512
          -A PASS      authentication pass phrase
          -x PROTO     DES|AES|AES192|AES256|AES192C|AES256C
          -X PASS      privacy pass phrase
          -n CONTEXT   SNMPv3 context name (the default context)
          -Cr N        max-repetitions of bulkwalk (10)
          -Cf          get, getnext: do not ask again without a binding the agent refused
          -t SECONDS   timeout of each attempt (1)
          -r RETRIES   retries after a timeout (5)
          -On          numeric OIDs (always on)
          --           ends the options (set takes options only before AGENT, so a value may start with -)
          set TYPE     i INTEGER, u Gauge32, c Counter32, C Counter64, t TimeTicks, a IpAddress,
                       o OBJECT IDENTIFIER, s STRING, x hex STRING
        """;

    private static readonly string[] s_commands = ["get", "getnext", "walk", "bulkwalk", "set"];

    /// <summary>Parses the arguments after <c>snmp</c>; a mistake throws <see cref="FormatException"/> with a message for stderr.</summary>
    public static SnmpCommandLine Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || !s_commands.Contains(args[0]))
        {
            throw new FormatException(args.Count == 0 ? "no command" : $"unknown command '{args[0]}'");
        }

        string command = args[0];
        string version = "2c", community = "public", level = "", user = "", auth = "", authPass = "", priv = "", privPass = "", context = "";
        double timeout = 1;
        int retries = 5, maxRepetitions = 10;
        bool fix = true, optionsEnded = false;
        var positional = new List<string>();
        for (int i = 1; i < args.Count; i++)
        {
            string a = args[i];
            if (optionsEnded || a.Length < 2 || a[0] != '-')
            {
                positional.Add(a);
                optionsEnded |= command == "set"; // snmpset reads options only before the AGENT (POSIXLY_CORRECT)
                continue;
            }

            if (a == "--")
            {
                optionsEnded = true;
                continue;
            }

            // net-snmp takes both "-v2c" and "-v 2c".
            string flag = a[..2];
            string? inline = a.Length > 2 ? a[2..] : null;
            if (flag == "-O")
            {
                continue; // output options: numeric is the only form this tool prints
            }

            string Value() => inline ?? (++i < args.Count ? args[i] : throw new FormatException($"{flag} needs a value"));
            switch (flag)
            {
                case "-v": version = Value(); break;
                case "-c": community = Value(); break;
                case "-u": user = Value(); break;
                case "-l": level = Value(); break;
                case "-a": auth = Value(); break;
                case "-A": authPass = Value(); break;
                case "-x": priv = Value(); break;
                case "-X": privPass = Value(); break;
                case "-n": context = Value(); break;
                case "-t": timeout = ParseNumber(Value(), "-t"); break;
                case "-r": retries = (int)ParseNumber(Value(), "-r"); break;
                case "-C":
                    string c = Value();
                    if (c.StartsWith('r'))
                    {
                        maxRepetitions = (int)ParseNumber(c.Length > 1 ? c[1..] : (++i < args.Count ? args[i] : ""), "-Cr");
                    }
                    else if (c == "f")
                    {
                        fix = false;
                    }

                    break;
                default: throw new FormatException($"unknown option {a}");
            }
        }

        bool walk = command is "walk" or "bulkwalk";
        if (positional.Count < (walk ? 1 : 2))
        {
            throw new FormatException(positional.Count == 0 ? "no AGENT" : "an AGENT and at least one OID are needed");
        }

        var target = new SnmpTarget(ParseAgent(positional[0]))
        {
            Version = version switch
            {
                "1" => SnmpVersion.V1,
                "2c" or "2" => SnmpVersion.V2c,
                "3" => SnmpVersion.V3,
                _ => throw new FormatException($"-v {version}: use 1, 2c or 3"),
            },
            Community = community,
            ContextName = context,
            Timeout = TimeSpan.FromSeconds(timeout),
            Retries = retries,
        };
        if (target.Version == SnmpVersion.V3)
        {
            target = target with { User = UsmUserFromFlags(user, level, auth, authPass, priv, privPass) };
        }

        if (maxRepetitions < 1)
        {
            throw new FormatException("-Cr must be at least 1");
        }

        List<string> rest = positional[1..];
        if (command == "set")
        {
            return new SnmpCommandLine(command, target, [], ParseSetBindings(rest), maxRepetitions) { Agent = positional[0] };
        }

        // With no OID a walk walks mib-2, as snmpwalk does; its root may be one arc (".1": the whole tree); a name to get has two at least.
        IReadOnlyList<Oid> oids = walk && rest.Count == 0 ? [SnmpV2Smi.Mib2] : [.. rest.Select(o => ParseOid(o, walk ? 1 : 2))];
        return new SnmpCommandLine(command, target, oids, [], maxRepetitions) { Agent = positional[0], RetryWithoutFailed = fix };
    }

    private static UsmUser UsmUserFromFlags(string user, string level, string auth, string authPass, string priv, string privPass)
    {
        if (user.Length == 0)
        {
            throw new FormatException("-v 3 needs a user name (-u)");
        }

        // net-snmp's default level is noAuthNoPriv; naming a pass phrase does not raise it.
        return level.ToLowerInvariant() switch
        {
            "" or "noauthnopriv" or "nanp" => UsmUser.NoAuthNoPriv(user),
            "authnopriv" or "anp" => UsmUser.AuthNoPriv(user, ParseAuth(auth), authPass),
            "authpriv" or "ap" => UsmUser.AuthPriv(user, ParseAuth(auth), authPass, ParsePriv(priv), privPass),
            _ => throw new FormatException($"-l {level}: use noAuthNoPriv, authNoPriv or authPriv"),
        };
    }

    private static AuthProtocol ParseAuth(string name) =>
        AuthProtocols.TryParse(name.Length == 0 ? "MD5" : name, out var protocol)
            ? protocol
            : throw new FormatException($"-a {name}: use MD5, SHA, SHA-224, SHA-256, SHA-384 or SHA-512");

    private static PrivProtocol ParsePriv(string name) =>
        PrivProtocols.TryParse(name.Length == 0 ? "DES" : name, out var protocol)
            ? protocol
            : throw new FormatException($"-x {name}: use DES, AES, AES192, AES256, AES192C or AES256C");

    private static IPEndPoint ParseAgent(string agent)
    {
        string text = agent.StartsWith("udp:", StringComparison.OrdinalIgnoreCase) ? agent[4..] : agent;
        int port = 161;
        string host = text;
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']', StringComparison.Ordinal);
            host = text[1..close];
            if (close + 1 < text.Length && text[close + 1] == ':')
            {
                port = (int)ParseNumber(text[(close + 2)..], "port");
            }
        }
        else if (text.Count(ch => ch == ':') == 1)
        {
            host = text[..text.IndexOf(':', StringComparison.Ordinal)];
            port = (int)ParseNumber(text[(host.Length + 1)..], "port");
        }

        if (!IPAddress.TryParse(host, out IPAddress? address))
        {
            address = Dns.GetHostAddresses(host).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                ?? throw new FormatException($"{host}: unknown host");
        }

        return port is > 0 and <= 65535 ? new IPEndPoint(address, port) : throw new FormatException($"{agent}: bad port");
    }

    private static Oid ParseOid(string text, int minimumArcs = 2) =>
        Oid.TryParse(text, out Oid? oid) && oid.Length >= minimumArcs ? oid : throw new FormatException($"{text}: not a numeric OID (this tool loads no MIB)");

    private static List<VarBind> ParseSetBindings(List<string> rest)
    {
        if (rest.Count % 3 != 0)
        {
            throw new FormatException("set takes OID TYPE VALUE triples");
        }

        var bindings = new List<VarBind>();
        for (int i = 0; i < rest.Count; i += 3)
        {
            string value = rest[i + 2];
            SnmpValue v = rest[i + 1] switch
            {
                "i" => SnmpValue.Integer(int.Parse(value, CultureInfo.InvariantCulture)),
                "u" => SnmpValue.Gauge32(uint.Parse(value, CultureInfo.InvariantCulture)),
                "c" => SnmpValue.Counter32(uint.Parse(value, CultureInfo.InvariantCulture)),
                "C" => SnmpValue.Counter64(ulong.Parse(value, CultureInfo.InvariantCulture)),
                "t" => SnmpValue.TimeTicks(uint.Parse(value, CultureInfo.InvariantCulture)),
                "a" => SnmpValue.IpAddress(IPAddress.Parse(value)),
                "o" => SnmpValue.ObjectIdentifier(ParseOid(value)),
                "s" => SnmpValue.OctetString(value),
                "x" => SnmpValue.OctetString(Convert.FromHexString(value.Replace(" ", "", StringComparison.Ordinal).Replace(":", "", StringComparison.Ordinal))),
                string t => throw new FormatException($"set type '{t}': use i, u, c, C, t, a, o, s or x"),
            };
            bindings.Add(new VarBind(ParseOid(rest[i]), v));
        }

        return bindings;
    }

    private static double ParseNumber(string text, string what) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double n) && n >= 0
            ? n
            : throw new FormatException($"{what} {text}: not a number");
}
