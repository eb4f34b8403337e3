using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Network.TestSupport;

namespace Network.Deployment.Tests;

/// <summary>The day-two playbooks against the booted region while the agent keeps sending.</summary>
[Collection(RegionMachines.Name)]
public sealed class DayTwoTests(Region region)
{
    private const string AgentId = "agent-hs-flageyplein";
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task Rotating_the_agents_token_refuses_no_batch_loses_no_sample_and_a_second_run_changes_nothing()
    {
        string original = await Region.VaultValueAsync(AgentId);
        string rotated = "noc_" + Convert.ToHexString(Guid.NewGuid().ToByteArray()) + "-rotated";
        string inventory = await InventoryWithTokenAsync(rotated);
        try
        {
            double storedBefore = await NocPointsStoredAsync();
            var (_, since, _) = await region.SshAsync(Region.Router, "date -u '+%Y-%m-%d %H:%M:%S'");

            PlaybookRun rotation = await region.PlaybookAsync("rotate-agent-token.yml", inventory: inventory);
            Assert.True(rotation.ExitCode == 0, rotation.Output);
            Assert.True(rotation.Changed["noc1"] > 0 && rotation.Changed["router-hs-flageyplein"] > 0, rotation.Output);
            Assert.DoesNotContain(rotated, rotation.Output, StringComparison.Ordinal);

            // The old token is refused once the running NOC has read the tokens again (every 5 s); the new one works.
            await Peers.WaitUntilAsync(async () => await IngestStatusAsync(original) == HttpStatusCode.Unauthorized,
                TimeSpan.FromSeconds(60), "the old token refused");
            // The agent keeps delivering, with the new token, everything it polled: nothing dropped, nothing left.
            await Peers.WaitUntilAsync(async () => await NocPointsStoredAsync() > storedBefore, TimeSpan.FromSeconds(120), "new samples at the NOC");
            await Peers.WaitUntilAsync(async () => await AgentMetricAsync("edge_agent_queue_pending_records") == 0,
                TimeSpan.FromSeconds(120), "the agent's queue delivered");
            Assert.Equal(0, await AgentMetricAsync("edge_agent_queue_dropped_records_total"));
            var journal = await region.SshAsync(Region.Router, $"journalctl -u edge-agent --no-pager --since '{since.Trim()}'");
            Assert.Equal(0, journal.ExitCode);
            Assert.DoesNotContain("the NOC answered", journal.Stdout, StringComparison.Ordinal);

            PlaybookRun again = await region.PlaybookAsync("rotate-agent-token.yml", inventory: inventory);
            Assert.True(again.ExitCode == 0, again.Output);
            Assert.True(again.Changed.Values.All(c => c == 0), again.Output);
        }
        finally
        {
            // Back to the committed vault's token, by the same playbook, so the region is as the other tests expect.
            PlaybookRun back = await region.PlaybookAsync("rotate-agent-token.yml");
            Directory.Delete(inventory, recursive: true);
            Assert.True(back.ExitCode == 0, back.Output);
        }
    }

    [Fact]
    public async Task Changing_a_gateways_RADIUS_secret_answers_both_secrets_during_the_change_then_only_the_new_one_and_never_restarts_the_portal()
    {
        const string Gateway = "ci-gateway";
        string current = await Region.VaultValueAsync(Gateway);
        string next = "next-" + Convert.ToHexString(Guid.NewGuid().ToByteArray());
        string during = await InventoryWithVaultAsync(lines => [.. lines, "vault_radius_next_secrets:", $"  {Gateway}: \"{next}\""]);
        string after = await InventoryWithVaultAsync(lines => lines.Select(line =>
            line.TrimStart().StartsWith(Gateway + ":", StringComparison.Ordinal) ? $"  {Gateway}: \"{next}\"" : line));
        try
        {
            string pid = await PortalPidAsync();

            PlaybookRun begin = await region.PlaybookAsync("rotate-radius-secret.yml", inventory: during);
            Assert.True(begin.ExitCode == 0, begin.Output);
            Assert.True(begin.Changed["portal1"] > 0, begin.Output);
            Assert.DoesNotContain(next, begin.Output, StringComparison.Ordinal);
            // systemctl reload returns once SIGHUP is sent; the portal takes the clients a moment later.
            await Peers.WaitUntilAsync(() => PortalAnswersAsync(next), TimeSpan.FromSeconds(60), "the next secret answered");
            Assert.True(await PortalAnswersAsync(current), "the current secret is still answered during the change");

            PlaybookRun again = await region.PlaybookAsync("rotate-radius-secret.yml", inventory: during);
            Assert.True(again.ExitCode == 0, again.Output);
            Assert.True(again.Changed.Values.All(c => c == 0), again.Output);

            PlaybookRun finish = await region.PlaybookAsync("rotate-radius-secret.yml", inventory: after);
            Assert.True(finish.ExitCode == 0, finish.Output);
            await Peers.WaitUntilAsync(async () => !await PortalAnswersAsync(current), TimeSpan.FromSeconds(60), "the old secret refused");
            Assert.True(await PortalAnswersAsync(next), "the new secret is answered after the change");
            Assert.Equal(pid, await PortalPidAsync());
        }
        finally
        {
            // Back to the committed vault's secret, so the region is as the other tests expect.
            PlaybookRun back = await region.PlaybookAsync("rotate-radius-secret.yml");
            Directory.Delete(during, recursive: true);
            Directory.Delete(after, recursive: true);
            Assert.True(back.ExitCode == 0, back.Output);
        }
    }

    [Fact]
    public async Task Upgrading_one_host_at_a_time_installs_the_new_packages_keeps_every_service_answering_and_a_second_run_changes_nothing()
    {
        const string Next = "0.1.1";
        await RepackAsync(Next);
        string nocPid = (await region.SshAsync(Region.Noc, "systemctl show -p MainPID --value noc-server")).Stdout.Trim();
        try
        {
            PlaybookRun upgrade = await region.PlaybookAsync("upgrade.yml", ["-e", "platform_version=" + Next]);
            Assert.True(upgrade.ExitCode == 0, upgrade.Output);
            foreach ((string address, string package) in new[] { (Region.Noc, "noc-server"), (Region.Portal, "captive-portal"), (Region.Router, "edge-agent") })
            {
                var version = await region.SshAsync(address, $"dpkg-query -W -f '${{Version}}' {package} && systemctl is-active {package}");
                Assert.Equal(Next + "active", version.Stdout.Replace("\n", "", StringComparison.Ordinal));
            }

            Assert.NotEqual(nocPid, (await region.SshAsync(Region.Noc, "systemctl show -p MainPID --value noc-server")).Stdout.Trim());
            using (HttpResponseMessage ready = await s_http.GetAsync($"http://{Region.Portal}:8081/readyz"))
            {
                Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            }

            double stored = await NocPointsStoredAsync();
            await Peers.WaitUntilAsync(async () => await NocPointsStoredAsync() > stored, TimeSpan.FromSeconds(120), "samples after the upgrade");

            PlaybookRun again = await region.PlaybookAsync("upgrade.yml", ["-e", "platform_version=" + Next]);
            Assert.True(again.ExitCode == 0, again.Output);
            Assert.True(again.Changed.Values.All(c => c == 0), again.Output);
        }
        finally
        {
            // Back to the inventory's version, so the region is as the other tests expect.
            PlaybookRun back = await region.PlaybookAsync("upgrade.yml");
            Assert.True(back.ExitCode == 0, back.Output);
        }
    }

    [Fact]
    public async Task Adding_a_site_seeds_it_at_the_NOC_starts_its_routers_agent_whose_samples_arrive_and_a_second_run_changes_nothing()
    {
        // The new router is the portal's machine (no agent there yet): one machine less to boot.
        const string Site = "hs-ci-added";
        const string Router = "router-" + Site;
        const string Agent = "agent-" + Site;
        string token = "noc_" + Convert.ToHexString(Guid.NewGuid().ToByteArray()) + Convert.ToHexString(Guid.NewGuid().ToByteArray());
        string inventory = await InventoryWithVaultAsync(lines => lines.SelectMany(line =>
            line.TrimStart().StartsWith(AgentId + ":", StringComparison.Ordinal) ? new[] { line, $"  {Agent}: \"{token}\"" } : [line]));
        string hosts = Path.Combine(inventory, "hosts.yml");
        string existing = "            router-hs-flageyplein:\n              ansible_host: 10.99.0.4\n";
        string inventoryHosts = File.ReadAllText(hosts);
        Assert.Contains(existing, inventoryHosts, StringComparison.Ordinal);
        File.WriteAllText(hosts, inventoryHosts.Replace(existing, existing + $"            {Router}:\n              ansible_host: {Region.Portal}\n", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(inventory, "host_vars", Router + ".yml"), $"""
            ---
            edge_agent_site_id: {Site}
            edge_agent_site_record:
              name: CI added hotspot
              kind: hotspot-outdoor
              commune: Elsene
              address: Flageyplein 18, 1050 Elsene
              latitude: 50.8275
              longitude: 4.3725
              lifecycle: active
              installedOn: "2026-12-07"
            edge_agent_poll_interval: 5
            edge_agent_settings:
              Noc:
                IdleSeconds: 1
            edge_agent_devices:
              - name: {Site}-ap1
                address: {Region.HostAddress}:{Region.FleetBasePort}
                profile: hotspot

            """);
        try
        {
            double unknownBefore = await NocMetricAsync("noc_ingest_unknown_site_samples_total");

            PlaybookRun add = await region.PlaybookAsync("add-site.yml", ["-e", "site_host=" + Router], inventory);
            Assert.True(add.ExitCode == 0, add.Output);
            Assert.True(add.Changed["noc1"] > 0 && add.Changed[Router] > 0, add.Output);
            Assert.DoesNotContain(token, add.Output, StringComparison.Ordinal);

            // The new site's samples are stored at the NOC (read back from its mirror), at a site the NOC knows.
            await Peers.WaitUntilAsync(async () =>
            {
                using var match = new FormUrlEncodedContent([new("match[]", $"{{site=\"{Site}\"}}")]);
                using HttpResponseMessage export = await s_http.PostAsync($"http://{Region.Noc}:8428/api/v1/export", match);
                return export.IsSuccessStatusCode && (await export.Content.ReadAsStringAsync()).Contains($"\"device\":\"{Site}-ap1\"", StringComparison.Ordinal);
            }, TimeSpan.FromSeconds(120), "the new site's samples at the NOC");
            Assert.Equal(unknownBefore, await NocMetricAsync("noc_ingest_unknown_site_samples_total"));

            PlaybookRun again = await region.PlaybookAsync("add-site.yml", ["-e", "site_host=" + Router], inventory);
            Assert.True(again.ExitCode == 0, again.Output);
            Assert.Equal(["noc1", Router], again.Changed.Keys.Order());
            Assert.True(again.Changed.Values.All(c => c == 0), again.Output);
        }
        finally
        {
            // Back to the committed inventory: no agent on the portal's machine, the NOC's seed file without the site.
            var purged = await region.SshAsync(Region.Portal, "apt-get purge -y edge-agent");
            PlaybookRun back = await region.PlaybookAsync("site.yml", ["--limit", "noc1"]);
            Directory.Delete(inventory, recursive: true);
            Assert.True(purged.ExitCode == 0, purged.Stdout + purged.Stderr);
            Assert.True(back.ExitCode == 0, back.Output);
        }
    }

    /// <summary>The built packages again as <paramref name="version"/>: what packaging/build-debs.sh --version makes, without publishing again.</summary>
    private static async Task RepackAsync(string version)
    {
        string debs = Path.Combine(Region.Root, "artifacts", "debs");
        foreach (string package in new[] { "noc-server", "captive-portal", "edge-agent" })
        {
            string tree = Directory.CreateTempSubdirectory("deployment-repack-").FullName;
            try
            {
                await RunAsync("dpkg-deb", "-R", Path.Combine(debs, $"{package}_0.1.0_amd64.deb"), tree);
                string control = Path.Combine(tree, "DEBIAN", "control");
                File.WriteAllLines(control, File.ReadAllLines(control).Select(l => l.StartsWith("Version: ", StringComparison.Ordinal) ? "Version: " + version : l));
                await RunAsync("dpkg-deb", "--root-owner-group", "-Zgzip", "-z1", "--build", tree, Path.Combine(debs, $"{package}_{version}_amd64.deb"));
            }
            finally
            {
                Directory.Delete(tree, recursive: true);
            }
        }
    }

    private static async Task RunAsync(string tool, params string[] arguments)
    {
        var (exitCode, stdout, stderr) = await PeerProcess.RunAsync(tool, arguments, timeout: TimeSpan.FromMinutes(5));
        Assert.True(exitCode == 0, $"{tool}: {stdout}{stderr}");
    }

    /// <summary>A copy of the CI inventory whose vault gives the agent <paramref name="token"/>.</summary>
    private Task<string> InventoryWithTokenAsync(string token) =>
        InventoryWithVaultAsync(lines => lines.Select(line => line.TrimStart().StartsWith(AgentId + ":", StringComparison.Ordinal) ? $"  {AgentId}: \"{token}\"" : line));

    /// <summary>A copy of the CI inventory whose decrypted vault is <paramref name="edit"/> of the committed one.</summary>
    private async Task<string> InventoryWithVaultAsync(Func<IEnumerable<string>, IEnumerable<string>> edit)
    {
        string inventory = Directory.CreateTempSubdirectory("deployment-inventory-").FullName;
        foreach (string file in Directory.EnumerateFiles(Region.Inventory, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(inventory, Path.GetRelativePath(Region.Inventory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        string vault = Path.Combine(inventory, "group_vars", "all", "vault.yml");
        PlaybookRun decrypt = await region.AnsibleAsync("ansible-vault", ["decrypt", "--vault-password-file", Region.VaultPasswordFile, vault]);
        Assert.True(decrypt.ExitCode == 0, decrypt.Output);
        File.WriteAllLines(vault, edit(File.ReadAllLines(vault)).ToList());
        return inventory;
    }

    /// <summary>Whether the portal machine answers radclient's Status-Server made with <paramref name="secret"/>.</summary>
    private static async Task<bool> PortalAnswersAsync(string secret)
    {
        var (_, stdout, _) = await Radclient.SendAsync("Message-Authenticator=0x00", $"{Region.Portal}:1812", "status", secret, "-x", "-t", "2", "-r", "1");
        return stdout.Contains("Received Access-Accept", StringComparison.Ordinal);
    }

    private async Task<string> PortalPidAsync()
    {
        var (code, stdout, stderr) = await region.SshAsync(Region.Portal, "systemctl show -p MainPID --value captive-portal.service");
        Assert.True(code == 0, stderr);
        return stdout.Trim();
    }

    private static Task<double> NocPointsStoredAsync() => NocMetricAsync("noc_ingest_points_stored_total");

    private static async Task<double> NocMetricAsync(string name) =>
        SiteTests.Metric(await s_http.GetStringAsync($"http://{Region.Noc}:8080/metrics"), name);

    private static async Task<double> AgentMetricAsync(string name) =>
        SiteTests.Metric(await s_http.GetStringAsync($"http://{Region.Router}:9464/metrics"), name);

    private static async Task<HttpStatusCode> IngestStatusAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://{Region.Noc}:8080/api/v1/ingest")
        {
            Content = new StringContent($$"""{"agentId":"{{AgentId}}","sequence":1,"sentAt":"2026-01-01T00:00:00Z","samples":[]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using HttpResponseMessage response = await s_http.SendAsync(request);
        return response.StatusCode;
    }
}
