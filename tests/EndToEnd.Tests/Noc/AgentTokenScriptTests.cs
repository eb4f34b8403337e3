using System.Net;
using System.Net.Http.Headers;
using System.Runtime.Versioning;
using System.Text;
using Network.TestSupport;

namespace Network.EndToEnd.Tests.Noc;

/// <summary>
/// The deployment's agent token helper (ansible/roles/noc_server/files/noc-agent-token, what rotate-agent-token.yml
/// runs on the NOC's machine) against the real NOC: its command line on the NOC's store, and which tokens the running
/// NOC then takes at <c>/api/v1/ingest</c>.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class AgentTokenScriptTests : IDisposable
{
    private const string Agent = "agent-script";
    private const string Current = "noc_the-current-token-of-the-script-agent-0123";
    private const string Next = "noc_the-next-token-of-the-script-agent-456789ab";

    private static readonly string s_script = Path.Combine(ServiceProcess.RepositoryRoot, "ansible", "roles", "noc_server", "files", "noc-agent-token");
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly TempFolder _folder = new("e2e-agent-token-script");
    private long _sequence;

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_rotation_stopped_half_way_and_begun_again_with_the_current_token_ends_with_the_current_token_only()
    {
        await using NocInstance noc = await NocInstance.StartAsync();
        Assert.Equal("created", await RunAsync(noc, "ensure", Agent, noc.Sites[0].Id, stdin: Current));
        Assert.Equal(HttpStatusCode.OK, await IngestStatusAsync(noc, Current));

        // A rotation to the next token, stopped before it was finished (the agent may hold either token now).
        Assert.Equal("begun", await RunAsync(noc, "rotate", Agent, stdin: Next));
        // Begun again with the current token (the rollback): both stay accepted until it is finished.
        Assert.Equal("begun", await RunAsync(noc, "rotate", Agent, stdin: Current));
        Assert.Equal("unchanged", await RunAsync(noc, "rotate", Agent, stdin: Current));
        Assert.Equal(HttpStatusCode.OK, await IngestStatusAsync(noc, Next));
        Assert.Equal(HttpStatusCode.OK, await IngestStatusAsync(noc, Current));

        await FinishAsync(noc, kept: Current, refused: Next);
        Assert.Equal("unchanged", await RunAsync(noc, "finish", Agent, stdin: Current));
    }

    [Fact]
    public async Task A_rotation_is_finished_only_with_the_token_it_was_begun_with_and_then_the_old_token_is_refused()
    {
        await using NocInstance noc = await NocInstance.StartAsync();
        Assert.Equal("created", await RunAsync(noc, "ensure", Agent, noc.Sites[0].Id, stdin: Current));
        Assert.Equal("begun", await RunAsync(noc, "rotate", Agent, stdin: Next));

        var (code, _, stderr) = await RunRawAsync(noc, ["finish", Agent], Current);
        Assert.Equal(2, code);
        Assert.Contains("begun with another token", stderr, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await IngestStatusAsync(noc, Current));

        await FinishAsync(noc, kept: Next, refused: Current);
    }

    /// <summary>
    /// Finishes the rotation with <paramref name="kept"/>: the running NOC refuses <paramref name="refused"/> once it has
    /// read the tokens again, takes <paramref name="kept"/>, and beginning again with it changes nothing.
    /// </summary>
    private async Task FinishAsync(NocInstance noc, string kept, string refused)
    {
        Assert.Equal("finished", await RunAsync(noc, "finish", Agent, stdin: kept));
        await Peers.WaitUntilAsync(async () => await IngestStatusAsync(noc, refused) == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(60), "the other token refused");
        Assert.Equal(HttpStatusCode.OK, await IngestStatusAsync(noc, kept));
        Assert.Equal("unchanged", await RunAsync(noc, "rotate", Agent, stdin: kept));
    }

    /// <summary>Runs the helper with the test NOC's command line and state folder; fails unless it exits 0; what it printed.</summary>
    private async Task<string> RunAsync(NocInstance noc, string command, string id, string? site = null, string? stdin = null)
    {
        var (code, stdout, stderr) = await RunRawAsync(noc, site is null ? [command, id] : [command, id, site], stdin);
        Assert.True(code == 0, $"noc-agent-token {command}: exit {code}: {stdout}{stderr}");
        return stdout.Trim();
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunRawAsync(NocInstance noc, string[] arguments, string? stdin)
    {
        // The NOC's command line as one executable, on the running NOC's store (its settings as environment variables).
        string nocCommand = Path.Combine(_folder.FullPath, "noc");
        if (!File.Exists(nocCommand))
        {
            var wrapper = new StringBuilder("#!/bin/sh\nexec env");
            foreach ((string key, string value) in noc.Settings)
            {
                wrapper.Append(" '").Append(key).Append('=').Append(value).Append('\'');
            }

            wrapper.Append(" dotnet '").Append(ServiceProcess.AssemblyPath(NocInstance.Project, NocInstance.Assembly)).Append("' \"$@\"\n");
            File.WriteAllText(nocCommand, wrapper.ToString());
            File.SetUnixFileMode(nocCommand, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var environment = new Dictionary<string, string>
        {
            ["NOC_AGENT_TOKEN_NOC"] = nocCommand,
            ["NOC_AGENT_TOKEN_STATE"] = Path.Combine(_folder.FullPath, "deployed-agents"),
        };
        return await PeerProcess.RunAsync("sh", [s_script, .. arguments], stdin is null ? null : stdin + "\n", TimeSpan.FromSeconds(60), environment);
    }

    /// <summary>What the NOC answers to an empty batch with the next sequence, sent with <paramref name="token"/>.</summary>
    private async Task<HttpStatusCode> IngestStatusAsync(NocInstance noc, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, noc.BaseUrl + "/api/v1/ingest")
        {
            Content = new StringContent($$"""{"agentId":"{{Agent}}","sequence":{{Interlocked.Increment(ref _sequence)}},"sentAt":"2026-01-01T00:00:00Z","samples":[]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using HttpResponseMessage response = await s_http.SendAsync(request);
        return response.StatusCode;
    }
}
