using System.Net;
using System.Text.RegularExpressions;
using Network.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Network.Noc.Tests;

/// <summary>The NOC's health, readiness and metrics endpoints (shared plumbing in Network.ServiceDefaults).</summary>
public class ServiceDefaultsTests
{
    [Fact]
    public async Task Healthz_and_readyz_answer_healthy_with_a_writable_data_folder()
    {
        await using var noc = new ServiceFactory<Program>();
        using HttpClient client = noc.CreateClient();

        using var live = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        string body = await ready.Content.ReadAsStringAsync();
        Assert.StartsWith("Healthy", body, StringComparison.Ordinal);
        Assert.Contains($"data-directory: Healthy ({noc.DataDirectory})", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_lines_carry_an_ISO_8601_UTC_timestamp_that_parses_as_it_is()
    {
        await using var noc = new ServiceFactory<Program>();
        using HttpClient client = noc.CreateClient();
        var options = noc.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.Extensions.Logging.Console.JsonConsoleFormatterOptions>>()
            .CurrentValue;
        var at = new DateTimeOffset(2026, 11, 29, 14, 20, 5, 123, TimeSpan.Zero);

        string stamp = at.UtcDateTime.ToString(options.TimestampFormat, System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(options.UseUtcTimestamp);
        Assert.Equal("2026-11-29T14:20:05.123Z", stamp);
        Assert.Equal(at, DateTimeOffset.Parse(stamp, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Readyz_is_unavailable_when_the_data_folder_cannot_be_made_but_healthz_stays_up()
    {
        using var blocker = new TempFolder("blocker");
        string file = blocker.PathOf("not-a-folder");
        await File.WriteAllTextAsync(file, "a file where the data folder should be");
        await using var noc = new ServiceFactory<Program>().With("Storage:DataDirectory", Path.Combine(file, "data"));
        using HttpClient client = noc.CreateClient();

        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        using var live = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("data-directory: Unhealthy", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task Metrics_is_Prometheus_text_and_counts_the_requests_served()
    {
        await using var noc = new ServiceFactory<Program>();
        using HttpClient client = noc.CreateClient();
        (await client.GetAsync(new Uri("/login", UriKind.Relative))).Dispose();

        // ASP.NET Core records a request's duration once the response is done, which can be just after the client has it.
        const string Login = @"http_server_request_duration_seconds_count\{(?=[^}]*http_request_method=""GET"")(?=[^}]*http_response_status_code=""200"")[^}]*http_route=""/?[Ll]ogin""[^}]*\} [1-9]";
        string text = "";
        HttpStatusCode status = 0;
        string? mediaType = null;
        await Peers.WaitUntilAsync(async () =>
        {
            using var metrics = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
            (status, mediaType, text) = (metrics.StatusCode, metrics.Content.Headers.ContentType?.ToString(), await metrics.Content.ReadAsStringAsync());
            return Regex.IsMatch(text, Login);
        }, TimeSpan.FromSeconds(10), "the /login request on /metrics");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", mediaType);
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Matches(Login, text);
        Assert.Contains("# TYPE process_cpu_seconds_total counter", text, StringComparison.Ordinal);
    }
}
