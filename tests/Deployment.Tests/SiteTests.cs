using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Network.TestSupport;

namespace Network.Deployment.Tests;

/// <summary>site.yml applied to booted Debian machines, checked from the host as a gateway, a browser and the NOC's users would.</summary>
[Collection(RegionMachines.Name)]
public sealed partial class SiteTests(Region region)
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task The_NOC_machine_answers_ready_after_site_yml()
    {
        Assert.Equal(0, region.FirstRun.ExitCode);
        using HttpResponseMessage ready = await s_http.GetAsync($"http://{Region.Noc}:8080/readyz");
        string body = await ready.Content.ReadAsStringAsync();
        Assert.True(ready.StatusCode == HttpStatusCode.OK, body);
        Assert.Contains("/var/lib/noc-server", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_portal_machine_accepts_a_radclient_Access_Request_from_the_configured_gateway()
    {
        // A user made with the portal's own command line on the machine, which reads the service's /etc file.
        string user = "ci" + Guid.NewGuid().ToString("N")[..8];
        const string Password = "deployment-test-password-1";
        var added = await region.SshAsync(Region.Portal,
            $"runuser -u captive-portal -- /opt/captive-portal/Network.CaptivePortal users add {user} --password-stdin", Password + "\n");
        Assert.True(added.ExitCode == 0, added.Stdout + added.Stderr);

        string secret = await Region.VaultValueAsync("ci-gateway");
        var reply = await Radclient.SendAsync(
            $"User-Name={user},User-Password={Password},Message-Authenticator=0x00,NAS-Identifier=ci-gateway",
            $"{Region.Portal}:1812", "auth", secret, "-x", "-r", "3", "-t", "5");
        Assert.True(reply.ExitCode == 0 && reply.Stdout.Contains("Access-Accept", StringComparison.Ordinal), reply.Stdout + reply.Stderr);
    }

    [Fact]
    public async Task The_agent_machine_polls_the_fleet_and_its_samples_arrive_at_the_NOC()
    {
        double stored = 0;
        await Peers.WaitUntilAsync(async () =>
        {
            stored = Metric(await s_http.GetStringAsync($"http://{Region.Noc}:8080/metrics"), "noc_ingest_points_stored_total");
            return stored > 0;
        }, TimeSpan.FromSeconds(120), "samples from the agent machine at the NOC");

        string agent = await s_http.GetStringAsync($"http://{Region.Router}:9464/metrics");
        Assert.True(Metric(agent, "edge_agent_forward_samples_total") > 0, agent);
        Assert.Equal(0, Metric(agent, "edge_agent_forward_rejected_samples_total"));
        Assert.Equal(0, Metric(agent, "edge_agent_queue_dropped_records_total"));
    }

    [Fact]
    public async Task A_second_run_of_site_yml_changes_nothing()
    {
        PlaybookRun second = await region.PlaybookAsync("site.yml");
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Equal(["noc1", "portal1", "router-hs-flageyplein"], second.Changed.Keys.Order());
        Assert.True(second.Changed.Values.All(c => c == 0), second.Output);
    }

    [Fact]
    public async Task Ansible_lint_finds_nothing_with_the_production_profile()
    {
        PlaybookRun lint = await region.AnsibleAsync("ansible-lint", ["--profile", "production", "--nocolor"]);
        Assert.True(lint.ExitCode == 0, lint.Output);
        Assert.Contains("Passed with production profile: 0 failure(s), 0 warning(s)", lint.Output, StringComparison.Ordinal);
    }

    /// <summary>The value of an unlabelled sample in Prometheus text, 0 when absent.</summary>
    internal static double Metric(string text, string name)
    {
        Match match = Regex.Match(text, $@"^{Regex.Escape(name)} (\S+)$", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }
}
