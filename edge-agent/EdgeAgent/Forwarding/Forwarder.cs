using System.Diagnostics.Metrics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Network.Contracts;
using Network.EdgeAgent.Metrics;
using Network.EdgeAgent.Queue;

namespace Network.EdgeAgent.Forwarding;

public enum ForwardResult
{
    /// <summary>Nothing to send.</summary>
    Idle,

    /// <summary>A batch reached the NOC (2xx, or 409: it had it already).</summary>
    Delivered,

    /// <summary>Not delivered (network error, 5xx, 429, 401/403): the same batch goes again after the delay.</summary>
    Retry,

    /// <summary>The NOC refused the batch for good (400, 422...): it is dropped, logged and counted.</summary>
    Rejected,
}

/// <summary>The body written for a batch: the records it holds (ids, oldest first) and their samples.</summary>
internal readonly record struct BatchBody(List<ulong> RecordIds, int Samples);

/// <summary>What one forwarding step did and how long to wait before the next.</summary>
public readonly record struct ForwardOutcome(ForwardResult Result, TimeSpan Delay, int Records = 0, int Samples = 0, long Sequence = 0, int Status = 0);

/// <summary>
/// Sends the queue to the NOC, one batch per step: gzip-compressed JSON <see cref="SampleBatch"/> over HTTP/2 (HTTP/1.1
/// when the server has no h2), a bearer token, the agent id and a sequence number that rises strictly across
/// restarts (<see cref="ForwardingState"/>). A failed batch is resent unchanged under the same number, so the NOC can
/// drop a copy. While a backlog is replayed (oldest first), batches of the newest records alternate with it, so live
/// data is never starved. Backoff with jitter on failures; 429 and 503 Retry-After honoured.
/// </summary>
public sealed partial class Forwarder : IDisposable
{
    /// <summary>A compressed body buffer larger than this is let go after its batch.</summary>
    private const int MaxKeptBodyBytes = 1 << 20;

    private static readonly Counter<long> s_batches = AgentMeter.Meter.CreateCounter<long>("edge_agent_forward_batches_total", description: "Batches sent to the NOC, by result.");
    private static readonly Counter<long> s_samples = AgentMeter.Meter.CreateCounter<long>("edge_agent_forward_samples_total", description: "Samples delivered to the NOC.");
    private static readonly Counter<long> s_rejected = AgentMeter.Meter.CreateCounter<long>("edge_agent_forward_rejected_samples_total", description: "Samples the NOC refused for good (4xx).");

    private readonly SegmentStore _queue;
    private readonly ForwardingOptions _options;
    private readonly string _agentId;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Random _random;
    private readonly ForwardingState _state;
    private readonly Uri _uri;
    private readonly NocRequests? _requests;
    private int _failures;
    private bool _lastWasFresh;
    private MemoryStream _body = new();

    public Forwarder(SegmentStore queue, string queueFolder, ForwardingOptions options, string agentId, HttpMessageHandler handler,
        TimeProvider time, ILogger logger, Random? random = null, NocRequests? requests = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _queue = queue;
        _options = options;
        _agentId = agentId;
        _http = new HttpClient(handler, disposeHandler: true)
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _time = time;
        _logger = logger;
        _random = random ?? Random.Shared;
        _uri = options.IngestUri;
        _requests = requests;
        _state = ForwardingState.Load(queueFolder, time);
        if (_state.Recovered)
        {
            LogStateRecovered(_logger, _state.NextSequence);
        }
    }

    /// <summary>The sequence number the next new batch gets.</summary>
    public long NextSequence => _state.NextSequence;

    /// <summary>The real handler: HTTP/2 over TLS (ALPN), a private CA when configured, bounded connection lifetime.</summary>
    public static SocketsHttpHandler CreateHandler(ForwardingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(Math.Min(10, options.TimeoutSeconds)),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90), // longer than a poll interval: closing and reopening between batches measured worse (docs/benchmarks.md)
            AutomaticDecompression = DecompressionMethods.None,
        };
        if (!string.IsNullOrEmpty(options.CaCertificateFile))
        {
            // The private CA is the only root: the handshake builds the chain against it alone (the system's trust store
            // is never loaded), and SslStream still checks the name. A wrong name is wrong whoever signed it.
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.ImportFromPemFile(options.CaCertificateFile);
            handler.SslOptions.CertificateChainPolicy = policy;
        }

        return handler;
    }

    /// <summary>One step: send the batch in flight, or the next one; acknowledge it in the queue when the NOC has it.</summary>
    public async Task<ForwardOutcome> ForwardOnceAsync(CancellationToken cancellationToken)
    {
        if (_state.InFlight is InFlightBatch stale && AllAcknowledged(stale))
        {
            _state.Complete();
        }

        InFlightBatch batch;
        if (_state.InFlight is InFlightBatch inFlight)
        {
            batch = inFlight;
        }
        else if (Choose() is (BatchKind kind, ulong from, ulong through))
        {
            batch = _state.Begin(kind, from, through);
        }
        else
        {
            return new ForwardOutcome(ForwardResult.Idle, TimeSpan.FromSeconds(_options.IdleSeconds));
        }

        BatchBody body = WriteBody(batch);
        if (body.RecordIds.Count == 0)
        {
            Acknowledge(batch); // everything in it was dropped by the bound meanwhile
            return new ForwardOutcome(ForwardResult.Delivered, TimeSpan.Zero, Sequence: batch.Sequence);
        }

        List<ulong> records = body.RecordIds;
        int samples = body.Samples;
        HttpStatusCode status;
        TimeSpan? retryAfter;
        string? detail = null;
        try
        {
            (status, retryAfter, detail) = await PostAsync(batch.Sequence, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            _failures++;
            TimeSpan delay = Backoff();
            LogSendFailed(_logger, batch.Sequence, records.Count, ex.Message, delay.TotalSeconds);
            s_batches.Add(1, AgentMeter.Tag("result", "error"));
            return new ForwardOutcome(ForwardResult.Retry, delay, records.Count, samples, batch.Sequence);
        }

        int code = (int)status;
        if (code is >= 200 and < 300 || status == HttpStatusCode.Conflict)
        {
            Acknowledge(batch);
            _failures = 0;
            s_batches.Add(1, AgentMeter.Tag("result", "delivered"));
            s_samples.Add(samples);
            bool more = _queue.LastId > _queue.Acks.Through && Choose(peek: true) is not null;
            return new ForwardOutcome(ForwardResult.Delivered, more ? TimeSpan.Zero : TimeSpan.FromSeconds(_options.IdleSeconds),
                records.Count, samples, batch.Sequence, code);
        }

        if (status == HttpStatusCode.RequestEntityTooLarge && records.Count > 1)
        {
            _state.Narrow(records[(records.Count / 2) - 1]);
            LogNarrowed(_logger, batch.Sequence, records.Count / 2);
            return new ForwardOutcome(ForwardResult.Retry, TimeSpan.Zero, records.Count, samples, batch.Sequence, code);
        }

        // 401/403 (token), 404/405 (URL, or a NOC without the ingest API yet): the agent's configuration or the NOC's
        // deployment is wrong, not the batch. Keep every sample and retry slowly until someone fixes it.
        bool misconfigured = code is 401 or 403 or 404 or 405;
        if (code is 408 or 429 or >= 500 || misconfigured)
        {
            _failures++;
            TimeSpan delay = retryAfter is TimeSpan asked && code is 429 or 503
                ? asked
                : misconfigured ? TimeSpan.FromSeconds(_options.MaxBackoffSeconds) : Backoff();
            if (misconfigured)
            {
                LogUnauthorized(_logger, code, _uri.ToString());
            }
            else
            {
                LogSendFailed(_logger, batch.Sequence, records.Count, $"HTTP {code}", delay.TotalSeconds);
            }

            s_batches.Add(1, AgentMeter.Tag("result", code.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            return new ForwardOutcome(ForwardResult.Retry, delay, records.Count, samples, batch.Sequence, code);
        }

        // Any other 4xx: this batch will never be accepted; keeping it would block every later sample.
        Acknowledge(batch);
        _failures = 0;
        s_batches.Add(1, AgentMeter.Tag("result", "rejected"));
        s_rejected.Add(samples);
        LogRejected(_logger, batch.Sequence, samples, code, detail ?? "");
        return new ForwardOutcome(ForwardResult.Rejected, TimeSpan.Zero, records.Count, samples, batch.Sequence, code);
    }

    public void Dispose()
    {
        _http.Dispose();
        _body.Dispose();
    }

    /// <summary>
    /// Writes the batch's <see cref="SampleBatch"/> JSON, gzip-compressed, into <see cref="_body"/> straight from the
    /// queue: each record's samples (and events) are copied as they are stored, never turned into objects, so a batch
    /// costs its compressed size in memory whatever the backlog. The records were written with the same JSON options as
    /// <see cref="IngestJsonContext"/> (the test <c>The_body_is_what_the_contract_serializer_writes</c> holds this).
    /// </summary>
    private BatchBody WriteBody(InFlightBatch batch)
    {
        AckState acks = _queue.Acks;
        var ids = new List<ulong>();
        int samples = 0;
        bool events = false;
        if (_body.Capacity > MaxKeptBodyBytes)
        {
            _body.Dispose();
            _body = new MemoryStream(); // one large batch does not keep a large buffer
        }

        _body.SetLength(0);
        using (var gzip = new GZipStream(_body, CompressionLevel.Fastest, leaveOpen: true))
        using (var json = new Utf8JsonWriter(gzip, new JsonWriterOptions { SkipValidation = true }))
        {
            json.WriteStartObject();
            json.WriteString("agentId", _agentId);
            json.WriteNumber("sequence", batch.Sequence);
            json.WriteString("sentAt", _time.GetUtcNow());
            json.WriteStartArray("samples");
            Scan(batch.FromId, batch.ThroughId, acks, (id, payload) =>
            {
                ids.Add(id);
                samples += ReportJson.CopyElements(payload, ReportJson.Samples, json);
                events |= ReportJson.Count(payload, ReportJson.Events) > 0;
                return true;
            });
            json.WriteEndArray();
            if (events)
            {
                json.WriteStartArray("events");
                Scan(batch.FromId, batch.ThroughId, acks, (_, payload) =>
                {
                    ReportJson.CopyElements(payload, ReportJson.Events, json);
                    return true;
                });
                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return new BatchBody(ids, samples);
    }

    /// <summary>The records from <paramref name="from"/> through <paramref name="through"/> the NOC does not have yet.</summary>
    private void Scan(ulong from, ulong through, AckState acks, QueueRecordVisitor visit) =>
        _queue.Scan(from == 0 ? 0 : from - 1, through, (id, payload) => acks.Contains(id) || visit(id, payload));

    private async Task<(HttpStatusCode Status, TimeSpan? RetryAfter, string? Detail)> PostAsync(long sequence, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(_body.GetBuffer(), 0, (int)_body.Length);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        content.Headers.ContentEncoding.Add("gzip");
        // HTTP/2 when TLS negotiates it (ALPN), HTTP/1.1 otherwise: the client's defaults apply only to its own helpers.
        using var request = new HttpRequestMessage(HttpMethod.Post, _uri)
        {
            Content = content,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.Token);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", $"{_agentId}:{sequence}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
        using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
        TimeSpan? retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: TimeSpan delta } => delta,
            { Date: DateTimeOffset date } => date - _time.GetUtcNow(),
            _ => null,
        };
        if (retryAfter is TimeSpan r)
        {
            retryAfter = r < TimeSpan.Zero ? TimeSpan.Zero : r > TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : r;
        }

        if (_requests is not null && response.IsSuccessStatusCode && response.Headers.TryGetValues(AgentRequests.Header, out IEnumerable<string>? asked))
        {
            foreach (string asking in asked.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            {
                _requests.Offer(asking);
            }
        }

        string? detail = null;
        if ((int)response.StatusCode is >= 400 and < 500)
        {
            string text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            detail = text.Length > 300 ? text[..300] : text;
        }

        return (response.StatusCode, retryAfter, detail);
    }

    /// <summary>
    /// The next batch: while the backlog is longer than two batches, batches of the newest records (the fresh range)
    /// alternate with batches of the oldest; otherwise everything in order.
    /// </summary>
    private (BatchKind Kind, ulong From, ulong Through)? Choose(bool peek = false)
    {
        AckState acks = _queue.Acks;
        ulong last = _queue.LastId;
        ulong backlogThrough = acks.HasFreshRange ? acks.FreshFrom - 1 : last;
        bool backlog = backlogThrough > acks.Through;
        bool fresh = acks.HasFreshRange
            ? last > acks.FreshThrough
            : backlogThrough - acks.Through > (ulong)_options.BatchMaxRecords * 2;
        if (!fresh && !backlog)
        {
            return null;
        }

        if (peek)
        {
            return (BatchKind.Backlog, 0, 0);
        }

        if (fresh && (!_lastWasFresh || !backlog))
        {
            ulong from = acks.HasFreshRange ? acks.FreshThrough + 1 : last; // a fresh range starts at the newest record
            if (LastThatFits(from, last, acks) is ulong newest)
            {
                return (BatchKind.Fresh, from, newest);
            }
        }

        return LastThatFits(acks.Through + 1, backlogThrough, acks) is ulong oldest ? (BatchKind.Backlog, acks.Through + 1, oldest) : null;
    }

    /// <summary>
    /// The id of the last record of a batch starting at <paramref name="from"/>: at most
    /// <see cref="ForwardingOptions.BatchMaxRecords"/> records whose samples fit <see cref="ForwardingOptions.BatchMaxSamples"/>
    /// (at least one record). Null when nothing from there is unacknowledged. Counts samples without reading them.
    /// </summary>
    private ulong? LastThatFits(ulong from, ulong through, AckState acks)
    {
        ulong? last = null;
        int records = 0;
        int samples = 0;
        Scan(from, through, acks, (id, payload) =>
        {
            samples += ReportJson.Count(payload, ReportJson.Samples);
            if (samples > _options.BatchMaxSamples && records > 0)
            {
                return false;
            }

            last = id;
            return ++records < _options.BatchMaxRecords;
        });
        return last;
    }

    private bool AllAcknowledged(InFlightBatch batch)
    {
        AckState acks = _queue.Acks;
        return batch.ThroughId <= acks.Through
            || (acks.HasFreshRange && batch.FromId >= acks.FreshFrom && batch.ThroughId <= acks.FreshThrough);
    }

    private void Acknowledge(InFlightBatch batch)
    {
        AckState acks = _queue.Acks;
        _queue.Acknowledge(batch.Kind == BatchKind.Backlog ? acks.WithBacklogThrough(batch.ThroughId) : acks.WithFreshThrough(batch.FromId, batch.ThroughId));
        _state.Complete();
        _lastWasFresh = batch.Kind == BatchKind.Fresh;
    }

    /// <summary>Exponential backoff with jitter: half the step fixed, half random, so agents cut off together do not return together.</summary>
    private TimeSpan Backoff()
    {
        double step = Math.Min(_options.MaxBackoffSeconds, _options.MinBackoffSeconds * Math.Pow(2, Math.Min(_failures - 1, 30)));
        return TimeSpan.FromSeconds((step / 2) + (_random.NextDouble() * step / 2));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "batch {Sequence} ({Records} records) not delivered: {Reason}; next try in {Seconds:0.0} s")]
    private static partial void LogSendFailed(ILogger logger, long sequence, int records, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "the NOC answered {Status} at {Url}: check Agent:Noc:Url and Agent:Noc:Token; the queue keeps every sample meanwhile")]
    private static partial void LogUnauthorized(ILogger logger, int status, string url);

    [LoggerMessage(Level = LogLevel.Error, Message = "the NOC refused batch {Sequence} ({Samples} samples) with {Status}: dropped. {Detail}")]
    private static partial void LogRejected(ILogger logger, long sequence, int samples, int status, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "batch {Sequence} too large for the NOC: resending its first {Records} records")]
    private static partial void LogNarrowed(ILogger logger, long sequence, int records);

    [LoggerMessage(Level = LogLevel.Warning, Message = "forwarding state file was damaged: sequence numbers continue from {Next}")]
    private static partial void LogStateRecovered(ILogger logger, long next);
}
