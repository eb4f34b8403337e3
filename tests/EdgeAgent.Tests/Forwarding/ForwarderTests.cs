using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Network.Contracts;
using Network.EdgeAgent.Forwarding;
using Network.EdgeAgent.Queue;
using Network.TestSupport;

namespace Network.EdgeAgent.Tests.Forwarding;

/// <summary>The forwarder against an in-test NOC receiver (HTTPS, HTTP/2, the real contract types).</summary>
public sealed class ForwarderTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new("agent-forward");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 14, 9, 26, 53, TimeSpan.Zero));
    private NocReceiver _noc = null!;
    private SegmentStore _queue = null!;
    private int _nextValue;

    public async Task InitializeAsync()
    {
        _noc = await NocReceiver.StartAsync();
        _queue = OpenQueue();
    }

    public async Task DisposeAsync()
    {
        _queue.Dispose();
        await _noc.DisposeAsync();
        _folder.Dispose();
    }

    private SegmentStore OpenQueue() =>
        SegmentStore.Open(new SegmentStoreSettings(_folder.FullPath, 1L << 30, 8192), NullLogger.Instance);

    private ForwardingOptions Options(int batchMaxRecords = 100) => new()
    {
        Url = _noc.Url.ToString(),
        Token = "s3cret-agent-token",
        CaCertificateFile = _noc.CaFile,
        BatchMaxRecords = batchMaxRecords,
        TimeoutSeconds = 10,
    };

    private Forwarder NewForwarder(ForwardingOptions? options = null)
    {
        options ??= Options();
        return new Forwarder(_queue, _folder.FullPath, options, "agent-flagey", Forwarder.CreateHandler(options), _time, NullLogger.Instance, new Random(7));
    }

    /// <summary>One record of <paramref name="samples"/> samples, each with a value never used before, stamped now.</summary>
    private void AppendRecord(int samples = 3)
    {
        var list = new List<Sample>();
        for (int i = 0; i < samples; i++)
        {
            list.Add(new Sample("flageyplein", "ap1", "if_in_bps", _time.GetUtcNow(), _nextValue++, new Dictionary<string, string> { ["if"] = "wlan1" }));
        }

        _queue.Append([new AgentReport(list).ToBytes()]);
    }

    private static async Task<List<ForwardOutcome>> DrainAsync(Forwarder forwarder)
    {
        var outcomes = new List<ForwardOutcome>();
        for (int i = 0; i < 1000; i++)
        {
            ForwardOutcome outcome = await forwarder.ForwardOnceAsync(CancellationToken.None);
            outcomes.Add(outcome);
            if (outcome.Result == ForwardResult.Idle)
            {
                return outcomes;
            }
        }

        throw new InvalidOperationException("the forwarder never became idle");
    }

    private void AssertEverySampleExactlyOnce()
    {
        List<double> values = [.. _noc.KeptSamples().Select(s => s.Value).Order()];
        Assert.Equal(Enumerable.Range(0, _nextValue).Select(v => (double)v), values);
    }

    [Fact]
    public async Task Batches_go_gzipped_over_http2_with_the_bearer_token_and_sequence_numbers_rise_across_a_restart()
    {
        for (int i = 0; i < 3; i++)
        {
            AppendRecord();
        }

        using (Forwarder first = NewForwarder(Options(batchMaxRecords: 2)))
        {
            await DrainAsync(first);
        }

        AppendRecord();
        AppendRecord();
        using (Forwarder second = NewForwarder(Options(batchMaxRecords: 2)))
        {
            await DrainAsync(second);
        }

        ReceivedBatch[] requests = [.. _noc.Requests];
        Assert.Equal(3, requests.Length);
        Assert.All(requests, r =>
        {
            Assert.Equal("HTTP/2", r.Protocol);
            Assert.Equal("Bearer s3cret-agent-token", r.Authorization);
            Assert.Equal("gzip", r.ContentEncoding);
            Assert.Equal("agent-flagey", r.Batch.AgentId);
        });
        long[] sequences = [.. requests.Select(r => r.Batch.Sequence)];
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(sequences.Length, sequences.Distinct().Count());
        AssertEverySampleExactlyOnce();
        Assert.Equal(0, _queue.PendingRecords);
        Assert.Equal(_time.GetUtcNow(), _noc.KeptSamples()[0].Timestamp); // the original timestamps travel
    }

    [Fact]
    public async Task The_body_is_what_the_contract_serializer_writes_for_the_stored_samples_and_events()
    {
        var labels = new Dictionary<string, string> { ["if"] = "wlan1 \"guest\" +é", ["role"] = "wifi" };
        DateTimeOffset at = _time.GetUtcNow().AddTicks(1234567);
        _queue.Append([
            new AgentReport([new Sample("flageyplein", "ap1", "if_in_bps", at, 1.5e9, labels), new Sample("flageyplein", "ap1", "device_reachable", at, 1)]).ToBytes(),
            new AgentReport([new Sample("flageyplein", "ap2", "cpu_load_percent", at, 12.25)],
                [new DeviceEvent("flageyplein", "ap2", "device_rebooted", at, "ap2 restarted: sysUpTime 3 s", labels)]).ToBytes(),
            new AgentReport([]).ToBytes(),
        ]);
        using Forwarder forwarder = NewForwarder();

        await DrainAsync(forwarder);

        ReceivedBatch received = Assert.Single(_noc.Requests);
        Assert.Equal(3, received.Batch.Samples.Count);
        Assert.Equal(labels, received.Batch.Samples[0].Labels);
        Assert.Equal("device_rebooted", Assert.Single(received.Batch.Events!).Kind);
        Assert.Equal(
            System.Text.Encoding.UTF8.GetString(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(received.Batch, IngestJsonContext.Default.SampleBatch)),
            System.Text.Encoding.UTF8.GetString(received.Json));
    }

    [Fact]
    public async Task A_batch_holds_the_records_whose_samples_fit_and_a_larger_record_goes_alone()
    {
        AppendRecord(3);
        AppendRecord(3);
        AppendRecord(3);
        AppendRecord(9);
        AppendRecord(1);
        ForwardingOptions options = Options();
        options.BatchMaxSamples = 7;
        using Forwarder forwarder = NewForwarder(options);

        await DrainAsync(forwarder);

        Assert.Equal([6, 3, 9, 1], _noc.Requests.Select(r => r.Batch.Samples.Count));
        AssertEverySampleExactlyOnce();
    }

    [Fact]
    public async Task A_NOC_whose_certificate_the_configured_CA_did_not_sign_is_refused_and_the_batch_kept()
    {
        using var otherKey = System.Security.Cryptography.ECDsa.Create();
        using System.Security.Cryptography.X509Certificates.X509Certificate2 otherCa = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=noc.test", otherKey, System.Security.Cryptography.HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        string otherCaFile = Path.Combine(_folder.FullPath, "other-ca.pem");
        await File.WriteAllTextAsync(otherCaFile, otherCa.ExportCertificatePem());
        AppendRecord();
        ForwardingOptions options = Options();
        options.CaCertificateFile = otherCaFile;
        using Forwarder forwarder = NewForwarder(options);

        ForwardOutcome outcome = await forwarder.ForwardOnceAsync(CancellationToken.None);

        Assert.Equal(ForwardResult.Retry, outcome.Result);
        Assert.Empty(_noc.Requests);
        Assert.Equal(1, _queue.PendingRecords);
    }

    [Fact]
    public async Task A_60_second_outage_with_lost_answers_and_a_restart_loses_nothing_and_duplicates_nothing()
    {
        DateTimeOffset start = _time.GetUtcNow();
        DateTimeOffset outageFrom = start.AddSeconds(20);
        DateTimeOffset outageTo = outageFrom.AddSeconds(60);
        int answered = 0;
        _noc.Respond = batch =>
        {
            DateTimeOffset now = _time.GetUtcNow();
            answered++;
            if (now >= outageFrom && now < outageTo)
            {
                return answered % 3 == 0 ? new Answer(503, "4", Keep: false) : new Answer(502, Keep: false);
            }

            // Around the outage some answers are lost after the NOC stored the batch: the agent must resend the same sequence.
            return answered % 4 == 0 ? new Answer(500, Keep: true) : new Answer(202);
        };

        Forwarder forwarder = NewForwarder(Options(batchMaxRecords: 2));
        DateTimeOffset nextPoll = start;
        DateTimeOffset end = start.AddSeconds(180);
        bool restarted = false;
        try
        {
            while (_time.GetUtcNow() < end)
            {
                if (_time.GetUtcNow() >= nextPoll)
                {
                    AppendRecord(); // a poll every 5 s: the outage leaves a backlog of 12 records
                    nextPoll = nextPoll.AddSeconds(5);
                }

                if (!restarted && _time.GetUtcNow() >= outageFrom.AddSeconds(30))
                {
                    forwarder.Dispose(); // the agent restarts in the middle of the outage
                    forwarder = NewForwarder(Options(batchMaxRecords: 2));
                    restarted = true;
                }

                ForwardOutcome outcome = await forwarder.ForwardOnceAsync(CancellationToken.None);
                TimeSpan untilPoll = nextPoll - _time.GetUtcNow();
                TimeSpan step = outcome.Delay < untilPoll ? outcome.Delay : untilPoll;
                _time.Advance(step > TimeSpan.Zero ? step : TimeSpan.FromMilliseconds(1));
            }

            await DrainAsync(forwarder);
        }
        finally
        {
            forwarder.Dispose();
        }

        AssertEverySampleExactlyOnce();
        Assert.Equal(0, _queue.PendingRecords);

        // Every resend of a sequence number carried the same samples (so dropping the copy loses nothing).
        foreach (IGrouping<long, ReceivedBatch> sends in _noc.Requests.GroupBy(r => r.Batch.Sequence))
        {
            Assert.Single(sends.Select(s => string.Join(',', s.Batch.Samples.Select(x => x.Value.ToString(CultureInfo.InvariantCulture)))).Distinct());
        }

        // New batches took rising numbers, across the restart too.
        long[] firstSends = [.. _noc.Requests.Select(r => r.Batch.Sequence).Distinct()];
        Assert.Equal(firstSends.Order(), firstSends);

        // Replay did not starve fresh samples: right after the outage, the newest record went before the middle of the backlog.
        List<SampleBatch> afterOutage = [.. _noc.Requests.Where(r => r.Status == 202 && r.Batch.SentAt >= outageTo).Select(r => r.Batch)];
        int freshIndex = afterOutage.FindIndex(b => b.Samples.All(s => s.Timestamp >= outageTo));
        int backlogMiddleIndex = afterOutage.FindIndex(b => b.Samples.Any(s => s.Timestamp == outageFrom.AddSeconds(40)));
        Assert.True(freshIndex >= 0 && backlogMiddleIndex >= 0 && freshIndex < backlogMiddleIndex,
            $"fresh batch at {freshIndex}, middle of the backlog at {backlogMiddleIndex}");
    }

    [Fact]
    public async Task Retry_after_of_a_429_is_honoured_and_the_same_batch_goes_again_under_the_same_number()
    {
        AppendRecord();
        _noc.Respond = _ => new Answer(429, "7", Keep: false);
        using Forwarder forwarder = NewForwarder();

        ForwardOutcome refused = await forwarder.ForwardOnceAsync(CancellationToken.None);
        _noc.Respond = _ => new Answer(202);
        ForwardOutcome accepted = await forwarder.ForwardOnceAsync(CancellationToken.None);

        Assert.Equal(ForwardResult.Retry, refused.Result);
        Assert.Equal(TimeSpan.FromSeconds(7), refused.Delay);
        Assert.Equal(ForwardResult.Delivered, accepted.Result);
        Assert.Equal(refused.Sequence, accepted.Sequence);
        AssertEverySampleExactlyOnce();
    }

    [Fact]
    public async Task A_400_drops_only_that_batch_while_a_404_or_401_keeps_everything_and_backs_off_long()
    {
        AppendRecord();
        _noc.Respond = _ => new Answer(404, Keep: false);
        using Forwarder forwarder = NewForwarder();

        ForwardOutcome notFound = await forwarder.ForwardOnceAsync(CancellationToken.None);
        _noc.Respond = _ => new Answer(401, Keep: false);
        ForwardOutcome unauthorized = await forwarder.ForwardOnceAsync(CancellationToken.None);
        _noc.Respond = _ => new Answer(400, Keep: false);
        ForwardOutcome rejected = await forwarder.ForwardOnceAsync(CancellationToken.None);
        AppendRecord();
        _noc.Respond = _ => new Answer(202);
        ForwardOutcome next = await forwarder.ForwardOnceAsync(CancellationToken.None);

        Assert.Equal((ForwardResult.Retry, TimeSpan.FromSeconds(60)), (notFound.Result, notFound.Delay));
        Assert.Equal((ForwardResult.Retry, TimeSpan.FromSeconds(60)), (unauthorized.Result, unauthorized.Delay));
        Assert.Equal(ForwardResult.Rejected, rejected.Result);
        Assert.Equal(ForwardResult.Delivered, next.Result);
        Assert.True(next.Sequence > rejected.Sequence);
        Assert.Equal([3.0, 4.0, 5.0], _noc.KeptSamples().Select(s => s.Value));
    }

    [Fact]
    public async Task With_the_noc_unreachable_the_backoff_doubles_with_jitter_up_to_its_cap()
    {
        AppendRecord();
        var options = new ForwardingOptions { Url = $"http://127.0.0.1:{Peers.FreeTcpPort()}/", Token = "t", MinBackoffSeconds = 1, MaxBackoffSeconds = 8 };
        using Forwarder forwarder = NewForwarder(options);

        var delays = new List<double>();
        for (int i = 0; i < 6; i++)
        {
            ForwardOutcome outcome = await forwarder.ForwardOnceAsync(CancellationToken.None);
            Assert.Equal(ForwardResult.Retry, outcome.Result);
            delays.Add(outcome.Delay.TotalSeconds);
        }

        double[] steps = [1, 2, 4, 8, 8, 8];
        for (int i = 0; i < steps.Length; i++)
        {
            Assert.InRange(delays[i], steps[i] / 2, steps[i]);
        }

        Assert.Equal(1, _queue.PendingRecords);
    }
}
