using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Network.TestSupport;
using Npgsql;

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
    public async Task An_account_registered_on_one_portal_logs_in_on_the_other_through_their_shared_PostgreSQL()
    {
        // A person registers on portal 1's page, as a browser would (antiforgery cookie and field, post/redirect/get).
        string user = "pg" + Guid.NewGuid().ToString("N")[..8];
        const string Password = "shared-database-password-7";
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };
        string page = await browser.GetStringAsync($"http://{Region.Portal}:8081/register");
        string action = WebUtility.HtmlDecode(RegisterForm().Match(page).Groups[1].Value);
        string antiforgery = Antiforgery().Match(page).Groups[1].Value;
        Assert.True(action.Length > 0 && antiforgery.Length > 0, page);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = user, ["password"] = Password, ["__RequestVerificationToken"] = antiforgery,
        });
        using HttpResponseMessage registered = await browser.PostAsync(new Uri(new Uri($"http://{Region.Portal}:8081/"), action), form);
        Assert.True(registered.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther or HttpStatusCode.OK,
            $"{registered.StatusCode}: {await registered.Content.ReadAsStringAsync()}");

        // The gateway asks portal 2 (on the NOC's machine), which has never seen the account: its database is portal 1's.
        string secret = await Region.VaultValueAsync("ci-gateway");
        var accepted = await Radclient.SendAsync(
            $"User-Name={user},User-Password={Password},Message-Authenticator=0x00,NAS-Identifier=ci-gateway",
            $"{Region.SecondPortal}:1812", "auth", secret, "-x", "-r", "3", "-t", "5");
        Assert.True(accepted.ExitCode == 0 && accepted.Stdout.Contains("Access-Accept", StringComparison.Ordinal), accepted.Stdout + accepted.Stderr);
        var refused = await Radclient.SendAsync(
            $"User-Name={user},User-Password=not-{Password},Message-Authenticator=0x00,NAS-Identifier=ci-gateway",
            $"{Region.SecondPortal}:1812", "auth", secret, "-x", "-r", "1", "-t", "5");
        Assert.Contains("Access-Reject", refused.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostgreSQL_takes_the_portals_login_only_from_the_portal_hosts()
    {
        // The right role and password, from an address pg_hba.conf does not list (the host): refused.
        string password = await Region.VaultValueAsync("portal");
        await using var connection = new NpgsqlConnection(
            $"Host={Region.Noc};Port=5432;Database=portal;Username=portal;Password={password};Timeout=10;Pooling=false");
        PostgresException refused = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());
        Assert.Equal(PostgresErrorCodes.InvalidAuthorizationSpecification, refused.SqlState);
        Assert.Contains("no pg_hba.conf entry for host \"" + Region.HostAddress + "\"", refused.MessageText, StringComparison.Ordinal);

        // And it listens on the NOC machine's address and loopback only.
        var listening = await region.SshAsync(Region.Noc, "runuser -u postgres -- psql -Atc 'SHOW listen_addresses'");
        Assert.True(listening.ExitCode == 0, listening.Stderr);
        Assert.Equal("localhost," + Region.Noc, listening.Stdout.Trim());
    }

    [Fact]
    public async Task The_NOC_mirrors_the_agents_samples_to_VictoriaMetrics()
    {
        // A device the agent polls, read back from VictoriaMetrics' export API (JSON lines, one a series).
        string body = "";
        await Peers.WaitUntilAsync(async () =>
        {
            using var match = new FormUrlEncodedContent([new("match[]", "{device=\"hs-simon-bolivarlaan\"}")]);
            using HttpResponseMessage export = await s_http.PostAsync($"http://{Region.Noc}:8428/api/v1/export", match);
            body = await export.Content.ReadAsStringAsync();
            return export.IsSuccessStatusCode && body.Length > 0;
        }, TimeSpan.FromSeconds(120), "the agent's samples in VictoriaMetrics");

        using JsonDocument series = JsonDocument.Parse(body.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0]);
        JsonElement labels = series.RootElement.GetProperty("metric");
        Assert.Equal("hs-simon-bolivarlaan", labels.GetProperty("site").GetString());
        Assert.EndsWith("_value", labels.GetProperty("__name__").GetString(), StringComparison.Ordinal);
        Assert.True(series.RootElement.GetProperty("values").GetArrayLength() > 0, body);
    }

    [Fact]
    public async Task A_second_run_of_site_yml_changes_nothing()
    {
        PlaybookRun second = await region.PlaybookAsync("site.yml");
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Equal(Region.InventoryHosts, second.Changed.Keys.Order());
        Assert.True(second.Changed.Values.All(c => c == 0), second.Output);
    }

    [Fact]
    public async Task Ansible_lint_finds_nothing_with_the_production_profile()
    {
        PlaybookRun lint = await region.AnsibleAsync("ansible-lint", ["--profile", "production", "--nocolor"]);
        Assert.True(lint.ExitCode == 0, lint.Output);
        Assert.Contains("Passed with production profile: 0 failure(s), 0 warning(s)", lint.Output, StringComparison.Ordinal);
    }

    [GeneratedRegex("""<form method="post" action="([^"]*/register[^"]*)""")]
    private static partial Regex RegisterForm();

    // The hidden field as Razor's form tag helper writes it (its attributes in any order).
    [GeneratedRegex("""<input[^>]*\bname="__RequestVerificationToken"[^>]*\bvalue="([^"]+)""")]
    private static partial Regex Antiforgery();

    /// <summary>The value of an unlabelled sample in Prometheus text, 0 when absent.</summary>
    internal static double Metric(string text, string name)
    {
        Match match = Regex.Match(text, $@"^{Regex.Escape(name)} (\S+)$", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }
}
