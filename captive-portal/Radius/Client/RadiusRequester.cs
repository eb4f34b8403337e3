using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Network.Radius.Codec;
using Network.Radius.Crypto;
using Network.Radius.Dictionary;
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

/// <summary>
/// The server's verified answer to an Access-Request (RFC 2865 section 4): Access-Accept, Access-Reject or
/// Access-Challenge, with the reply's attributes (Reply-Message, Session-Timeout, Class...).
/// </summary>
public sealed record AccessResult(RadiusPacket Response)
{
    /// <summary>Access-Accept.</summary>
    public bool Accepted => Response.Code == RadiusCode.AccessAccept;

    /// <summary>The Reply-Message attributes (RFC 2865 section 5.18), joined with line breaks; null when there are none.</summary>
    public string? ReplyMessage
    {
        get
        {
            string[] messages = [.. Response.Attributes.Where(a => a.Type == RadiusAttributes.ReplyMessage.Type).Select(a => System.Text.Encoding.UTF8.GetString(a.Value.Span))];
            return messages.Length == 0 ? null : string.Join('\n', messages);
        }
    }
}

/// <summary>No verified answer after every retry.</summary>
public sealed class RadiusTimeoutException(string message) : Exception(message);

/// <summary>
/// Sends RADIUS requests and waits for their verified replies: PAP Access-Requests (<see cref="AccessRequestAsync"/>, the
/// portal asking a RADIUS server itself), Disconnect-Request and CoA-Request to a NAS (RFC 5176), and Accounting and
/// Status-Server requests for tests and health checks. One socket, any number in flight; replies are matched by address
/// and Identifier, must be a code that answers the request's (RFC 2865 section 4, RFC 2866 section 4, RFC 5176 section
/// 3, RFC 5997 section 3) and must carry a valid Response Authenticator (and Message-Authenticator when present, or
/// always when the caller requires it), or they are ignored as RFC 2865 section 3 asks.
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

    /// <summary>
    /// A PAP Access-Request (RFC 2865 section 4.1) and its verified answer. The Request Authenticator is drawn here, then
    /// the password is hidden with it (RFC 2865 section 5.2) and a Message-Authenticator is put first (RFC 3579 section
    /// 3.2; the BlastRADIUS mitigation, which hardened servers require). Any User-Password, CHAP-Password or
    /// Message-Authenticator among <paramref name="attributes"/> is dropped. The reply must be Access-Accept,
    /// Access-Reject or Access-Challenge with a valid Response Authenticator, and, when
    /// <paramref name="requireMessageAuthenticator"/> (the default), a valid Message-Authenticator: anything else is
    /// ignored, as a forgery would be, and ends in <see cref="RadiusTimeoutException"/> after the retries. A retry sends
    /// the same packet again (same Identifier, Authenticator and hidden password; RFC 5080 section 2.2.1).
    /// </summary>
    /// <exception cref="ArgumentException">The password is longer than 128 octets (RFC 2865 section 5.2).</exception>
    public async Task<AccessResult> AccessRequestAsync(IPEndPoint server, ReadOnlyMemory<byte> secret, IEnumerable<RadiusAttribute> attributes,
        ReadOnlyMemory<byte> password, TimeSpan timeout, int retries, bool requireMessageAuthenticator = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(attributes);
        if (password.Length > UserPassword.MaxLength)
        {
            throw new ArgumentException($"a User-Password has at most {UserPassword.MaxLength} octets, not {password.Length}", nameof(password));
        }

        var request = new RadiusPacket(RadiusCode.AccessRequest, 0, RequestAuthenticator.CreateRandom(),
            attributes.Where(a => a.Type is not (UserPassword.AttributeType or MessageAuthenticator.AttributeType) && a.Type != RadiusAttributes.ChapPassword.Type));
        UserPassword.Set(request, password.Span, secret.Span);
        RadiusPacket reply = await SendCoreAsync(server, secret, request, timeout, retries, requireMessageAuthenticator, cancellationToken).ConfigureAwait(false);
        return new AccessResult(reply);
    }

    /// <summary>
    /// Sends <paramref name="request"/> (signed here) and returns the verified reply. An Access-Request or Status-Server
    /// gets a fresh random Request Authenticator here, so it must not carry a User-Password (hidden with another
    /// authenticator it would be garbage to the server): send PAP with <see cref="AccessRequestAsync"/>.
    /// </summary>
    /// <exception cref="ArgumentException">An Access-Request with a User-Password.</exception>
    public Task<RadiusPacket> SendAsync(IPEndPoint server, ReadOnlyMemory<byte> secret, RadiusPacket request, TimeSpan timeout, int retries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Code is RadiusCode.AccessRequest or RadiusCode.StatusServer)
        {
            if (request.CountAttributes(UserPassword.AttributeType) > 0)
            {
                throw new ArgumentException("a User-Password is hidden with the Request Authenticator drawn at sending: use AccessRequestAsync", nameof(request));
            }

            request.Authenticator = RequestAuthenticator.CreateRandom();
        }

        return SendCoreAsync(server, secret, request, timeout, retries, requireMessageAuthenticator: false, cancellationToken);
    }

    // Sends the request as it is (its Authenticator already set for Access-Request and Status-Server) and waits.
    private async Task<RadiusPacket> SendCoreAsync(IPEndPoint server, ReadOnlyMemory<byte> secret, RadiusPacket request, TimeSpan timeout, int retries,
        bool requireMessageAuthenticator, CancellationToken cancellationToken)
    {
        byte id = (byte)Interlocked.Increment(ref _nextId);
        var pending = new Pending(request.Code, requireMessageAuthenticator);
        var key = (Normalise(server), id);
        if (!_pending.TryAdd(key, pending))
        {
            throw new InvalidOperationException($"256 requests to {server} are already in flight");
        }

        try
        {
            request.Identifier = id;
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
                if (IsReplyTo(pending.RequestCode, reply.Code)
                    && ResponseAuthenticator.Verify(raw, pending.RequestAuthenticator, pending.Secret.Span)
                    && MessageAuthenticator.Verify(raw, pending.Secret.Span, pending.RequestAuthenticator) switch
                    {
                        MessageAuthenticatorStatus.Valid => true,
                        MessageAuthenticatorStatus.Missing => !pending.RequireMessageAuthenticator,
                        _ => false,
                    })
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

    /// <summary>True when <paramref name="reply"/> is a code that answers <paramref name="request"/>.</summary>
    internal static bool IsReplyTo(RadiusCode request, RadiusCode reply) => request switch
    {
        RadiusCode.AccessRequest => reply is RadiusCode.AccessAccept or RadiusCode.AccessReject or RadiusCode.AccessChallenge,
        RadiusCode.AccountingRequest => reply == RadiusCode.AccountingResponse,
        RadiusCode.DisconnectRequest => reply is RadiusCode.DisconnectAck or RadiusCode.DisconnectNak,
        RadiusCode.CoaRequest => reply is RadiusCode.CoaAck or RadiusCode.CoaNak,
        // RFC 5997 section 3: Access-Accept from an authentication port, Accounting-Response from an accounting port.
        RadiusCode.StatusServer => reply is RadiusCode.AccessAccept or RadiusCode.AccountingResponse,
        _ => false,
    };

    private static IPEndPoint Normalise(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    private sealed class Pending(RadiusCode requestCode, bool requireMessageAuthenticator)
    {
        public RadiusCode RequestCode { get; } = requestCode;

        public bool RequireMessageAuthenticator { get; } = requireMessageAuthenticator;

        public TaskCompletionSource<RadiusPacket> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public byte[] RequestAuthenticator { get; set; } = [];

        public ReadOnlyMemory<byte> Secret { get; set; }
    }
}
