using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Network.Radius.Codec;
using Network.Radius.Crypto;
using Network.Radius.Packets;

namespace Network.Radius.Server;

/// <summary>A request that passed every check (known client, authenticators, BlastRADIUS policy), for the handler.</summary>
public sealed record RadiusRequest(RadiusPacket Packet, RadiusClient Client, IPEndPoint From, RadiusPort Port);

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

    /// <summary>
    /// On Linux, receive with <c>recvmmsg</c> and answer with <c>sendmmsg</c> (many datagrams a system call); false, or
    /// another system, or a call the system refuses: <c>recvfrom</c> and <c>sendto</c>, one datagram each.
    /// </summary>
    public bool BatchSystemCalls { get; set; } = true;
}

/// <summary>
/// The RADIUS server loop (RFC 2865, RFC 2866): UDP listeners for authentication and accounting, NAS clients by address,
/// silent discard of everything that fails a check (RFC 2865 section 3), RFC 5080 duplicate detection, a bounded work
/// queue, and the BlastRADIUS (CVE-2024-3596) rules secure by default. Counters are published on the
/// <c>Network.Radius</c> meter.
/// <para>
/// Each listener has a thread of its own that blocks in <c>recvfrom</c>, checks the datagram, offers it to the handler's
/// inline path and, when answered there, sends the reply with <c>sendto</c> on the same thread: a returning user's
/// login costs two system calls and no thread hand-off. Only what may block (a full password hash, a first read) goes
/// through the bounded queue to the workers.
/// </para>
/// </summary>
public sealed class RadiusServer : IAsyncDisposable
{
    public const string MeterName = "Network.Radius";

    private static readonly Meter s_meter = new(MeterName);
    private static readonly Counter<long> s_requests = s_meter.CreateCounter<long>("radius_requests", description: "RADIUS requests answered, by code and client");
    private static readonly Counter<long> s_drops = s_meter.CreateCounter<long>("radius_dropped", description: "RADIUS datagrams discarded, by reason");
    private static readonly Histogram<double> s_latency = s_meter.CreateHistogram<double>("radius_request_duration", "s", "Time from receipt to reply");

    private readonly RadiusClientTable _clients;
    private readonly IRadiusHandler _handler;
    private readonly RadiusServerOptions _options;
    private readonly TimeProvider _time;
    private readonly DuplicateCache _duplicates;
    private readonly Channel<WorkItem> _queue;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private readonly List<Task> _loops = [];
    private readonly List<Thread> _receivers = [];
    private readonly Action<string> _log;
    private long _lastUnknownLog;
    private int _disposed;

    public RadiusServer(RadiusClientTable clients, IRadiusHandler handler, RadiusServerOptions? options = null, TimeProvider? time = null, Action<string>? log = null)
    {
        _clients = clients;
        _handler = handler;
        _options = options ?? new RadiusServerOptions();
        _time = time ?? TimeProvider.System;
        _log = log ?? (_ => { });
        _duplicates = new DuplicateCache(_time, _options.DuplicateLifetime, _options.DuplicateCapacity);
        _queue = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = false,
            SingleWriter = false,
        });
    }

    /// <summary>Where each listener is bound (after <see cref="Start"/>), for tests that bind port 0.</summary>
    public IReadOnlyList<(RadiusPort Port, IPEndPoint EndPoint)> EndPoints { get; private set; } = [];

    /// <summary>Datagrams discarded so far, by reason.</summary>
    public IReadOnlyDictionary<string, long> Dropped => _dropped;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _dropped = new();

    /// <summary>Binds the listeners and starts the receive loops and workers.</summary>
    public void Start(IEnumerable<(RadiusPort Port, IPEndPoint EndPoint)> listeners)
    {
        var bound = new List<(RadiusPort, IPEndPoint)>();
        foreach ((RadiusPort port, IPEndPoint endPoint) in listeners)
        {
            var socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.ReceiveBufferSize = 4 * 1024 * 1024;
            socket.Bind(endPoint);
            _sockets.Add(socket);
            bound.Add((port, (IPEndPoint)socket.LocalEndPoint!));
            var receiver = new Thread(() => ReceiveLoop(socket, port))
            {
                IsBackground = true,
                Name = $"radius-{port.ToString().ToLowerInvariant()}-{bound[^1].Item2.Port}",
            };
            _receivers.Add(receiver);
        }

        foreach (Thread receiver in _receivers)
        {
            receiver.Start();
        }

        EndPoints = bound;
        for (int i = 0; i < _options.Workers; i++)
        {
            _loops.Add(Task.Run(WorkerAsync));
        }
    }

    /// <summary>Stops taking datagrams, lets the workers finish what is queued, closes the sockets.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return; // a second stop (a host's StopAsync, then its DisposeAsync)
        }

        _queue.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (Socket socket in _sockets)
        {
            try
            {
                // Wakes a receive thread out of recvfrom or recvmmsg (Linux does it even for an unconnected UDP socket,
                // though it answers ENOTCONN).
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // expected for UDP; disposed: a second DisposeAsync
            }

            socket.Dispose();
        }

        try
        {
            await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            foreach (Thread receiver in _receivers)
            {
                receiver.Join(TimeSpan.FromSeconds(5));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException or ObjectDisposedException or SocketException)
        {
            // shutting down
        }

        _stop.Dispose();
    }

    /// <summary>Batched receive calls (<c>recvmmsg</c>) so far, and how many of them brought more than one datagram.</summary>
    internal (long Calls, long Multiple) BatchedReceives => (Interlocked.Read(ref _batchCalls), Interlocked.Read(ref _batchMultiple));

    private long _batchCalls;
    private long _batchMultiple;

    // The receive thread's batch: replies made on it are queued here and leave in one sendmmsg after the datagrams of a call.
    [ThreadStatic]
    private static DatagramBatch? t_batch;

    private void ReceiveLoop(Socket socket, RadiusPort port)
    {
        if (_options.BatchSystemCalls && DatagramBatch.IsSupported && BatchedReceiveLoop(socket, port))
        {
            return;
        }

        byte[] buffer = GC.AllocateUninitializedArray<byte>(RadiusDecodeLimits.MaxPacketLength + 1);
        var address = new SocketAddress(socket.AddressFamily);
        var template = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        SocketAddress? lastAddress = null;
        IPEndPoint? lastFrom = null;
        while (!_stop.IsCancellationRequested)
        {
            int received;
            try
            {
                received = socket.ReceiveFrom(buffer, SocketFlags.None, address);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // ICMP errors from earlier replies: not fatal
            }

            // A gateway sends from one address and port: keep its endpoint instead of building one a datagram.
            if (lastAddress is null || !lastAddress.Equals(address))
            {
                lastFrom = (IPEndPoint)template.Create(address);
                lastAddress = new SocketAddress(address.Family, address.Size);
                address.Buffer.Span.CopyTo(lastAddress.Buffer.Span);
            }

            Accept(socket, port, lastFrom!, lastAddress, buffer.AsSpan(0, received));
        }
    }

    /// <summary>
    /// The receive loop with <c>recvmmsg</c>/<c>sendmmsg</c>: the same checks a datagram, each with its own source
    /// address. False when the system refuses the calls before any datagram came (the caller then uses <c>recvfrom</c>).
    /// </summary>
    private bool BatchedReceiveLoop(Socket socket, RadiusPort port)
    {
        const int ConnectionRefused = 111; // ECONNREFUSED: an ICMP error for an earlier reply, as recvfrom reports it too
        using var batch = new DatagramBatch(socket);
        var template = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        SocketAddress? lastAddress = null;
        IPEndPoint? lastFrom = null;
        bool receivedAny = false;
        t_batch = batch;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                int count = batch.Receive(out int error);
                if (_stop.IsCancellationRequested)
                {
                    return true;
                }

                if (count < 0)
                {
                    if (error == ConnectionRefused)
                    {
                        continue;
                    }

                    return receivedAny && error == 0; // closed; any other refusal: recvfrom from here on
                }

                receivedAny = true;
                Interlocked.Increment(ref _batchCalls);
                if (count > 1)
                {
                    Interlocked.Increment(ref _batchMultiple);
                }

                for (int i = 0; i < count; i++)
                {
                    // A gateway sends from one address and port: keep its endpoint instead of building one a datagram.
                    ReadOnlySpan<byte> source = batch.Source(i);
                    if (lastAddress is null || lastAddress.Size != source.Length || !lastAddress.Buffer.Span[..source.Length].SequenceEqual(source))
                    {
                        var address = new SocketAddress(socket.AddressFamily, source.Length);
                        source.CopyTo(address.Buffer.Span);
                        lastFrom = (IPEndPoint)template.Create(address);
                        lastAddress = address;
                    }

                    Accept(socket, port, lastFrom!, lastAddress, batch.Datagram(i));
                }

                batch.Flush();
            }

            return true;
        }
        finally
        {
            batch.Flush();
            t_batch = null;
        }
    }

    /// <summary>Every check that needs no worker: runs on the receive loop, so junk never takes a queue slot.</summary>
    private void Accept(Socket socket, RadiusPort port, IPEndPoint from, SocketAddress fromAddress, ReadOnlySpan<byte> datagram)
    {
        long started = _time.GetTimestamp();
        RadiusClient? client = _clients.Find(from.Address);
        if (client is null)
        {
            Drop("unknown_client");
            LogUnknownClient(from);
            return;
        }

        RadiusPacket packet;
        try
        {
            packet = RadiusCodec.Decode(datagram);
        }
        catch (RadiusDecodeException)
        {
            Drop("malformed");
            return;
        }

        if (!Expected(packet.Code, port))
        {
            Drop("unexpected_code");
            return;
        }

        ReadOnlySpan<byte> raw = packet.Raw.Span;
        if (!Authentic(packet, raw, client))
        {
            return;
        }

        switch (_duplicates.Check(from, packet.Identifier, packet.Authenticator.Span, out byte[]? cached))
        {
            case DuplicateVerdict.Resend:
                Drop("duplicate_resent");
                Send(socket, cached!, fromAddress);
                return;
            case DuplicateVerdict.InProgress:
                Drop("duplicate_in_progress");
                return;
            default:
                break;
        }

        var item = new WorkItem(new RadiusRequest(packet, client, from, port), socket, fromAddress, started);
        if (TryInline(item))
        {
            return;
        }

        if (!_queue.Writer.TryWrite(item))
        {
            _duplicates.Complete(from, packet.Identifier, packet.Authenticator.Span, null);
            Drop("queue_full");
        }
    }

    /// <summary>RFC 2865 section 3 (discard what fails), RFC 2866 section 3, RFC 3579 section 3.2, RFC 5997, BlastRADIUS.</summary>
    private bool Authentic(RadiusPacket packet, ReadOnlySpan<byte> raw, RadiusClient client)
    {
        bool request = packet.Code is RadiusCode.AccessRequest or RadiusCode.StatusServer;
        MessageAuthenticatorStatus ma = MessageAuthenticator.Verify(raw, client.Secret);
        if (ma == MessageAuthenticatorStatus.Invalid)
        {
            Drop("bad_message_authenticator");
            return false;
        }

        if (packet.Code == RadiusCode.AccountingRequest && !RequestAuthenticator.Verify(raw, client.Secret))
        {
            Drop("bad_authenticator");
            return false;
        }

        if (ma == MessageAuthenticatorStatus.Valid && request)
        {
            client.NoteMessageAuthenticator();
        }

        if (ma == MessageAuthenticatorStatus.Missing && request)
        {
            if (packet.Code == RadiusCode.StatusServer || client.MustSendMessageAuthenticator)
            {
                Drop("missing_message_authenticator");
                return false;
            }

            // FreeRADIUS's limit_proxy_state: a Proxy-State without Message-Authenticator is how BlastRADIUS hides its collision.
            if (packet.CountAttributes(PacketSigner.ProxyStateType) > 0)
            {
                Drop("proxy_state_without_message_authenticator");
                return false;
            }
        }

        if (packet.CountAttributes(PacketSigner.ProxyStateType) > _options.MaxProxyStates)
        {
            Drop("too_many_proxy_states");
            return false;
        }

        return true;
    }

    private static bool Expected(RadiusCode code, RadiusPort port) => port switch
    {
        RadiusPort.Authentication => code is RadiusCode.AccessRequest or RadiusCode.StatusServer,
        _ => code is RadiusCode.AccountingRequest or RadiusCode.StatusServer,
    };

    private async Task WorkerAsync()
    {
        ChannelReader<WorkItem> reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out WorkItem item))
            {
                await ProcessAsync(item).ConfigureAwait(false);
            }
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
                reply = PacketSigner.EncodeResponse(response, packet, request.Client.Secret, addMa);
                Send(item.Socket, reply, item.FromAddress);
                s_requests.Add(1, new KeyValuePair<string, object?>("code", response.Code.ToString()), new KeyValuePair<string, object?>("client", request.Client.Name));
                s_latency.Record(_time.GetElapsedTime(item.Received).TotalSeconds);
            }
            else
            {
                Drop("handler_discarded");
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
        Drop("handler_failed");
        _log($"RADIUS request {request.Packet.Code} id {request.Packet.Identifier} from {request.Client.Name} failed: {ex.GetType().Name}: {ex.Message}");
        _duplicates.Complete(request.From, request.Packet.Identifier, request.Packet.Authenticator.Span, null);
    }

    // UDP sendto on a blocking socket returns at once (the datagram is copied to the socket buffer); any thread may call it.
    // On a receive thread with a batch, the reply waits for the batch's sendmmsg instead.
    private static void Send(Socket socket, byte[] datagram, SocketAddress to)
    {
        if (t_batch is { } batch && ReferenceEquals(batch.Socket, socket))
        {
            batch.Queue(datagram, to);
            return;
        }

        try
        {
            socket.SendTo(datagram, SocketFlags.None, to);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The NAS retransmits; a closed socket means we are shutting down.
        }
    }

    private void Drop(string reason)
    {
        _dropped.AddOrUpdate(reason, 1, (_, n) => n + 1);
        s_drops.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }

    private void LogUnknownClient(IPEndPoint from)
    {
        // One line a minute at most: a flood from an unknown address must not become a flood of logs.
        long now = _time.GetTimestamp();
        long last = Interlocked.Read(ref _lastUnknownLog);
        if ((last == 0 || _time.GetElapsedTime(last, now) >= TimeSpan.FromMinutes(1)) && Interlocked.CompareExchange(ref _lastUnknownLog, now, last) == last)
        {
            _log($"RADIUS datagram from unknown client {from.Address} discarded (more are counted in radius_dropped, reason unknown_client)");
        }
    }

    private readonly record struct WorkItem(RadiusRequest Request, Socket Socket, SocketAddress FromAddress, long Received);
}
