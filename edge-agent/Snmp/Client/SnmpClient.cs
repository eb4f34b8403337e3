using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Network.Snmp.Pdus;
using Network.Snmp.Transport;

namespace Network.Snmp.Client;

/// <summary>
/// The SNMP manager: Get, GetNext, GetBulk, Set, walks and bulk walks, v1, v2c and v3 (USM), over one transport.
/// Any number of requests may be in flight at once over the one socket; each has its own timeout and retries,
/// so a slow or dead device never delays the others. Replies are matched by request-id (v1, v2c) or msgID (v3)
/// and by the address they came from; anything else is dropped.
/// </summary>
/// <remarks>
/// A manager made by <see cref="CreateBlocking"/> is the same manager with another way of waiting: no receive loop;
/// the caller's thread sends and then blocks on the socket until the reply (or the timeout), so a reply reaches the
/// waiting request with no thread-pool hop in between. It runs one request at a time (a command-line tool's walk);
/// every rule of matching, retries, walks and USM is the code the concurrent manager runs.
/// </remarks>
public sealed partial class SnmpClient : IAsyncDisposable
{
    private readonly ISnmpTransport _transport;
    private readonly ISnmpBlockingTransport? _blocking;
    private readonly byte[] _blockingBuffer = [];
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<int, PendingRequest> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiveLoop;
    private int _blockingBusy;

    // The first request-id is unpredictable to someone who has not seen our traffic. Random.Shared is seeded from the
    // system's random source; RandomNumberGenerator would load OpenSSL (about 10 ms) before the first v1/v2c packet.
    private int _nextId = Random.Shared.Next(1, int.MaxValue / 2);

    public SnmpClient(ISnmpTransport transport, TimeProvider? time = null)
        : this(transport, time, blocking: null)
    {
    }

    private SnmpClient(ISnmpTransport transport, TimeProvider? time, ISnmpBlockingTransport? blocking)
    {
        _transport = transport;
        _time = time ?? TimeProvider.System;
        _usm = new UsmEngineCache();
        _blocking = blocking;
        if (blocking is null)
        {
            _receiveLoop = Task.Run(ReceiveLoopAsync);
        }
        else
        {
            _blockingBuffer = NewReceiveBuffer();
            _receiveLoop = Task.CompletedTask;
        }
    }

    /// <summary>A manager on its own UDP socket (IPv4, a port the system picks).</summary>
    public static SnmpClient CreateUdp() => new(UdpSnmpTransport.ForManager());

    /// <summary>
    /// A manager that waits for each reply on the caller's thread, one request at a time (see the remarks of
    /// <see cref="SnmpClient"/>); a second request while one is waiting throws <see cref="InvalidOperationException"/>.
    /// Cancellation is observed before each attempt, so it takes effect within one timeout.
    /// </summary>
    public static SnmpClient CreateBlocking(ISnmpBlockingTransport transport) =>
        new(transport ?? throw new ArgumentNullException(nameof(transport)), TimeProvider.System, transport);

    /// <summary>
    /// A blocking manager (<see cref="CreateBlocking"/>) on its own UDP socket: a command-line tool's. On Linux the
    /// socket is driven with the system's calls directly (<see cref="LinuxUdpTransport"/>: no socket engine and its
    /// thread to start for one request at a time), elsewhere through <see cref="UdpSnmpTransport"/>.
    /// </summary>
    public static SnmpClient CreateBlockingUdp() =>
        CreateBlocking(LinuxUdpTransport.IsSupported ? new LinuxUdpTransport() : UdpSnmpTransport.ForManager());

    /// <summary>Datagrams received that matched no request in flight (late, duplicated or spoofed replies).</summary>
    public long UnmatchedReplies => Interlocked.Read(ref _unmatchedReplies);

    private long _unmatchedReplies;

    public async Task<IReadOnlyList<VarBind>> GetAsync(SnmpTarget target, IReadOnlyList<Oid> oids, CancellationToken cancellationToken = default)
    {
        Pdu response = await RequestAsync(target, SnmpType.GetRequestPdu, Requests(oids), 0, 0, cancellationToken).ConfigureAwait(false);
        return ThrowOnError(response);
    }

    /// <summary>
    /// Sends one request and returns the agent's Response PDU as it is (error-status included), after retries.
    /// </summary>
    public async Task<Pdu> RequestAsync(
        SnmpTarget target, SnmpType type, IReadOnlyList<VarBind> bindings, int nonRepeaters, int maxRepetitions, CancellationToken cancellationToken)
    {
        Pdu response = await RequestAsync(target, type, bindings, nonRepeaters, maxRepetitions, target.Retries, cancellationToken).ConfigureAwait(false);
        _ = response.VarBinds; // decoded now: a blocking manager's reply lies in its receive buffer, which the next request reuses
        return response;
    }

    /// <summary>
    /// One request, after retries. A blocking manager's reply still lies in its receive buffer: read its bindings
    /// before the next request (the walks and <see cref="ThrowOnError"/> do).
    /// </summary>
    private Task<Pdu> RequestAsync(
        SnmpTarget target, SnmpType type, IReadOnlyList<VarBind> bindings, int nonRepeaters, int maxRepetitions, int retries, CancellationToken cancellationToken) =>
        target.Version == SnmpVersion.V3
            ? RequestV3Async(target, type, bindings, nonRepeaters, maxRepetitions, retries, cancellationToken)
            : RequestCommunityAsync(target, type, bindings, nonRepeaters, maxRepetitions, retries, cancellationToken);

    private async Task<Pdu> RequestCommunityAsync(
        SnmpTarget target, SnmpType type, IReadOnlyList<VarBind> bindings, int nonRepeaters, int maxRepetitions, int retries, CancellationToken cancellationToken)
    {
        var pending = new PendingRequest(target.EndPoint, expectV3: false);
        try
        {
            for (int attempt = 0; attempt <= retries; attempt++)
            {
                int id = Register(pending);
                var pdu = new Pdu(type, id, (ErrorStatus)nonRepeaters, maxRepetitions, bindings);
                byte[] datagram = SnmpMessageCodec.Encode(new CommunityMessage(target.Version, target.Community, pdu));
                if (await ExchangeAsync(pending, datagram, target, cancellationToken).ConfigureAwait(false) is { } reply)
                {
                    return ((CommunityMessage)reply.Message).Pdu as Pdu
                        ?? throw new SnmpClientException($"{target.EndPoint} answered with a v1 Trap-PDU");
                }
            }
        }
        finally
        {
            Unregister(pending);
        }

        throw new SnmpTimeoutException($"Timeout: No Response from {target.EndPoint}");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _transport.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _receiveLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        foreach (PendingRequest pending in _pending.Values)
        {
            pending.Cancel();
        }

        _stop.Dispose();
    }

    private static List<VarBind> Requests(IReadOnlyList<Oid> oids)
    {
        var list = new List<VarBind>(oids.Count);
        foreach (Oid oid in oids)
        {
            list.Add(VarBind.Request(oid));
        }

        return list;
    }

    private static IReadOnlyList<VarBind> ThrowOnError(Pdu response)
    {
        ThrowIfError(response);
        return response.VarBinds;
    }

    private static void ThrowIfError(Pdu response)
    {
        if (response.ErrorStatus != ErrorStatus.NoError)
        {
            throw ErrorOf(response);
        }
    }

    /// <summary>A reply's error-status, error-index and the binding the index names (none when it names none).</summary>
    private static SnmpErrorStatusException ErrorOf(Pdu response)
    {
        int index = response.ErrorIndex;
        Oid? failed = index >= 1 && index <= response.VarBinds.Count ? response.VarBinds[index - 1].Oid : null;
        return new SnmpErrorStatusException(response.ErrorStatus, index, failed);
    }

    private int Register(PendingRequest pending)
    {
        while (true)
        {
            // request-id and msgID share one space so one dictionary matches both; kept positive (net-snmp does too).
            int id = Interlocked.Increment(ref _nextId) & int.MaxValue;
            if (id != 0 && _pending.TryAdd(id, pending))
            {
                pending.Ids.Add(id);
                return id;
            }
        }
    }

    private void Unregister(PendingRequest pending)
    {
        foreach (int id in pending.Ids)
        {
            _pending.TryRemove(id, out _);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        byte[] buffer = NewReceiveBuffer();
        CancellationToken stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            ReceivedDatagram datagram;
            try
            {
                datagram = await _transport.ReceiveAsync(buffer, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            // A copy: the request this reply completes reads it on another thread, while this loop reuses the buffer.
            Dispatch(buffer.AsSpan(0, datagram.Length).ToArray(), datagram.Remote);
        }
    }

    /// <summary>
    /// Decodes a datagram and hands it to the request it answers. The message refers to <paramref name="bytes"/>
    /// (its bindings are checked but stay encoded), so they must stay as they are while the request reads them.
    /// </summary>
    private void Dispatch(ReadOnlyMemory<byte> bytes, EndPoint remote)
    {
        SnmpMessage message;
        try
        {
            message = SnmpMessageCodec.Decode(bytes);
        }
        catch (SnmpDecodeException)
        {
            return; // not an SNMP message: no request can be waiting for it
        }

        int id = message switch
        {
            CommunityMessage { Pdu: Pdu { Type: SnmpType.ResponsePdu } pdu } => pdu.RequestId,
            SnmpV3Message v3 => v3.MessageId,
            _ => 0,
        };

        if (id == 0 || !_pending.TryGetValue(id, out PendingRequest? pending) || !pending.Matches(remote, message))
        {
            Interlocked.Increment(ref _unmatchedReplies);
            return;
        }

        // v3 replies are checked against their raw bytes (the digest covers the whole message).
        pending.Complete(new Reply(message, bytes));
    }

    /// <summary>Sends one attempt and waits for its reply; null when <see cref="SnmpTarget.Timeout"/> passed first.</summary>
    private ValueTask<Reply?> ExchangeAsync(PendingRequest pending, byte[] datagram, SnmpTarget target, CancellationToken cancellationToken) =>
        _blocking is { } blocking
            ? ValueTask.FromResult(ExchangeBlocking(blocking, pending, datagram, target, cancellationToken))
            : SendAndWaitAsync(pending, datagram, target, cancellationToken);

    private async ValueTask<Reply?> SendAndWaitAsync(PendingRequest pending, byte[] datagram, SnmpTarget target, CancellationToken cancellationToken)
    {
        await _transport.SendAsync(datagram, target.EndPoint, cancellationToken).ConfigureAwait(false);
        return await pending.WaitAsync(target.Timeout, _time, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The blocking manager's wait: this thread reads the socket itself and runs every datagram through
    /// <see cref="Dispatch"/>, as the receive loop would, until this request's reply is there or the time is up.
    /// </summary>
    private Reply? ExchangeBlocking(ISnmpBlockingTransport blocking, PendingRequest pending, byte[] datagram, SnmpTarget target, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
        if (Interlocked.Exchange(ref _blockingBusy, 1) != 0)
        {
            throw new InvalidOperationException("a blocking SnmpClient runs one request at a time; use SnmpClient.CreateUdp() for many in flight");
        }

        try
        {
            blocking.Send(datagram, target.EndPoint);
            long start = Stopwatch.GetTimestamp();
            while (true)
            {
                TimeSpan left = target.Timeout - Stopwatch.GetElapsedTime(start);
                if (left <= TimeSpan.Zero || !blocking.TryReceive(_blockingBuffer, left, out ReceivedDatagram received))
                {
                    return null;
                }

                // In place: the reply is read on this thread before the next request reuses the buffer.
                Dispatch(_blockingBuffer.AsMemory(0, received.Length), received.Remote);
                if (pending.TryTake(out Reply? reply))
                {
                    return reply;
                }
            }
        }
        finally
        {
            Volatile.Write(ref _blockingBusy, 0);
        }
    }

    /// <summary>
    /// Room for the largest datagram, not zeroed: only the bytes a datagram fills are ever read, and the pages that
    /// no reply reaches (most of the 64 KB) are then never touched, so they cost no page fault and no resident memory.
    /// Pinned: on the pinned-object heap a compacting collection never copies it (a copy would touch every page).
    /// </summary>
    private static byte[] NewReceiveBuffer() => GC.AllocateUninitializedArray<byte>(UdpSnmpTransport.MaxDatagramSize, pinned: true);

    private sealed record Reply(SnmpMessage Message, ReadOnlyMemory<byte> Raw);

    /// <summary>One request in flight, under every request-id its attempts used, so a late reply to any attempt counts.</summary>
    private sealed class PendingRequest(IPEndPoint remote, bool expectV3)
    {
        private TaskCompletionSource<Reply> _reply = NewSource();

        public List<int> Ids { get; } = new(2);

        public bool Matches(EndPoint from, SnmpMessage message) =>
            from is IPEndPoint ip && ip.Port == remote.Port && Same(ip.Address, remote.Address) && (message is SnmpV3Message) == expectV3;

        public void Complete(Reply reply) => _reply.TrySetResult(reply);

        public void Cancel() => _reply.TrySetCanceled();

        /// <summary>The blocking manager's check after each datagram: the reply, if it came; a taken reply is consumed.</summary>
        public bool TryTake([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Reply? reply)
        {
            if (!_reply.Task.IsCompletedSuccessfully)
            {
                reply = null;
                return false;
            }

            reply = _reply.Task.Result;
            _reply = NewSource();
            return true;
        }

        /// <summary>The reply, or null when <paramref name="timeout"/> passed first. A used reply is consumed.</summary>
        public async Task<Reply?> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
        {
            try
            {
                Reply reply = await _reply.Task.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
                _reply = NewSource();
                return reply;
            }
            catch (TimeoutException)
            {
                return null;
            }
        }

        private static TaskCompletionSource<Reply> NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);

        private static bool Same(IPAddress a, IPAddress b) =>
            a.Equals(b) || (a.IsIPv4MappedToIPv6 && a.MapToIPv4().Equals(b)) || (b.IsIPv4MappedToIPv6 && b.MapToIPv4().Equals(a));
    }
}
