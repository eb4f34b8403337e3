using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Network.Snmp.Client;
using Network.Snmp.Pdus;
using Network.Snmp.Security;

namespace Network.Snmp.Responder;

/// <summary>
/// The authoritative side of the User-based Security Model (RFC 3414 section 3.2): engine ID, boots and time,
/// users with their localized keys, and the Report PDUs that tell a manager why a message was refused.
/// </summary>
internal sealed class UsmAgent
{
    /// <summary>RFC 3414 section 2.2.3: a message is timely within 150 seconds of the engine's clock.</summary>
    private const int TimeWindowSeconds = 150;

    private readonly Dictionary<string, (UsmUser User, IMibView View, LocalizedKeys Keys)> _users = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly long _startedAt;
    private readonly int _boots;
    private readonly int _maxResponseSize;
    private readonly long[] _stats = new long[7];

    public UsmAgent(SnmpResponderOptions options, TimeProvider time)
    {
        _time = time;
        _startedAt = time.GetTimestamp();
        _boots = options.EngineBoots;
        _maxResponseSize = options.MaxResponseSize;
        EngineId = options.EngineId.Length > 0 ? options.EngineId : NewEngineId();
        var keys = new UsmKeyCache();
        foreach ((UsmUser user, IMibView view) in options.Users)
        {
            _users[user.Name] = (user, view, keys.Get(user, EngineId));
        }
    }

    public byte[] EngineId { get; }

    /// <summary>snmpEngineTime: seconds since this engine started (RFC 3414 section 2.2.1).</summary>
    public int EngineTime => (int)Math.Min(int.MaxValue, _time.GetElapsedTime(_startedAt).TotalSeconds);

    public byte[]? Handle(SnmpV3Message message, ReadOnlySpan<byte> raw, SnmpResponder responder)
    {
        if (message.Usm is not { } usm)
        {
            return null;
        }

        bool reportable = message.Flags.HasFlag(SnmpV3FlagBits.Reportable);
        string userName = Encoding.UTF8.GetString(usm.UserName.Span);
        int requestId = message.ScopedPdu?.Pdu.RequestId ?? 0;

        // 3.2.3: not addressed to this engine (discovery sends an empty ID).
        if (!usm.AuthoritativeEngineId.Span.SequenceEqual(EngineId))
        {
            return reportable ? Report(message, UsmError.UnknownEngineId, requestId, null) : null;
        }

        // 3.2.4 and 3.2.5: a user we know, at a level that user has.
        if (!_users.TryGetValue(userName, out var entry))
        {
            return reportable ? Report(message, UsmError.UnknownUserName, requestId, null) : null;
        }

        (UsmUser user, IMibView view, LocalizedKeys keys) = entry;
        bool auth = message.Flags.HasFlag(SnmpV3FlagBits.Auth);
        bool priv = message.Flags.HasFlag(SnmpV3FlagBits.Priv);
        if (auth != user.Authenticates || priv != user.Encrypts)
        {
            return reportable ? Report(message, UsmError.UnsupportedSecurityLevel, requestId, null) : null;
        }

        // 3.2.6: the digest.
        if (auth && !UsmAuthentication.Verify(user.Auth, keys.AuthKey, raw, message.AuthenticationParametersOffset, usm.AuthenticationParameters.Length))
        {
            return reportable ? Report(message, UsmError.WrongDigest, requestId, null) : null;
        }

        // 3.2.7 (a): timeliness, for authenticated messages. The report is authenticated so the manager can trust its clock.
        if (auth && (usm.AuthoritativeEngineBoots != _boots || Math.Abs((long)usm.AuthoritativeEngineTime - EngineTime) > TimeWindowSeconds))
        {
            return reportable ? Report(message, UsmError.NotInTimeWindow, requestId, (user, keys)) : null;
        }

        // 3.2.8: decrypt.
        ScopedPdu scoped;
        if (priv)
        {
            try
            {
                byte[] plain = UsmPrivacy.Decrypt(user.Priv, keys.PrivKey, usm.AuthoritativeEngineBoots, usm.AuthoritativeEngineTime,
                    usm.PrivacyParameters.Span, message.EncryptedPdu.Span);
                scoped = SnmpMessageCodec.DecodeScopedPdu(plain.AsSpan(), null, out _);
            }
            catch (Exception ex) when (ex is SnmpDecodeException or CryptographicException or ArgumentException)
            {
                return reportable ? Report(message, UsmError.DecryptionError, requestId, null) : null;
            }
        }
        else if (message.ScopedPdu is { } clear)
        {
            scoped = clear;
        }
        else
        {
            return null;
        }

        if (scoped.Pdu is not { } request)
        {
            return null;
        }

        int maxSize = Math.Min(_maxResponseSize, Math.Max(484, message.MaxSize));
        Pdu? response = responder.Answer(request, view, v1: false, maxSize - 200 - scoped.ContextName.Length);
        if (response is null)
        {
            return null;
        }

        var answer = new ScopedPdu(EngineId, scoped.ContextName, response);
        return UsmMessages.Seal(user, keys, EngineId, _boots, EngineTime, message.MessageId, SnmpV3FlagBits.None, answer);
    }

    /// <summary>A Report-PDU naming the usmStats counter of <paramref name="error"/> (RFC 3414 section 3.1.2, 3.2).</summary>
    private byte[] Report(SnmpV3Message request, UsmError error, int requestId, (UsmUser User, LocalizedKeys Keys)? authenticateAs)
    {
        long count = Interlocked.Increment(ref _stats[(int)error]);
        var report = new Pdu(SnmpType.ReportPdu, requestId, ErrorStatus.NoError, 0,
            [new VarBind(UsmMessages.ReportOid(error), SnmpValue.Counter32(unchecked((uint)count)))]);
        var scoped = new ScopedPdu(EngineId, default, report);
        if (authenticateAs is { } a)
        {
            // authNoPriv: the same user, its authentication only.
            UsmUser authOnly = UsmUser.AuthNoPriv(a.User.Name, a.User.Auth, a.User.AuthPassword);
            return UsmMessages.Seal(authOnly, a.Keys, EngineId, _boots, EngineTime, request.MessageId, SnmpV3FlagBits.None, scoped);
        }

        return SnmpMessageCodec.Encode(new SnmpV3Message
        {
            MessageId = request.MessageId,
            Flags = SnmpV3FlagBits.None,
            Usm = new UsmSecurityParameters(EngineId, _boots, EngineTime, request.Usm?.UserName ?? default, default, default),
            ScopedPdu = scoped,
        });
    }

    /// <summary>
    /// An snmpEngineID of RFC 3411 section 5 format 4 (text) under a private enterprise number: 0x80 00 00 00 00 04
    /// then random bytes, so that two simulated agents never share an ID.
    /// </summary>
    private static byte[] NewEngineId()
    {
        byte[] id = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(id, 0x80000000u); // enterprise 0 with the RFC 3411 format bit
        id[4] = 5; // octets, administratively assigned
        RandomNumberGenerator.Fill(id.AsSpan(5));
        return id;
    }
}
