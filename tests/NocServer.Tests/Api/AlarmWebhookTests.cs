using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Network.TestSupport;

namespace Network.Noc.Tests.Api;

/// <summary>The alarm webhook: every change is POSTed as JSON, signed with HMAC-SHA256 when a secret is set.</summary>
public sealed class AlarmWebhookTests : IDisposable
{
    private const string Secret = "webhook-secret-for-the-test";

    private readonly HttpListener _listener = new();
    private readonly Channel<(string Body, string? Signature)> _received = Channel.CreateUnbounded<(string, string?)>();
    private readonly string _url;

    public AlarmWebhookTests()
    {
        _url = $"http://127.0.0.1:{Peers.FreeTcpPort()}/hook/";
        _listener.Prefixes.Add(_url);
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                _received.Writer.TryWrite((await reader.ReadToEndAsync(), context.Request.Headers["X-Noc-Signature"]));
                context.Response.StatusCode = 204;
                context.Response.Close();
            }
        });
    }

    [Fact]
    public async Task An_opened_alarm_reaches_the_webhook_signed_and_its_clearing_follows()
    {
        await using NocHost noc = await NocHost.StartAsync(("Alarms:WebhookUrl", _url), ("Alarms:WebhookSecret", Secret));

        using HttpResponseMessage down = await noc.IngestAsync(NocHost.Batch(1, NocHost.Reading("device_reachable", 1)));
        using HttpResponseMessage down2 = await noc.IngestAsync(NocHost.Batch(2, NocHost.Reading("device_reachable", 0)));
        (string body, string? signature) = await NextAsync();
        using HttpResponseMessage up = await noc.IngestAsync(NocHost.Batch(3, NocHost.Reading("device_reachable", 1)));
        (string cleared, _) = await NextAsync();

        JsonElement alarm = JsonDocument.Parse(body).RootElement;
        Assert.Equal(("hs-beursplein", "down", "open"), (alarm.GetProperty("site").GetString(), alarm.GetProperty("kind").GetString(), alarm.GetProperty("state").GetString()));
        string expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(body)));
        Assert.Equal(expected, signature);
        Assert.Equal("cleared", JsonDocument.Parse(cleared).RootElement.GetProperty("state").GetString());
    }

    [Fact]
    public async Task An_alarm_opened_in_a_maintenance_window_is_not_sent_even_with_suppressed_alarms_on()
    {
        await using NocHost noc = await NocHost.StartAsync(("Alarms:WebhookUrl", _url), ("Alarms:WebhookSuppressed", "true"));
        using HttpClient engineer = await noc.SignedInAsync("engineer");
        using (HttpResponseMessage window = await engineer.PostAsJsonAsync(new Uri("/api/v1/sla/maintenance", UriKind.Relative), new
        {
            sites = new[] { "hs-beursplein" }, start = DateTimeOffset.UtcNow.AddMinutes(-1), end = DateTimeOffset.UtcNow.AddHours(1), reason = "antenna swap",
        }))
        {
            Assert.Equal(HttpStatusCode.Created, window.StatusCode);
        }

        // One writer judges the batches in order: had the first site's alarm been queued for the webhook, it would come first.
        using HttpResponseMessage first = await noc.IngestAsync(NocHost.Batch(1, NocHost.Reading("device_reachable", 1), NocHost.Reading("device_reachable", 1, "hs-flageyplein")));
        using HttpResponseMessage inWindow = await noc.IngestAsync(NocHost.Batch(2, NocHost.Reading("device_reachable", 0)));
        using HttpResponseMessage outside = await noc.IngestAsync(NocHost.Batch(3, NocHost.Reading("device_reachable", 0, "hs-flageyplein")));

        JsonElement alarm = JsonDocument.Parse((await NextAsync()).Body).RootElement;
        Assert.Equal(("hs-flageyplein", "down"), (alarm.GetProperty("site").GetString(), alarm.GetProperty("kind").GetString()));
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
    }

    private async Task<(string Body, string? Signature)> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _received.Reader.ReadAsync(timeout.Token);
    }
}
