using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Network.CaptivePortal.Accounts;
using Network.CaptivePortal.Reporting;
using Network.CaptivePortal.Sessions;
using Network.Contracts;
using Network.Radius.Dictionary;
using Network.TestSupport;

namespace Network.CaptivePortal.Tests.Reporting;

/// <summary>The portal's reports to an in-test receiver that answers as the NOC's ingest API does.</summary>
public sealed class NocReporterTests : IDisposable
{
    private readonly HttpListener _noc = new();
    private readonly int _port = Peers.FreeTcpPort();
    private readonly List<(string? Authorization, string? Encoding, SampleBatch Batch)> _received = [];
    private readonly Queue<(int Status, string? RetryAfter)> _answers = new();
    private readonly TempFolder _data = new("portal-noc");
    private readonly Task _loop;

    public NocReporterTests()
    {
        _noc.Prefixes.Add($"http://127.0.0.1:{_port}/");
        _noc.Start();
        _loop = Task.Run(ServeAsync);
    }

    public void Dispose()
    {
        _noc.Stop();
        _noc.Close();
        _loop.Wait(TimeSpan.FromSeconds(2));
        _data.Dispose();
    }

    private async Task ServeAsync()
    {
        while (_noc.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _noc.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            await using var gzip = new GZipStream(context.Request.InputStream, CompressionMode.Decompress);
            SampleBatch batch = (await JsonSerializer.DeserializeAsync(gzip, IngestJsonContext.Default.SampleBatch))!;
            (int status, string? retryAfter) = _answers.Count > 0 ? _answers.Dequeue() : (200, null);
            lock (_received)
            {
                _received.Add((context.Request.Headers["Authorization"], context.Request.Headers["Content-Encoding"], batch));
            }

            context.Response.StatusCode = status;
            if (retryAfter is not null)
            {
                context.Response.Headers["Retry-After"] = retryAfter;
            }

            byte[] body = status == 200 ? System.Text.Encoding.UTF8.GetBytes($"{{\"accepted\":{batch.Samples.Count}}}") : [];
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    private ServiceFactory<Program> Portal() => new ServiceFactory<Program>()
        .With("Storage:DataDirectory", _data.FullPath)
        .With("Radius:Enabled", "false")
        .With("Noc:Url", $"http://127.0.0.1:{_port}/")
        .With("Noc:Token", "agent-token-portal")
        .With("Noc:AgentId", "portal-test")
        .With("Noc:IntervalSeconds", "3600");

    [Fact]
    public async Task Reports_the_figures_per_hotspot_with_the_token_gzip_and_a_rising_sequence_across_restarts()
    {
        await using (ServiceFactory<Program> portal = Portal())
        {
            _ = portal.Server;
            SessionStore sessions = portal.Services.GetRequiredService<SessionStore>();
            (string Id, string User, string Mac)[] starts = [("S-1", "marie", "02-00-00-00-00-01"), ("S-2", "jan", "02-00-00-00-00-02"), ("S-3", "marie", "02-00-00-00-00-03")];
            foreach ((string id, string user, string mac) in starts)
            {
                await sessions.RecordAsync(new AccountingRecord
                {
                    StatusType = AcctStatusType.Start, AcctSessionId = id, UserName = user, NasIdentifier = "hs-flageyplein", CallingStationId = mac,
                });
            }

            await portal.Services.GetRequiredService<AccountRegistration>().RegisterAsync("new.person", "Flagey-2026-wifi", null, "hs-flageyplein");
            NocReporter reporter = portal.Services.GetRequiredService<NocReporter>();

            Assert.Equal(ReportOutcome.Delivered, await reporter.ReportOnceAsync());
            Assert.Equal(ReportOutcome.Delivered, await reporter.ReportOnceAsync());
        }

        await using (ServiceFactory<Program> restarted = Portal())
        {
            _ = restarted.Server;
            Assert.Equal(ReportOutcome.Delivered, await restarted.Services.GetRequiredService<NocReporter>().ReportOnceAsync());
        }

        Assert.Equal([1L, 2L, 3L], _received.Select(r => r.Batch.Sequence));
        var first = _received[0];
        Assert.Equal("Bearer agent-token-portal", first.Authorization);
        Assert.Equal("gzip", first.Encoding);
        Assert.Equal("portal-test", first.Batch.AgentId);
        double Value(string metric) => first.Batch.Samples.Single(s => s.Site == "hs-flageyplein" && s.Metric == metric).Value;
        Assert.Equal(2, Value("users_online"));
        Assert.Equal(3, Value("sessions_online"));
        Assert.Equal(3, Value("logins_per_hour"));
        Assert.Equal(1, Value("registrations_per_hour"));
        Assert.Equal(3, Value("sessions_month"));
        Assert.Equal(3, Value("logins_month"));
        Assert.Equal(1, Value("registrations_month"));
        Assert.Equal(0, Value("octets_month"));

        // The hotspot's own series, never a device's; distinct users of the month as a sketch (marie twice is one user).
        Assert.All(first.Batch.Samples, s => Assert.Equal(DeviceNames.Hotspot, s.Device));
        UserSketch sketch = Assert.Single(first.Batch.Sketches!, s => s.Site == "hs-flageyplein" && s.Month == TimeZoneInfo.ConvertTime(first.Batch.SentAt, TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels"))
            .ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, UserCountSketch.FromBase64(sketch.Registers)!.Estimate());
    }

    [Fact]
    public async Task A_hotspot_whose_last_session_ended_reports_nobody_online_rather_than_nothing()
    {
        await using (ServiceFactory<Program> portal = Portal())
        {
            _ = portal.Server;
            SessionStore sessions = portal.Services.GetRequiredService<SessionStore>();
            foreach ((string id, string hotspot) in new[] { ("S-1", "hs-flageyplein"), ("S-2", "hs-beursplein") })
            {
                await sessions.RecordAsync(new AccountingRecord
                {
                    StatusType = AcctStatusType.Start, AcctSessionId = id, UserName = "marie", NasIdentifier = hotspot, CallingStationId = "02-00-00-00-00-01",
                });
            }

            NocReporter reporter = portal.Services.GetRequiredService<NocReporter>();
            Assert.Equal(ReportOutcome.Delivered, await reporter.ReportOnceAsync());
            await sessions.RecordAsync(new AccountingRecord
            {
                StatusType = AcctStatusType.Stop, AcctSessionId = "S-1", UserName = "marie", NasIdentifier = "hs-flageyplein", CallingStationId = "02-00-00-00-00-01",
            });
            Assert.Equal(ReportOutcome.Delivered, await reporter.ReportOnceAsync());
        }

        double Value(int batch, string site, string metric) => _received[batch].Batch.Samples.Single(s => s.Site == site && s.Metric == metric).Value;
        Assert.Equal((1, 1), (Value(0, "hs-flageyplein", "users_online"), Value(0, "hs-beursplein", "users_online")));
        Assert.Equal((0, 0, 1), (Value(1, "hs-flageyplein", "users_online"), Value(1, "hs-flageyplein", "sessions_online"), Value(1, "hs-beursplein", "users_online")));
    }

    [Fact]
    public async Task A_batch_not_delivered_goes_again_unchanged_409_counts_as_delivered_and_401_drops_it()
    {
        await using ServiceFactory<Program> portal = Portal();
        _ = portal.Server;
        NocReporter reporter = portal.Services.GetRequiredService<NocReporter>();
        _answers.Enqueue((503, null));
        _answers.Enqueue((429, "0"));
        _answers.Enqueue((409, null));
        _answers.Enqueue((401, null));

        ReportOutcome unavailable = await reporter.ReportOnceAsync();
        ReportOutcome throttled = await reporter.ReportOnceAsync();
        ReportOutcome already = await reporter.ReportOnceAsync();
        ReportOutcome badToken = await reporter.ReportOnceAsync();
        ReportOutcome next = await reporter.ReportOnceAsync();

        Assert.Equal([ReportOutcome.Retry, ReportOutcome.Retry, ReportOutcome.Delivered, ReportOutcome.Rejected, ReportOutcome.Delivered],
            [unavailable, throttled, already, badToken, next]);
        Assert.Equal([1L, 1L, 1L, 2L, 3L], _received.Select(r => r.Batch.Sequence));
        Assert.Equal(_received[0].Batch.SentAt, _received[2].Batch.SentAt);
    }

    [Fact]
    public async Task Without_a_NOC_url_nothing_is_sent()
    {
        await using ServiceFactory<Program> portal = new ServiceFactory<Program>().With("Radius:Enabled", "false");
        _ = portal.Server;

        Assert.Equal(ReportOutcome.Disabled, await portal.Services.GetRequiredService<NocReporter>().ReportOnceAsync());
        Assert.Empty(_received);
    }
}
