using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Network.TestSupport;

namespace Network.Deployment.Tests;

/// <summary>
/// The CI region (ansible/inventories/ci) for real: the Debian packages built by packaging/build-debs.sh, three
/// Debian machines booted with systemd-nspawn from a cached root file system (ansible/ci/machines.sh), the fleet
/// simulator on the host as the agent's devices, and site.yml applied once. Every test of the collection shares it.
/// </summary>
public sealed class Region : IAsyncLifetime
{
    public const string Noc = "10.99.0.2";
    public const string Portal = "10.99.0.3";

    /// <summary>The second portal (inventory host portal2) shares the NOC's machine, and PostgreSQL and VictoriaMetrics are there too.</summary>
    public const string SecondPortal = Noc;
    public const string Router = "10.99.0.4";
    public const string HostAddress = "10.99.0.1";
    public const int FleetBasePort = 21161;

    /// <summary>The CI inventory's hosts, as a run's recap names them.</summary>
    public static readonly string[] InventoryHosts = ["noc1", "portal1", "portal2", "router-hs-flageyplein"];

    private static readonly TimeSpan s_playbookTimeout = TimeSpan.FromMinutes(10);
    private readonly string _work = Path.Combine("/var/tmp", "network-ci", "machines-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
    private PeerProcess? _fleet;

    public static string Root => ServiceProcess.RepositoryRoot;

    public static string AnsibleFolder => Path.Combine(Root, "ansible");

    public static string Inventory => Path.Combine(AnsibleFolder, "inventories", "ci");

    public static string VaultPasswordFile => Path.Combine(AnsibleFolder, "inventories", "ci.vault-password");

    public string SshKey => Path.Combine(_work, "key");

    /// <summary>What the first run of site.yml printed, and how long the steps took (for docs/benchmarks.md).</summary>
    public PlaybookRun FirstRun { get; private set; } = null!;

    public TimeSpan PackagesTime { get; private set; }

    public TimeSpan MachinesTime { get; private set; }

    public async Task InitializeAsync()
    {
        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException("the deployment tests boot machines with systemd-nspawn: run them as root (CI does)");
        }

        foreach ((string exe, string package) in new[]
        {
            ("debootstrap", "debootstrap"), ("systemd-nspawn", "systemd-container"), ("ansible-playbook", "ansible"),
            ("ansible-lint", "ansible-lint"), ("ssh", "openssh-client"), ("dpkg-deb", "dpkg"), ("radclient", "freeradius-utils"),
        })
        {
            Peers.Require(exe, package);
        }

        var watch = Stopwatch.StartNew();
        await RunScriptAsync(Path.Combine(Root, "packaging", "build-debs.sh"), TimeSpan.FromMinutes(20));
        PackagesTime = watch.Elapsed;

        watch.Restart();
        await RunScriptAsync(Path.Combine(AnsibleFolder, "ci", "machines.sh"), TimeSpan.FromMinutes(15),
            "up", _work, $"noc1={Noc}", $"portal1={Portal}", $"router-hs-flageyplein={Router}");
        MachinesTime = watch.Elapsed;

        _fleet = ServiceProcess.Start("tools/FleetSimulator", "Network.FleetSimulator",
            ["--devices", "4", "--base-port", FleetBasePort.ToString(CultureInfo.InvariantCulture), "--bind", HostAddress]);
        await Peers.WaitUntilAsync(() => Task.FromResult(_fleet.Output.Contains("serving 4 devices", StringComparison.Ordinal) || _fleet.HasExited),
            TimeSpan.FromSeconds(60), "the fleet simulator's start");
        if (_fleet.HasExited)
        {
            throw new InvalidOperationException("the fleet simulator stopped: " + _fleet.Output);
        }

        FirstRun = await PlaybookAsync("site.yml");
        if (FirstRun.ExitCode != 0)
        {
            throw new InvalidOperationException("the first run of site.yml failed:\n" + FirstRun.Output);
        }
    }

    public async Task DisposeAsync()
    {
        if (_fleet is not null)
        {
            await _fleet.DisposeAsync();
        }

        await PeerProcess.RunAsync(Path.Combine(AnsibleFolder, "ci", "machines.sh"), ["down", _work], timeout: TimeSpan.FromMinutes(2));
    }

    /// <summary>Runs a playbook of ansible/ against the CI inventory (or <paramref name="inventory"/>).</summary>
    public Task<PlaybookRun> PlaybookAsync(string playbook, IEnumerable<string>? arguments = null, string? inventory = null,
        IDictionary<string, string>? environment = null) =>
        AnsibleAsync("ansible-playbook", ["-i", inventory ?? Inventory, "--vault-password-file", VaultPasswordFile, playbook, .. arguments ?? []], environment);

    /// <summary>Runs an ansible tool in ansible/ with the machines' SSH key and no host key check (fresh machines).</summary>
    public async Task<PlaybookRun> AnsibleAsync(string tool, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var env = new Dictionary<string, string>
        {
            ["ANSIBLE_CONFIG"] = Path.Combine(AnsibleFolder, "ansible.cfg"),
            ["ANSIBLE_HOST_KEY_CHECKING"] = "False",
            ["ANSIBLE_PRIVATE_KEY_FILE"] = SshKey,
            ["ANSIBLE_NOCOLOR"] = "1",
            ["ANSIBLE_FORCE_COLOR"] = "0",
        };
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        var watch = Stopwatch.StartNew();
        await using PeerProcess process = PeerProcess.Start(tool, arguments, env, AnsibleFolder);
        int exitCode = await process.WaitForExitAsync(s_playbookTimeout);
        string output = process.Output;
        if (exitCode != 0)
        {
            // The journals first: a failure message is read from its end, where ansible's failed task and recap are.
            output = await MachineJournalsAsync() + "\n== " + tool + "\n" + output;
        }

        return new PlaybookRun(exitCode, output, watch.Elapsed);
    }

    /// <summary>
    /// What each machine's journal says of the platform's services (systemd's own lines about a unit included) and which
    /// units failed: put before a failed run's output, since the machines are gone once the tests end.
    /// </summary>
    private async Task<string> MachineJournalsAsync()
    {
        var journals = new StringBuilder();
        foreach (string address in new[] { Noc, Portal, Router })
        {
            var (_, stdout, stderr) = await SshAsync(address,
                "systemctl --no-pager --failed; journalctl --no-pager -o short-precise -n 60 -u edge-agent -u noc-server -u captive-portal");
            journals.Append("\n== journal of ").Append(address).Append('\n').Append(stdout).Append(stderr);
        }

        return journals.ToString();
    }

    /// <summary>Runs a command on a machine over SSH as root, with <paramref name="stdin"/>.</summary>
    public Task<(int ExitCode, string Stdout, string Stderr)> SshAsync(string address, string command, string? stdin = null) =>
        PeerProcess.RunAsync("ssh", ["-i", SshKey, "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
            "-o", "LogLevel=ERROR", "-o", "BatchMode=yes", "root@" + address, command], stdin, TimeSpan.FromSeconds(60));

    /// <summary>The decrypted value of one key of the CI vault (its secrets are test-only).</summary>
    public static async Task<string> VaultValueAsync(string key)
    {
        (int exitCode, string stdout, string stderr) = await PeerProcess.RunAsync("ansible-vault",
            ["view", "--vault-password-file", VaultPasswordFile, Path.Combine(Inventory, "group_vars", "all", "vault.yml")]);
        Assert.True(exitCode == 0, stderr);
        Match match = Regex.Match(stdout, $@"^\s*{Regex.Escape(key)}:\s*""?([^""\s]+)""?\s*$", RegexOptions.Multiline);
        Assert.True(match.Success, $"no {key} in the CI vault");
        return match.Groups[1].Value;
    }

    private static async Task RunScriptAsync(string script, TimeSpan timeout, params string[] arguments)
    {
        (int exitCode, string stdout, string stderr) = await PeerProcess.RunAsync(script, arguments, timeout: timeout);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{script} {string.Join(' ', arguments)} failed ({exitCode}):\n{stdout}\n{stderr}");
        }
    }
}

/// <summary>One ansible run: its exit code, what it printed (stdout and stderr) and how long it took.</summary>
public sealed partial record PlaybookRun(int ExitCode, string Output, TimeSpan Elapsed)
{
    /// <summary>The PLAY RECAP: changed tasks per host.</summary>
    public IReadOnlyDictionary<string, int> Changed =>
        RecapLine().Matches(Output).ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(\S+)\s+:\s+ok=\d+\s+changed=(\d+)", RegexOptions.Multiline)]
    private static partial Regex RecapLine();
}

[CollectionDefinition(Name)]
public sealed class RegionMachines : ICollectionFixture<Region>
{
    public const string Name = "region";
}
