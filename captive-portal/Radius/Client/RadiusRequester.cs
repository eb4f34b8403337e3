using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Network.Radius.Codec;
using Network.Radius.Crypto;
using Network.Radius.Packets;

namespace Network.Radius.Client;

/// <summary>The NAS's answer to a Disconnect-Request or CoA-Request (RFC 5176 section 3).</summary>
public sealed record DynamicAuthorizationResult(bool Acknowledged, RadiusPacket Response)
{
    /// <summary>Error-Cause (RFC 5176 section 3.5) of a NAK, when the NAS gave one.</summary>
    public uint? ErrorCause => Response.TryGetAttribute(101, out RadiusAttribute a) && a.Value.Length == 4
        ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(a.Value.Span)
        : null;
}

/// <summary>No verified answer after every retry.</summary>
public sealed class RadiusTimeoutException(string message) : Exception(message);

/// <summary>
/// Sends RADIUS requests and waits for their verified replies: Disconnect-Request and CoA-Request to a NAS (RFC 5176),
/// and Access/Accounting/Status-Server requests for tests and health checks. One socket, any number in flight; replies
/// are matched by address and Identifier and must carry a valid Response Authenticator (and Message-Authenticator
/// when present), or they are ignored.
/// </summary>
public sealed class RadiusRequester : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly ConcurrentDictionary<(IPEndPoint, byte), Pending> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receive;
    private int _nextId = Random.Shared.Next(256);

    public RadiusRequester(AddressFamily family = AddressFamily.InterNetwork)
    {
        _socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
        _receive = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>Disconnect-Request (RFC 5176 section 3.1) for a session, identified by the given attributes (Acct-Session-Id, User-Name...).</summary>
    public Task<DynamicAuthorizationResult> DisconnectAsync(IPEndPoint nas, ReadOnlyMemory<byte> secret, IEnumerable<RadiusAttribute> identification, TimeSpan timeout, int retries, CancellationToken cancellationToken = default) =>
        DynamicAsync(RadiusCode.DisconnectRequest, nas, secret, identification, timeout, retries, cancellationToken);

    /// <summary>CoA-Request (RFC 5176 section 3.2): new authorizations (a bandwidth limit, a Session-Timeout) for a session.</summary>
    public Task<DynamicAuthorizationResult> ChangeOfAuthorizationAsync(IPEndPoint nas, ReadOnlyMemory<byte> secret, IEnumerable<RadiusAttribute> attributes, TimeSpan timeout, int retries, CancellationToken cancellationToken = default) =>
        DynamicAsync(RadiusCode.CoaRequest, nas, secret, attributes, timeout, retries, cancellationToken);

    /// <summary>Sends <paramref name="request"/> (signed here) and returns the verified reply.</summary>
    public async Task<RadiusPacket> SendAsync(IPEndPoint server, ReadOnlyMemory<byte> secret, RadiusPacket request, TimeSpan timeout, int retries, CancellationToken cancellationToken = default)
    {
        byte id = (byte)Interlocked.Increment(ref _nextId);
        var pending = new Pending();
        var key = (Normalise(server), id);
        if (!_pending.TryAdd(key, pending))
        {
            throw new InvalidOperationException($"256 requests to {server} are already in flight");
        }

        try
        {
            request.Identifier = id;
            if (request.Code is RadiusCode.AccessRequest or RadiusCode.StatusServer)
            {
                request.Authenticator = RequestAuthenticator.CreateRandom();
            }

            byte[] datagram = PacketSigner.EncodeRequest(request, secret.Span);
            pending.RequestAuthenticator = datagram.AsMemory(4, RadiusPacket.AuthenticatorLength).ToArray();
            pending.Secret = secret;
            for (int attempt = 0; attempt <= retries; attempt++)
            {
                await _socket.SendToAsync(datagram, SocketFlags.None, server, cancellationToken).ConfigureAwait(false);
                try
                {
                    return await pending.Reply.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // RFC 5176 section 2.3 / RFC 5080 2.2.1: the same packet again (same Identifier and Authenticator).
                }
            }

            throw new RadiusTimeoutException($"no reply from {server} to {request.Code} after {retries + 1} tries");
        }
        finally
        {
            _pending.TryRemove(key, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        try
        {
            await _receive.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task<DynamicAuthorizationResult> DynamicAsync(RadiusCode code, IPEndPoint nas, ReadOnlyMemory<byte> secret, IEnumerable<RadiusAttribute> attributes, TimeSpan timeout, int retries, CancellationToken cancellationToken)
    {
        var request = new RadiusPacket(code, 0, new byte[RadiusPacket.AuthenticatorLength], attributes);
        RadiusPacket reply = await SendAsync(nas, secret, request, timeout, retries, cancellationToken).ConfigureAwait(false);
        return new DynamicAuthorizationResult(reply.Code is RadiusCode.DisconnectAck or RadiusCode.CoaAck, reply);
    }

    private async Task ReceiveLoopAsync()
    {
        byte[] buffer = new byte[RadiusDecodeLimits.MaxPacketLength];
        var any = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            var from = Normalise((IPEndPoint)received.RemoteEndPoint);
            ReadOnlySpan<byte> datagram = buffer.AsSpan(0, received.ReceivedBytes);
            if (datagram.Length < RadiusPacket.HeaderLength || !_pending.TryGetValue((from, datagram[1]), out Pending? pending) || pending.Secret.IsEmpty)
            {
                continue;
            }

            try
            {
                RadiusPacket reply = RadiusCodec.Decode(datagram);
                ReadOnlySpan<byte> raw = reply.Raw.Span;
                if (ResponseAuthenticator.Verify(raw, pending.RequestAuthenticator, pending.Secret.Span)
                    && MessageAuthenticator.Verify(raw, pending.Secret.Span, pending.RequestAuthenticator) != MessageAuthenticatorStatus.Invalid)
                {
                    pending.Reply.TrySetResult(reply);
                }
            }
            catch (RadiusDecodeException)
            {
                // not a reply we can read: ignore, as RFC 2865 section 3 asks
            }
        }
    }

    private static IPEndPoint Normalise(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    private sealed class Pending
    {
        public TaskCompletionSource<RadiusPacket> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public byte[] RequestAuthenticator { get; set; } = [];

        public ReadOnlyMemory<byte> Secret { get; set; }
    }
}
