using Network.TestSupport;

namespace Network.EndToEnd.Tests.Noc;

/// <summary>
/// The NOC's operators' command line as an operator meets it: the real executable run as a process from a folder that
/// is not the NOC's (a temporary one, with no <c>Storage:DataDirectory</c> given, so the default <c>data</c> is taken
/// there).
/// </summary>
public sealed class NocCommandLineTests : IDisposable
{
    private readonly TempFolder _folder = new("e2e-noc-cli");

    private string DefaultStore => Path.Combine(_folder.FullPath, "data", "noc.db");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_command_in_a_folder_without_a_store_refuses_and_creates_nothing()
    {
        var (code, stdout, stderr) = await RunAsync(["users", "add", "pia", "--role", "engineer", "--password-stdin"], "a long enough password\n");

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains($"no NOC store at {DefaultStore}: nothing done", stderr, StringComparison.Ordinal);
        Assert.Contains("--create-store", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder.FullPath, "data")), "the refused command made a data folder");
    }

    [Fact]
    public async Task Create_store_makes_the_store_every_command_names_it_and_later_commands_use_it()
    {
        var (created, createdOut, createdErr) = await RunAsync(
            ["users", "add", "pia", "--role", "engineer", "--password-stdin", "--create-store"], "a long enough password\n");
        var (listed, listOut, listErr) = await RunAsync(["users", "list"]);
        var (agent, agentOut, agentErr) = await RunAsync(["agents", "add", "agent-flagey"]);

        Assert.True(created == 0, createdOut + createdErr);
        Assert.Equal($"added user pia (engineer) (store {DefaultStore})\n", createdOut);
        Assert.True(File.Exists(DefaultStore));
        Assert.True(listed == 0, listOut + listErr);
        Assert.Equal("pia\tengineer\n", listOut);
        Assert.Equal($"(store {DefaultStore})\n", listErr);
        Assert.True(agent == 0, agentOut + agentErr);
        Assert.StartsWith($"added agent agent-flagey (store {DefaultStore}); its token (shown once): ", agentOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_every_command_with_its_options_and_starts_no_server()
    {
        var (code, stdout, stderr) = await RunAsync(["--help"]);

        Assert.True(code == 0, stdout + stderr);
        foreach (string command in new[] { "users add NAME --role", "users list", "users remove NAME", "agents add ID [--site SITE] [--token-stdin]", "agents list", "agents revoke ID" })
        {
            Assert.Contains("Network.Noc " + command, stdout, StringComparison.Ordinal);
        }

        Assert.Contains("--create-store", stdout, StringComparison.Ordinal);
        Assert.Contains("--Storage:DataDirectory=DIR", stdout, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder.FullPath));
    }

    [Theory]
    [InlineData("users add --help", "users add NAME --role engineer|planner|admin --password-stdin [--replace]", "agents")]
    [InlineData("agents --help", "agents revoke ID", "users")]
    [InlineData("help agents add", "agents add ID [--site SITE] [--token-stdin]", "users")]
    public async Task Help_of_one_command_shows_that_command(string command, string expected, string absent)
    {
        var (code, stdout, stderr) = await RunAsync(command.Split(' '));

        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("Network.Noc " + expected, stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Network.Noc " + absent, stdout, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder.FullPath));
    }

    /// <summary>Runs <c>dotnet Network.Noc.dll ARGS</c> with the temporary folder as its working directory.</summary>
    private Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string[] arguments, string? stdin = null) =>
        PeerProcess.RunAsync("env", ["-C", _folder.FullPath, "dotnet", ServiceProcess.AssemblyPath(NocInstance.Project, NocInstance.Assembly), .. arguments], stdin,
            environment: new Dictionary<string, string> { ["DOTNET_NOLOGO"] = "1" });
}
