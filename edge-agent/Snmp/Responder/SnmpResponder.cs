using Network.Snmp.Pdus;
using Network.Snmp.Transport;

namespace Network.Snmp.Responder;

/// <summary>What a responder serves and to whom: a view per v1/v2c community, a view per SNMPv3 user.</summary>
public sealed class SnmpResponderOptions
{
    /// <summary>Views by community (v1 and v2c, read-only).</summary>
    public Dictionary<string, IMibView> Communities { get; } = new(StringComparer.Ordinal);

    /// <summary>SNMPv3 users and the view each may read.</summary>
    public List<(UsmUser User, IMibView View)> Users { get; } = [];

    /// <summary>snmpEngineID of this agent (RFC 3411 section 5); generated when empty.</summary>
    public byte[] EngineId { get; set; } = [];

    /// <summary>snmpEngineBoots: how many times this engine has started.</summary>
    public int EngineBoots { get; set; } = 1;

    /// <summary>The largest response this agent sends (RFC 3416 section 4.2: tooBig beyond it).</summary>
    public int MaxResponseSize { get; set; } = UdpSnmpTransport.MaxDatagramSize;

    /// <summary>A cap on the bindings of one GetBulk response, whatever max-repetitions asks.</summary>
    public int MaxBulkBindings { get; set; } = 1024;
}

/// <summary>
/// The agent side of SNMP: answers Get, GetNext, GetBulk (and refuses Set) from an <see cref="IMibView"/>, with the
/// semantics of RFC 3416 section 4.2 for v2c and v3 and of RFC 1157 section 4.1 for v1 (noSuchName instead of
/// exceptions; RFC 3584 section 4.2.2.1 for Counter64). Malformed datagrams and unknown communities are dropped
/// and counted, never answered.
/// </summary>
public sealed partial class SnmpResponder
{
    private readonly SnmpResponderOptions _options;
    private readonly UsmAgent _v3;
    private readonly TimeProvider _time;
    private readonly Action<string> _log;
    private long _dropped;
    private long _failed;
    private long _lastFailureLog;

    /// <param name="options">What is served and to whom.</param>
    /// <param name="time">The clock of snmpEngineTime and of the failure log's rate.</param>
    /// <param name="log">Where a request that failed unexpectedly is told, one line a minute at most.</param>
    public SnmpResponder(SnmpResponderOptions options, TimeProvider? time = null, Action<string>? log = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _log = log ?? (_ => { });
        _v3 = new UsmAgent(options, _time);
    }

    /// <summary>Datagrams dropped: malformed, unknown community or user, failed authentication.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Datagrams whose handling or answer failed unexpectedly (a bug, a send the system refused): not answered.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>
    /// Answers datagrams on <paramref name="transport"/> until <paramref name="cancellationToken"/> fires or the transport
    /// is closed. Whatever goes wrong with one datagram is counted in <see cref="Failed"/> and the loop goes on.
    /// </summary>
    public async Task RunAsync(ISnmpTransport transport, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        byte[] buffer = new byte[UdpSnmpTransport.MaxDatagramSize];
        while (!cancellationToken.IsCancellationRequested)
        {
            ReceivedDatagram datagram;
            try
            {
                datagram = await transport.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            byte[]? response;
            try
            {
                response = Handle(buffer.AsSpan(0, datagram.Length));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                NoteFailure(datagram.Remote, ex);
                continue;
            }

            if (response is null)
            {
                continue;
            }

            try
            {
                await transport.SendAsync(response, datagram.Remote, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return; // the transport was closed: the end of serving
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                NoteFailure(datagram.Remote, ex); // a send the system refused (no route, a full buffer): the manager retries
            }
        }
    }

    private void NoteFailure(System.Net.EndPoint from, Exception ex)
    {
        long failed = Interlocked.Increment(ref _failed);

        // One line a minute at most: a stranger repeating a request that fails must not become a flood of logs.
        long now = _time.GetTimestamp();
        long last = Interlocked.Read(ref _lastFailureLog);
        if ((last == 0 || _time.GetElapsedTime(last, now) >= TimeSpan.FromMinutes(1))
            && Interlocked.CompareExchange(ref _lastFailureLog, now, last) == last)
        {
            _log($"SNMP request from {from} not answered: {ex.GetType().Name}: {ex.Message} ({failed} failed so far; one line a minute at most)");
        }
    }

    /// <summary>The response to one request datagram, or null when it is to be dropped.</summary>
    public byte[]? Handle(ReadOnlySpan<byte> request)
    {
        SnmpMessage message;
        try
        {
            message = SnmpMessageCodec.Decode(request);
        }
        catch (SnmpDecodeException)
        {
            Interlocked.Increment(ref _dropped);
            return null;
        }

        byte[]? response = message switch
        {
            CommunityMessage community => HandleCommunity(community),
            SnmpV3Message v3 => _v3.Handle(v3, request, this),
            _ => null,
        };
        if (response is null)
        {
            Interlocked.Increment(ref _dropped);
        }

        return response;
    }

    private byte[]? HandleCommunity(CommunityMessage message)
    {
        string community = System.Text.Encoding.UTF8.GetString(message.Community.Span);
        if (!_options.Communities.TryGetValue(community, out IMibView? view) || message.Pdu is not Pdu request)
        {
            return null; // RFC 3584 section 5.2.1: an unknown community is not answered (snmpInBadCommunityNames)
        }

        if (message.Version == SnmpVersion.V1 && request.Type == SnmpType.GetBulkRequestPdu)
        {
            return null; // v1 has no GetBulk (RFC 3584 section 4.3)
        }

        Pdu? response = Answer(request, view, message.Version == SnmpVersion.V1, _options.MaxResponseSize - 64 - message.Community.Length);
        return response is null ? null : SnmpMessageCodec.Encode(new CommunityMessage(message.Version, message.Community, response));
    }

    /// <summary>The Response-PDU to a request PDU, or null for PDUs an agent does not answer (responses, traps).</summary>
    internal Pdu? Answer(Pdu request, IMibView view, bool v1, int maxPduSize)
    {
        try
        {
            Pdu? response = request.Type switch
            {
                SnmpType.GetRequestPdu => AnswerGet(request, view, v1),
                SnmpType.GetNextRequestPdu => AnswerGetNext(request, view, v1),
                SnmpType.GetBulkRequestPdu => AnswerGetBulk(request, view, maxPduSize),
                // A read-only agent: RFC 3416 section 4.2.5 notWritable; v1 says noSuchName (RFC 3584 section 4.4).
                SnmpType.SetRequestPdu => Error(request, v1 ? ErrorStatus.NoSuchName : ErrorStatus.NotWritable, 1),
                _ => null,
            };
            if (response is not null && SnmpMessageCodec.EncodePdu(response).Length > maxPduSize)
            {
                // RFC 3416 section 4.2.1: tooBig, error-index zero, no bindings.
                return new Pdu(SnmpType.ResponsePdu, request.RequestId, ErrorStatus.TooBig, 0, []);
            }

            return response;
        }
        catch (ProviderException failed)
        {
            return Error(request, ErrorStatus.GenErr, failed.Index);
        }
    }

    private static Pdu AnswerGet(Pdu request, IMibView view, bool v1)
    {
        var bindings = new VarBind[request.VarBinds.Count];
        for (int i = 0; i < bindings.Length; i++)
        {
            Oid oid = request.VarBinds[i].Oid;
            SnmpValue value = Read(() => view.Get(oid), i);
            if (v1 && (value.IsException || value.Type == SnmpType.Counter64))
            {
                return Error(request, ErrorStatus.NoSuchName, i + 1);
            }

            bindings[i] = new VarBind(oid, value);
        }

        return Pdu.Response(request.RequestId, ErrorStatus.NoError, 0, bindings);
    }

    private static Pdu AnswerGetNext(Pdu request, IMibView view, bool v1)
    {
        var bindings = new VarBind[request.VarBinds.Count];
        for (int i = 0; i < bindings.Length; i++)
        {
            VarBind next = Next(view, request.VarBinds[i].Oid, v1, i);
            if (v1 && next.Value.Type == SnmpType.EndOfMibView)
            {
                return Error(request, ErrorStatus.NoSuchName, i + 1);
            }

            bindings[i] = next;
        }

        return Pdu.Response(request.RequestId, ErrorStatus.NoError, 0, bindings);
    }

    /// <summary>
    /// RFC 3416 section 4.2.3: N non-repeaters once, then M rounds of the R repeaters, cut where the next binding would
    /// make the response too big or pass <see cref="SnmpResponderOptions.MaxBulkBindings"/>, whatever M asks (as net-snmp
    /// cuts at the message size): the work of one request is bounded by the response it may send.
    /// </summary>
    private Pdu AnswerGetBulk(Pdu request, IMibView view, int maxPduSize)
    {
        // The PDU's own fields and headers (request-id, error-status, error-index, two SEQUENCE headers) take 32 at most.
        const int PduOverhead = 32;
        int count = request.VarBinds.Count;
        int n = Math.Clamp(request.NonRepeaters, 0, count);
        int m = Math.Max(request.MaxRepetitions, 0);
        int r = count - n;

        // In long: n + m * r overflows an int when m is near 2^31 (once a negative capacity, and the receive loop's end).
        long asked = n + ((long)m * r);
        var bindings = new List<VarBind>((int)Math.Min(asked, Math.Max(_options.MaxBulkBindings, n)));
        int budget = maxPduSize - PduOverhead;
        int size = 0;
        for (int i = 0; i < n; i++)
        {
            VarBind next = Next(view, request.VarBinds[i].Oid, false, i);
            size += SnmpMessageCodec.EncodedLength(next);
            bindings.Add(next);
        }

        var last = new Oid[r];
        for (int j = 0; j < r; j++)
        {
            last[j] = request.VarBinds[n + j].Oid;
        }

        for (int round = 0; round < m && r > 0; round++)
        {
            bool allEnded = true;
            for (int j = 0; j < r; j++)
            {
                if (bindings.Count >= _options.MaxBulkBindings)
                {
                    return Pdu.Response(request.RequestId, ErrorStatus.NoError, 0, bindings);
                }

                VarBind next = Next(view, last[j], false, n + j);
                size += SnmpMessageCodec.EncodedLength(next);
                if (size > budget)
                {
                    // Fewer repetitions rather than tooBig (RFC 3416 section 4.2.3); non-repeaters too big are tooBig.
                    return Pdu.Response(request.RequestId, ErrorStatus.NoError, 0, bindings);
                }

                last[j] = next.Oid;
                allEnded &= next.Value.Type == SnmpType.EndOfMibView;
                bindings.Add(next);
            }

            if (allEnded)
            {
                break;
            }
        }

        return Pdu.Response(request.RequestId, ErrorStatus.NoError, 0, bindings);
    }

    private static VarBind Next(IMibView view, Oid oid, bool v1, int index)
    {
        VarBind next = ReadNext(view, oid, index);

        // RFC 3584 section 4.2.2.1: a v1 manager cannot see Counter64; skip to the next variable.
        while (v1 && next.Value.Type == SnmpType.Counter64)
        {
            next = ReadNext(view, next.Oid, index);
        }

        return next;
    }

    private static VarBind ReadNext(IMibView view, Oid oid, int index)
    {
        try
        {
            return view.GetNext(oid);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new ProviderException(index + 1, ex);
        }
    }

    private static SnmpValue Read(Func<SnmpValue> read, int index)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new ProviderException(index + 1, ex);
        }
    }

    private static Pdu Error(Pdu request, ErrorStatus status, int index) =>
        Pdu.Response(request.RequestId, status, index, request.VarBinds);

    /// <summary>A view's provider failed while reading binding <see cref="Index"/> (1-based): answered as genErr.</summary>
    private sealed class ProviderException(int index, Exception inner) : Exception("a MIB provider failed", inner)
    {
        public int Index { get; } = index;
    }
}
