namespace Network.TestSupport;

/// <summary>
/// net-snmp's snmpd as a real SNMP device on 127.0.0.1 and a free UDP port (COOKBOOK.md), with a v2c community
/// and SNMPv3 users for each security level and algorithm family the engine must speak.
/// </summary>
public sealed class SnmpdFixture : IAsyncLifetime
{
    public const string Community = "public";
    public const string Location = "Beursplein, Brussel";

    /// <summary>SNMPv3 users: name, auth protocol (net-snmp spelling), auth pass, priv protocol, priv pass.</summary>
    public static readonly IReadOnlyList<(string User, string Auth, string AuthPass, string? Priv, string? PrivPass)> Users =
    [
        ("authPrivUser", "SHA", "authpass123", "AES", "privpass123"),
        ("sha256User", "SHA-256", "authpass256", "AES", "privpass256"),
        ("sha512User", "SHA-512", "authpass512", "AES256", "privpass512"),
        ("md5DesUser", "MD5", "authpassmd5", "DES", "privpassdes"),
        ("authOnlyUser", "SHA", "authonly123", null, null),
    ];

    private readonly TempFolder _folder = new("snmpd");
    private PeerProcess? _process;

    public int Port { get; private set; }

    public string Endpoint => $"127.0.0.1:{Port}";

    public string Snmpd { get; } = Peers.Require("snmpd", "snmpd");

    public string SnmpGet { get; } = Peers.Require("snmpget", "snmp");

    public string SnmpBulkWalk { get; } = Peers.Require("snmpbulkwalk", "snmp");

    public async Task InitializeAsync()
    {
        Port = Peers.FreeUdpPort();
        Directory.CreateDirectory(_folder.PathOf("persist"));
        var conf = new List<string>
        {
            $"agentaddress udp:127.0.0.1:{Port}",
            $"rocommunity {Community} 127.0.0.1",
            $"sysLocation {Location}",
            "sysContact noc@urbizone.example",
            "sysName snmpd-fixture",
        };
        foreach ((string user, string auth, string authPass, string? priv, string? privPass) in Users)
        {
            conf.Add(priv is null
                ? $"createUser {user} {auth} \"{authPass}\""
                : $"createUser {user} {auth} \"{authPass}\" {priv} \"{privPass}\"");
            conf.Add($"rouser {user} {(priv is null ? "auth" : "priv")}");
        }

        await File.WriteAllLinesAsync(_folder.PathOf("snmpd.conf"), conf);
        _process = PeerProcess.Start(Snmpd,
            ["-f", "-Lo", "-C", "-c", _folder.PathOf("snmpd.conf"), "-p", _folder.PathOf("snmpd.pid"), $"--persistentDir={_folder.PathOf("persist")}"],
            new Dictionary<string, string> { ["MIBS"] = "" });

        await Peers.WaitUntilAsync(async () =>
        {
            if (_process.HasExited)
            {
                throw new PeerMissingException($"snmpd exited at start-up: {_process.Output}");
            }

            var (code, stdout, _) = await PeerProcess.RunAsync(SnmpGet, ["-v2c", "-c", Community, "-On", "-t", "0.3", "-r", "0", Endpoint, "1.3.6.1.2.1.1.3.0"]);
            return code == 0 && stdout.Contains("Timeticks", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(20), "snmpd answering on " + Endpoint);
    }

    /// <summary>Runs one of net-snmp's command-line tools with the given arguments.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunToolAsync(string tool, params string[] arguments) =>
        PeerProcess.RunAsync(Peers.Require(tool, "snmp"), arguments, environment: new Dictionary<string, string> { ["MIBS"] = "" });

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        _folder.Dispose();
    }
}
