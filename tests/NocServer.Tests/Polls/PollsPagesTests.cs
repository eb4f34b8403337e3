using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Network.TestSupport;

namespace Network.Noc.Tests.Polls;

/// <summary>
/// The planners' poll pages without a portal to ask: not configured, a portal that does not answer, and who may do what
/// (the flow against the real portal is in EndToEnd.Tests/Polls).
/// </summary>
public sealed class PollsPagesTests
{
    private static readonly string s_token = "noc-polls-management-token-" + new string('k', 20);

    private static Task<NocHost> StartWithClosedPortalAsync(params (string Key, string Value)[] more) =>
        NocHost.StartAsync([("Polls:PortalUrl", $"http://127.0.0.1:{Peers.FreeTcpPort()}/"), ("Polls:ManagementToken", s_token), ("Polls:Timeout", "00:00:05"), .. more]);

    [Fact]
    public async Task Without_configuration_the_pages_say_so_and_the_API_answers_503()
    {
        await using NocHost noc = await NocHost.StartAsync();
        using HttpClient planner = await noc.SignedInAsync("planner");

        using HttpResponseMessage list = await planner.GetAsync(new Uri("/polls", UriKind.Relative));
        using HttpResponseMessage results = await planner.GetAsync(new Uri("/polls/3/results", UriKind.Relative));
        using HttpResponseMessage api = await planner.GetAsync(new Uri("/api/v1/polls", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Contains("The polls are not configured on this NOC", await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("The polls are not configured on this NOC", await results.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
    }

    [Fact]
    public async Task A_portal_that_does_not_answer_gets_a_clear_message_and_502_and_a_typed_form_is_kept()
    {
        await using NocHost noc = await StartWithClosedPortalAsync();
        using HttpClient planner = await noc.SignedInAsync("planner");

        using HttpResponseMessage list = await planner.GetAsync(new Uri("/polls", UriKind.Relative));
        string listBody = await list.Content.ReadAsStringAsync();
        using HttpResponseMessage api = await planner.GetAsync(new Uri("/api/v1/polls/1/results", UriKind.Relative));
        string form = await planner.GetStringAsync(new Uri("/polls/edit", UriKind.Relative));
        using HttpResponseMessage saved = await PostAsync(planner, "/polls/edit", form, CompleteForm());
        string savedBody = await saved.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadGateway, list.StatusCode);
        Assert.Contains("The portal cannot be reached", listBody, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"polls\"", listBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadGateway, api.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, saved.StatusCode);
        Assert.Contains("The portal cannot be reached", savedBody, StringComparison.Ordinal);
        Assert.Contains("value=\"Where do the hotspots go?\"", savedBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_portal_that_takes_the_connection_and_never_answers_is_given_up_after_the_timeout_with_its_own_message()
    {
        using var silent = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        int port = ((IPEndPoint)silent.LocalEndpoint).Port;
        await using NocHost noc = await NocHost.StartAsync(("Polls:PortalUrl", $"http://127.0.0.1:{port}/"), ("Polls:ManagementToken", s_token), ("Polls:Timeout", "00:00:01"));
        using HttpClient planner = await noc.SignedInAsync("planner");

        using HttpResponseMessage list = await planner.GetAsync(new Uri("/polls", UriKind.Relative));
        using System.Net.Sockets.TcpClient held = await silent.AcceptTcpClientAsync(); // the NOC did connect

        Assert.Equal(HttpStatusCode.BadGateway, list.StatusCode);
        Assert.Contains("The portal did not answer in time", await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(held.Connected);
    }

    [Fact]
    public async Task An_engineer_reads_but_neither_creates_nor_moderates_nor_plans_403()
    {
        await using NocHost noc = await StartWithClosedPortalAsync();
        using HttpClient engineer = await noc.SignedInAsync("engineer");
        string list = await (await engineer.GetAsync(new Uri("/polls", UriKind.Relative))).Content.ReadAsStringAsync();

        using HttpResponseMessage newPoll = await engineer.GetAsync(new Uri("/polls/edit", UriKind.Relative));
        using HttpResponseMessage editPoll = await engineer.GetAsync(new Uri("/polls/edit/1", UriKind.Relative));
        using HttpResponseMessage plan = await engineer.GetAsync(new Uri("/polls/1/plan/2", UriKind.Relative));
        using HttpResponseMessage create = await PostAsync(engineer, "/polls/edit", list, CompleteForm());
        using HttpResponseMessage moderate = await PostAsync(engineer, "/polls/1/moderation", list,
            new() { ["proposal"] = "2", ["action"] = "approve" });
        using HttpResponseMessage toPlan = await PostAsync(engineer, "/polls/1/plan/2", list, new() { ["site"] = "hs-x" });

        Assert.DoesNotContain("href=\"/polls/edit\"", list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, newPoll.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, editPoll.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, plan.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, moderate.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, toPlan.StatusCode);
    }

    [Fact]
    public async Task A_form_without_its_antiforgery_token_is_refused_and_an_unknown_method_gets_405()
    {
        await using NocHost noc = await StartWithClosedPortalAsync();
        using HttpClient planner = await noc.SignedInAsync("planner");

        using var content = new FormUrlEncodedContent(CompleteForm());
        using HttpResponseMessage forged = await planner.PostAsync(new Uri("/polls/edit", UriKind.Relative), content);
        using HttpResponseMessage put = await planner.PutAsync(new Uri("/polls/1/moderation", UriKind.Relative), new StringContent(""));
        using HttpResponseMessage postToList = await planner.PostAsync(new Uri("/polls", UriKind.Relative), new StringContent(""));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, put.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, postToList.StatusCode);
    }

    [Fact]
    public async Task The_management_token_never_reaches_the_log_even_at_trace_level()
    {
        var log = new CapturedLog();
        await using NocHost noc = await StartWithClosedPortalAsync(("Logging:LogLevel:Default", "Trace"));
        noc.Factory.Services.GetRequiredService<ILoggerFactory>().AddProvider(log);
        using HttpClient planner = await noc.SignedInAsync("planner");

        using HttpResponseMessage list = await planner.GetAsync(new Uri("/polls", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadGateway, list.StatusCode);
        Assert.Contains(log.Lines, l => l.Contains("Authorization", StringComparison.Ordinal)); // the headers were logged, redacted
        Assert.Contains(log.Lines, l => l.Contains("The portal is unreachable", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Lines, l => l.Contains(s_token, StringComparison.Ordinal) || l.Contains(s_token[..16], StringComparison.Ordinal));
    }

    /// <summary>A poll form a planner fills in completely.</summary>
    internal static Dictionary<string, string> CompleteForm() => new()
    {
        ["title-nl"] = "Waar komen de hotspots?", ["title-fr"] = "Où vont les hotspots ?", ["title-en"] = "Where do the hotspots go?",
        ["description-nl"] = "Kies een zone.", ["description-fr"] = "Choisissez une zone.", ["description-en"] = "Choose a zone.",
        ["opens"] = "2026-06-03T09:00", ["closes"] = "2026-09-24T18:00", ["proposals"] = "on",
        ["option-0-nl"] = "Metrostations", ["option-0-fr"] = "Stations de métro", ["option-0-en"] = "Metro stations",
        ["option-1-nl"] = "Pleinen", ["option-1-fr"] = "Places", ["option-1-en"] = "Squares",
    };

    /// <summary>Posts <paramref name="fields"/> with the antiforgery token of a page the client was given.</summary>
    internal static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string page, Dictionary<string, string> fields)
    {
        fields[AntiforgeryField.Name] = AntiforgeryField.Of(page);
        return client.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(fields));
    }


    /// <summary>Every log line (category, message, exception), from the moment it is added.</summary>
    private sealed class CapturedLog : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyCollection<string> Lines => _lines;

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
        }
    }
}
