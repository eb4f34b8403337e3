using System.Net;
using Network.Radius.Crypto;
using Network.Radius.Packets;
using Network.Radius.Transport;

namespace Network.Radius.Server;

/// <summary>A request that passed every check (known client, authenticators, BlastRADIUS policy), for the handler.</summary>
public sealed record RadiusRequest(RadiusPacket Packet, RadiusClient Client, IPEndPoint From, RadiusPort Port)
{
    /// <summary>
    /// The client's secret this request was authenticated with: its current one, or during a change of secret the next
    /// one (<see cref="RadiusClient.NextSecret"/>). Hidden attributes are read and the reply is signed with it.
    /// </summary>
    public byte[] Secret { get; init; } = Client.Secret;

    /// <summary>
    /// What the handler's inline path (<see cref="IRadiusHandler.TryHandleInline"/>) learned of this request before it
    /// left it to a worker, for <see cref="IRadiusHandler.HandleAsync"/> to go on from instead of reading it again: the
    /// handler's own type. Null when the inline path did not see the request or kept nothing.
    /// </summary>
    public object? InlineState { get; set; }
}

/// <summary>Which listener a request came in on.</summary>
public enum RadiusPort
{
    Authentication,
    Accounting,
}

/// <summary>The policy: what to answer to a checked request. Null drops it (no answer, nothing cached).</summary>
public interface IRadiusHandler
{
    /// <summary>Runs on a worker: may block (a password hash, a database read).</summary>
    ValueTask<RadiusPacket?> HandleAsync(RadiusRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// The fast path, called on the receive loop before a request is queued for a worker: true when the handler takes the
    /// request here without blocking, with <paramref name="response"/> either complete (an answer from memory) or completing
    /// later on the handler's own thread (an accounting record waiting for its batch to commit). It must never block
    /// (no hash, no I/O): the receive loop waits for it. False sends the request to a worker and <see cref="HandleAsync"/>.
    /// </summary>
    bool TryHandleInline(RadiusRequest request, out ValueTask<RadiusPacket?> response)
    {
        response = default;
        return false;
    }
}

/// <summary>Limits and knobs of the server loop.</summary>
public sealed class RadiusServerOptions
{
    /// <summary>Requests waiting for a worker; beyond it new requests are dropped (the NAS retransmits).</summary>
    public int QueueCapacity { get; set; } = 8192;

    /// <summary>Workers evaluating the requests the handler cannot answer inline (password hashing happens here).</summary>
    public int Workers { get; set; } = Math.Max(2, Environment.ProcessorCount * 2);

    /// <summary>How long a reply is kept for retransmissions (RFC 5080 section 2.2.2).</summary>
    public TimeSpan DuplicateLifetime { get; set; } = TimeSpan.FromSeconds(30);

    public int DuplicateCapacity { get; set; } = 65_536;

    /// <summary>Proxy-State attributes allowed in one request; more is an attack or a loop (BlastRADIUS, RFC 2865 5.33).</summary>
    public int MaxProxyStates { get; set; } = 4;
}

/// <summary>
/// The RADIUS server loop (RFC 2865, RFC 2866): listeners for authentication and accounting, each on a transport of its
/// own (<see cref="IRadiusTransport"/>), silent discard of everything that fails a check (<see cref="RequestChecks"/>),
/// RFC 5080 duplicate detection (<see cref="DuplicateCache"/>), a bounded work queue (<see cref="WorkerPool{T}"/>), and
/// the BlastRADIUS (CVE-2024-3596) rules secure by default. Counters are published on the <c>Network.Radius</c> meter.
/// <para>
/// Each listener has a thread of its own that waits in its transport's receive call, checks the datagram, offers it to
/// the handler's inline path and, when answered there, sends the reply on the same thread: a returning user's login
/// costs no thread hand-off (and, batched, a share of two system calls). Only what may block (a full password hash, a
/// first read) goes through the bounded queue to the workers.
/// </para>
/// </summary>
public sealed class RadiusServer : IAsyncDisposable
{
    public const string MeterName = "Network.Radius";

    private readonly IRadiusHandler _handler;
    private readonly RadiusServerOptions _options;
    private readonly TimeProvider _time;
    private readonly RequestChecks _checks;
    private readonly DuplicateCache _duplicates;
    private readonly WorkerPool<WorkItem> _workers;
    private readonly DropCounter _drops = new();
    private readonly LogLimiter _unknownClientLog;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<IRadiusTransport> _transports = [];
    private readonly List<Thread> _receivers = [];
    private readonly Action<string> _log;
    private int _disposed;

    /// <param name="clients">The NAS clients allowed to ask.</param>
    /// <param name="handler">What to answer.</param>
    /// <param name="options">Limits; the defaults when null.</param>
    /// <param name="time">The clock of the duplicate cache, the latency and the log limits.</param>
    /// <param name="log">Where the server's few warnings go (never a secret).</param>
    public RadiusServer(RadiusClientTable clients, IRadiusHandler handler, RadiusServerOptions? options = null, TimeProvider? time = null, Action<string>? log = null)
    {
        _handler = handler;
        _options = options ?? new RadiusServerOptions();
        _time = time ?? TimeProvider.System;
        _log = log ?? (_ => { });
        _checks = new RequestChecks(clients, _options.MaxProxyStates);
        _duplicates = new DuplicateCache(_time, _options.DuplicateLifetime, _options.DuplicateCapacity);
        _workers = new WorkerPool<WorkItem>(_options.QueueCapacity, ProcessAsync);
        _unknownClientLog = new LogLimiter(_time, TimeSpan.FromMinutes(1));
    }

    /// <summary>Where each listener receives (after <see cref="Start"/>), for tests that bind port 0.</summary>
    public IReadOnlyList<(RadiusPort Port, IPEndPoint EndPoint)> EndPoints { get; private set; } = [];

    /// <summary>Datagrams discarded so far, by reason (<see cref="DropReasons"/>).</summary>
    public IReadOnlyDictionary<string, long> Dropped => _drops.Counts;

    /// <summary>Starts a receive thread on each transport, and the workers. The server owns the transports from here: it closes them when it stops.</summary>
    public void Start(IEnumerable<(RadiusPort Port, IRadiusTransport Transport)> listeners)
    {
        ArgumentNullException.ThrowIfNull(listeners);
        var bound = new List<(RadiusPort, IPEndPoint)>();
        foreach ((RadiusPort port, IRadiusTransport transport) in listeners)
        {
            _transports.Add(transport);
            bound.Add((port, transport.LocalEndPoint));
            RadiusDatagramHandler received = (datagram, from) => Accept(transport, port, from, datagram);
            _receivers.Add(new Thread(() => transport.Run(received))
            {
                IsBackground = true,
                Name = $"radius-{port.ToString().ToLowerInvariant()}-{transport.LocalEndPoint.Port}",
            });
        }

        foreach (Thread receiver in _receivers)
        {
            receiver.Start();
        }

        EndPoints = bound;
        _workers.Start(_options.Workers);
    }

    /// <summary>Stops taking datagrams, lets the workers finish what is queued, closes the transports.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return; // a second stop (a host's StopAsync, then its DisposeAsync)
        }

        _workers.Complete();
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (IRadiusTransport transport in _transports)
        {
            transport.Close();
        }

        try
        {
            await _workers.Finished.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            foreach (Thread receiver in _receivers)
            {
                receiver.Join(TimeSpan.FromSeconds(5));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or ObjectDisposedException)
        {
            // shutting down
        }

        foreach (IRadiusTransport transport in _transports)
        {
            transport.Dispose();
        }

        _stop.Dispose();
    }

    /// <summary>On the receive thread: the checks, the duplicate rule, then the handler's inline path or the queue.</summary>
    private void Accept(IRadiusTransport transport, RadiusPort port, RadiusPeer from, ReadOnlySpan<byte> datagram)
    {
        long started = _time.GetTimestamp();
        if (!_checks.Pass(datagram, from.EndPoint, port, out RadiusClient? client, out RadiusPacket? packet, out byte[]? secret, out string? reason))
        {
            _drops.Add(reason);
            if (reason == DropReasons.UnknownClient && _unknownClientLog.TryEnter())
            {
                _log($"RADIUS datagram from unknown client {from.EndPoint.Address} discarded (more are counted in radius_dropped, reason unknown_client)");
            }

            return;
        }

        switch (_duplicates.Check(from.EndPoint, packet.Identifier, packet.Authenticator.Span, out byte[]? cached))
        {
            case DuplicateVerdict.Resend:
                _drops.Add(DropReasons.DuplicateResent);
                transport.Send(cached!, from);
                return;
            case DuplicateVerdict.InProgress:
                _drops.Add(DropReasons.DuplicateInProgress);
                return;
            default:
                break;
        }

        var item = new WorkItem(new RadiusRequest(packet, client, from.EndPoint, port) { Secret = secret }, transport, from, started);
        if (TryInline(item))
        {
            return;
        }

        if (!_workers.TryQueue(item))
        {
            _duplicates.Complete(from.EndPoint, packet.Identifier, packet.Authenticator.Span, null);
            _drops.Add(DropReasons.QueueFull);
        }
    }

    /// <summary>The handler's fast path: answered (or taken) on the receive thread, or false for a worker.</summary>
    private bool TryInline(WorkItem item)
    {
        ValueTask<RadiusPacket?> response;
        try
        {
            if (!_handler.TryHandleInline(item.Request, out response))
            {
                return false;
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Failed(item, ex);
            return true;
        }

        if (!response.IsCompleted)
        {
            _ = CompleteLaterAsync(item, response);
            return true;
        }

        RadiusPacket? answer;
        try
        {
            answer = response.Result;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Failed(item, ex);
            return true;
        }

        Complete(item, answer);
        return true;
    }

    private async Task CompleteLaterAsync(WorkItem item, ValueTask<RadiusPacket?> response)
    {
        RadiusPacket? answer;
        try
        {
            answer = await response.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Failed(item, ex);
            return;
        }

        Complete(item, answer);
    }

    private async Task ProcessAsync(WorkItem item)
    {
        RadiusPacket? answer;
        try
        {
            answer = await _handler.HandleAsync(item.Request, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Failed(item, ex);
            return;
        }

        Complete(item, answer);
    }

    /// <summary>Signs and sends the handler's answer (or counts a discard) and keeps it for retransmissions.</summary>
    private void Complete(WorkItem item, RadiusPacket? response)
    {
        RadiusRequest request = item.Request;
        RadiusPacket packet = request.Packet;
        byte[]? reply = null;
        try
        {
            if (response is not null)
            {
                // Replies to Access-Request and Status-Server carry Message-Authenticator first (BlastRADIUS). Every reply
                // carries the request's Proxy-States (RFC 2865 section 5.33); retransmissions get these same bytes.
                bool addMa = packet.Code is RadiusCode.AccessRequest or RadiusCode.StatusServer;
                reply = PacketSigner.EncodeResponse(response, packet, request.Secret, addMa);
                item.Transport.Send(reply, item.From);
                RadiusMetrics.Requests.Add(1, new KeyValuePair<string, object?>("code", response.Code.ToString()), new KeyValuePair<string, object?>("client", request.Client.Name));
                RadiusMetrics.Latency.Record(_time.GetElapsedTime(item.Received).TotalSeconds);
            }
            else
            {
                _drops.Add(DropReasons.HandlerDiscarded);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Failed(item, ex);
            return;
        }

        _duplicates.Complete(request.From, packet.Identifier, packet.Authenticator.Span, reply);
    }

    private void Failed(WorkItem item, Exception ex)
    {
        RadiusRequest request = item.Request;
        _drops.Add(DropReasons.HandlerFailed);
        _log($"RADIUS request {request.Packet.Code} id {request.Packet.Identifier} from {request.Client.Name} failed: {ex.GetType().Name}: {ex.Message}");
        _duplicates.Complete(request.From, request.Packet.Identifier, request.Packet.Authenticator.Span, null);
    }

    private readonly record struct WorkItem(RadiusRequest Request, IRadiusTransport Transport, RadiusPeer From, long Received);
}
