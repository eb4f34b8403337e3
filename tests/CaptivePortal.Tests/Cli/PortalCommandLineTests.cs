using System.Net;
using Network.CaptivePortal.Tests.Portal;
using Network.TestSupport;

namespace Network.CaptivePortal.Tests.Cli;

/// <summary>
/// The portal's operators' command line as an operator meets it: the real executable run as a process, from a folder
/// that is not the portal's (a temporary one), beside a running portal.
/// </summary>
public sealed class PortalCommandLineTests : IDisposable
{
    private const string Project = "captive-portal/CaptivePortal";
    private const string Assembly = "Network.CaptivePortal";
    private readonly TempFolder _folder = new("portal-cli");

    private string DefaultStore => Path.Combine(_folder.FullPath, "data", "portal.db");

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string[], string, string, string> MadeByTheCommandLine => new()
    {
        { ["users", "add", "marie", "--password-stdin"], "Sint-Gillis-2026\n", "rnarie", "added marie" },
        { ["users", "import", "--stdin"], "tom_peeters Sint-Gillis-2026\nlotte Sint-Gillis-2026\n", "torn-peeters", "added 2, refused 0" },
    };

    [Theory]
    [MemberData(nameof(MadeByTheCommandLine))]
    public async Task An_account_the_command_line_adds_while_the_portal_runs_makes_the_portal_refuse_its_look_alike(
        string[] command, string stdin, string lookAlike, string added)
    {
        await using ServiceFactory<Program> portal = new ServiceFactory<Program>().With("Radius:Enabled", "false");
        using var client = new PortalClient(portal); // the portal runs, its store open
        var (before, _, _) = await client.GetAsync("/register?lang=en");
        Assert.Equal(HttpStatusCode.OK, before);

        var (code, stdout, stderr) = await RunAsync([.. command, $"--Storage:DataDirectory={portal.DataDirectory}"], stdin);
        var (status, body, _) = await client.SubmitAsync("/register?lang=en",
            new Dictionary<string, string> { ["username"] = lookAlike, ["password"] = "Koekelberg-2026!", ["email"] = "" });

        Assert.True(code == 0, stdout + stderr);
        Assert.StartsWith($"{added} (store {Path.Combine(portal.DataDirectory, "portal.db")})", stdout, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("This username is taken, or looks too much like one that is.", PortalClient.Decode(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_command_line_refuses_a_look_alike_too()
    {
        var (first, _, firstErr) = await RunAsync(["users", "add", "marie", "--password-stdin", "--create-store"], "Sint-Gillis-2026\n");
        var (code, stdout, stderr) = await RunAsync(["users", "add", "rnarie", "--password-stdin"], "Sint-Gillis-2026\n");

        Assert.True(first == 0, firstErr);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("not added: an account whose name looks the same exists", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clients_list_with_the_services_settings_file_shows_the_clients_the_running_service_was_given_and_no_secret()
    {
        string data = _folder.PathOf("portal-data");
        int port = Peers.FreeTcpPort();
        string config = _folder.PathOf("portal.json");
        await File.WriteAllTextAsync(config, $$"""
            {
              "Urls": "http://127.0.0.1:{{port}}",
              "Storage": { "DataDirectory": "{{data}}" },
              "Radius": {
                "BindAddress": "127.0.0.1", "AuthPort": 0, "AcctPort": 0,
                "Clients": [
                  { "Name": "demo-gateways", "Address": "127.0.0.0/8", "Secret": "demo-gateway-secret" },
                  { "Name": "hs-flagey", "Address": "10.20.0.1", "Secret": "flagey-secret-16ch", "RequireMessageAuthenticator": "auto" }
                ]
              }
            }
            """);
        await using PeerProcess service = ServiceProcess.Start(Project, Assembly, ["--config", config]);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
        await Peers.WaitUntilAsync(async () =>
        {
            Assert.False(service.HasExited, service.Output);
            using HttpResponseMessage ready = await http.GetAsync(new Uri("readyz", UriKind.Relative));
            return ready.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(60), "the portal started with --config answering /readyz");
        string readiness = await http.GetStringAsync(new Uri("readyz", UriKind.Relative));

        var (code, stdout, stderr) = await RunAsync(["--config", config, "clients", "list"]); // as run.sh prints it
        var (added, addedOut, addedErr) = await RunAsync([$"--Logging:LogLevel:Default=Warning", "users", "add", "marie", "--password-stdin", $"--config={config}"], "Sint-Gillis-2026\n");

        Assert.Contains(Path.Combine(data, "portal.db"), readiness, StringComparison.Ordinal); // the service read the file
        Assert.True(code == 0, stdout + stderr);
        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^demo-gateways\s+127\.0\.0\.0/8\s+true$", lines[1]);
        Assert.Matches(@"^hs-flagey\s+10\.20\.0\.1\s+auto$", lines[2]);
        Assert.DoesNotContain("secret", stdout + stderr, StringComparison.OrdinalIgnoreCase);
        Assert.True(added == 0, addedOut + addedErr);
        Assert.Equal($"added marie (store {Path.Combine(data, "portal.db")})\n", addedOut);
    }

    [Fact]
    public async Task Clients_list_reads_the_same_command_line_settings_as_the_service()
    {
        var (code, stdout, stderr) = await RunAsync(["clients", "list",
            "--Radius:Clients:0:Name=demo-gateways", "--Radius:Clients:0:Address=127.0.0.0/8", "--Radius:Clients:0:Secret=demo-gateway-secret"]);

        Assert.True(code == 0, stdout + stderr);
        Assert.Matches(@"\ndemo-gateways\s+127\.0\.0\.0/8\s+true\n$", stdout);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder.FullPath));
    }

    [Fact]
    public async Task A_settings_file_that_does_not_exist_is_a_configuration_error()
    {
        var (code, stdout, stderr) = await RunAsync(["clients", "list", "--config", "nowhere.json"]);

        Assert.Equal(78, code);
        Assert.Equal("", stdout);
        Assert.Equal($"configuration error: Portal:ConfigFile: {_folder.PathOf("nowhere.json")} does not exist", stderr.Trim());
    }

    [Fact]
    public async Task A_command_in_a_folder_without_a_store_refuses_and_creates_nothing()
    {
        var (code, stdout, stderr) = await RunAsync(["users", "add", "marie", "--password-stdin"], "Sint-Gillis-2026\n");
        var (listed, _, listErr) = await RunAsync(["users", "list"]);

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains($"no portal store at {DefaultStore}: nothing done", stderr, StringComparison.Ordinal);
        Assert.Contains("--create-store", stderr, StringComparison.Ordinal);
        Assert.Equal(2, listed);
        Assert.Contains($"no portal store at {DefaultStore}", listErr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder.FullPath));
    }

    [Fact]
    public async Task Create_store_makes_the_store_and_every_command_names_the_store_it_used()
    {
        var (created, createdOut, createdErr) = await RunAsync(["users", "add", "marie", "--password-stdin", "--create-store"], "Sint-Gillis-2026\n");
        var (listed, listOut, listErr) = await RunAsync(["users", "list"]);
        var (locked, lockOut, lockErr) = await RunAsync(["users", "lock", "marie"]);

        Assert.True(created == 0, createdOut + createdErr);
        Assert.Equal($"added marie (store {DefaultStore})\n", createdOut);
        Assert.True(listed == 0, listOut + listErr);
        Assert.Contains("\nmarie ", listOut, StringComparison.Ordinal);
        Assert.Equal($"(store {DefaultStore})\n", listErr);
        Assert.True(locked == 0, lockOut + lockErr);
        Assert.Equal($"locked marie (store {DefaultStore})\n", lockOut);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    [InlineData("users --help")]
    [InlineData("clients list --help")]
    public async Task Help_shows_every_command_and_its_options_and_starts_nothing(string command)
    {
        var (code, stdout, stderr) = await RunAsync(command.Split(' '));

        Assert.True(code == 0, stdout + stderr);
        foreach (string expected in new[] { "users add NAME --password-stdin", "users import --stdin", "sessions list [HOTSPOT]", "clients list", "--config FILE", "--create-store", "--Storage:DataDirectory=DIR" })
        {
            Assert.Contains(expected, stdout, StringComparison.Ordinal);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder.FullPath)); // no data folder, no store
    }

    /// <summary>Runs <c>dotnet Network.CaptivePortal.dll ARGS</c> with the temporary folder as its working directory.</summary>
    private Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string[] arguments, string? stdin = null) =>
        PeerProcess.RunAsync("env", ["-C", _folder.FullPath, "dotnet", ServiceProcess.AssemblyPath(Project, Assembly), .. arguments], stdin,
            environment: new Dictionary<string, string> { ["DOTNET_NOLOGO"] = "1" });
}
