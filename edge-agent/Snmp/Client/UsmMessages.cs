using System.Text;
using Network.Snmp.Pdus;
using Network.Snmp.Security;

namespace Network.Snmp.Client;

/// <summary>
/// SNMPv3 messages under the User-based Security Model, sealed and opened (RFC 3414 sections 3.1 and 3.2):
/// the manager's side. Keys come localized; the crypto is in <see cref="Network.Snmp.Security"/>.
/// </summary>
internal static class UsmMessages
{
    /// <summary>usmStats, RFC 3414 section 5: the counters a Report carries to say why a message was refused.</summary>
    private static readonly (Oid Oid, UsmError Error)[] s_reports =
    [
        (Oid.Parse("1.3.6.1.6.3.15.1.1.1.0"), UsmError.UnsupportedSecurityLevel),
        (Oid.Parse("1.3.6.1.6.3.15.1.1.2.0"), UsmError.NotInTimeWindow),
        (Oid.Parse("1.3.6.1.6.3.15.1.1.3.0"), UsmError.UnknownUserName),
        (Oid.Parse("1.3.6.1.6.3.15.1.1.4.0"), UsmError.UnknownEngineId),
        (Oid.Parse("1.3.6.1.6.3.15.1.1.5.0"), UsmError.WrongDigest),
        (Oid.Parse("1.3.6.1.6.3.15.1.1.6.0"), UsmError.DecryptionError),
    ];

    public static Oid ReportOid(UsmError error) => s_reports.First(r => r.Error == error).Oid;

    /// <summary>The empty, unauthenticated, reportable Get of engine discovery (RFC 3414 section 4).</summary>
    public static byte[] Discovery(int messageId) => SnmpMessageCodec.Encode(new SnmpV3Message
    {
        MessageId = messageId,
        Flags = SnmpV3FlagBits.Reportable,
        Usm = new UsmSecurityParameters(default, 0, 0, default, default, default),
        ScopedPdu = new ScopedPdu(default, default, Pdu.GetRequest(messageId, [])),
    });

    /// <summary>Builds, encrypts and authenticates a request for <paramref name="user"/> (RFC 3414 section 3.1.1).</summary>
    public static byte[] Seal(UsmUser user, LocalizedKeys keys, EngineState engine, TimeProvider clock, int messageId, string contextName, Pdu pdu)
    {
        (int boots, int time) = engine.Now(clock);
        var scoped = new ScopedPdu(engine.EngineId, Encoding.UTF8.GetBytes(contextName), pdu);
        return Seal(user, keys, engine.EngineId, boots, time, messageId, SnmpV3FlagBits.Reportable, scoped);
    }

    /// <summary>Seals any scoped PDU at the security level of <paramref name="user"/>; the agent answers with this too.</summary>
    public static byte[] Seal(
        UsmUser user, LocalizedKeys keys, byte[] engineId, int boots, int time, int messageId, SnmpV3FlagBits extraFlags, ScopedPdu scoped, int maxSize = 65507)
    {
        SnmpV3FlagBits flags = extraFlags;
        byte[] authPlaceholder = [];
        byte[] privParameters = [];
        ReadOnlyMemory<byte> encrypted = default;
        ScopedPdu? plain = scoped;
        if (user.Authenticates)
        {
            flags |= SnmpV3FlagBits.Auth;
            authPlaceholder = new byte[UsmAuthentication.MacLength(user.Auth)];
        }

        if (user.Encrypts)
        {
            flags |= SnmpV3FlagBits.Priv;
            encrypted = UsmPrivacy.Encrypt(user.Priv, keys.PrivKey, boots, time, SnmpMessageCodec.EncodeScopedPdu(scoped), out privParameters);
            plain = null;
        }

        byte[] message = SnmpMessageCodec.Encode(new SnmpV3Message
        {
            MessageId = messageId,
            MaxSize = maxSize,
            Flags = flags,
            Usm = new UsmSecurityParameters(engineId, boots, time, Encoding.UTF8.GetBytes(user.Name), authPlaceholder, privParameters),
            ScopedPdu = plain,
            EncryptedPdu = encrypted,
        }, out int authOffset);
        if (user.Authenticates)
        {
            UsmAuthentication.Sign(user.Auth, keys.AuthKey, message, authOffset);
        }

        return message;
    }

    /// <summary>
    /// Checks and opens a reply (RFC 3414 section 3.2). A reply that claims authentication must verify with our key;
    /// a Response must come at the level we asked for. Only a Report may come unauthenticated (an agent reports
    /// unknownUserName or unknownEngineID without keys); it can only make the request fail, never give data.
    /// </summary>
    public static (Pdu Pdu, UsmSecurityParameters Security, bool Authentic) Open(UsmUser user, LocalizedKeys keys, SnmpV3Message reply, ReadOnlySpan<byte> raw)
    {
        UsmSecurityParameters usm = reply.Usm ?? throw new SnmpSecurityException(UsmError.ReplyNotAuthentic, "the reply has no USM parameters");
        bool authentic = false;
        if (reply.Flags.HasFlag(SnmpV3FlagBits.Auth))
        {
            if (!user.Authenticates || !UsmAuthentication.Verify(user.Auth, keys.AuthKey, raw, reply.AuthenticationParametersOffset, usm.AuthenticationParameters.Length))
            {
                throw new SnmpSecurityException(UsmError.ReplyNotAuthentic, "the reply's digest does not verify: wrong authentication pass phrase or protocol");
            }

            authentic = true;
        }

        ScopedPdu scoped;
        if (reply.Flags.HasFlag(SnmpV3FlagBits.Priv))
        {
            if (!authentic || !user.Encrypts)
            {
                throw new SnmpSecurityException(UsmError.ReplyNotDecryptable, "an encrypted reply without authentication");
            }

            try
            {
                byte[] plain = UsmPrivacy.Decrypt(user.Priv, keys.PrivKey, usm.AuthoritativeEngineBoots, usm.AuthoritativeEngineTime,
                    usm.PrivacyParameters.Span, reply.EncryptedPdu.Span);
                scoped = SnmpMessageCodec.DecodeScopedPdu(plain.AsMemory(), null, out _);
            }
            catch (Exception ex) when (ex is SnmpDecodeException or System.Security.Cryptography.CryptographicException or ArgumentException)
            {
                throw new SnmpSecurityException(UsmError.ReplyNotDecryptable, "the reply does not decrypt: wrong privacy pass phrase or protocol");
            }
        }
        else
        {
            scoped = reply.ScopedPdu ?? throw new SnmpSecurityException(UsmError.ReplyNotDecryptable, "the reply has no scoped PDU");
        }

        if (scoped.Pdu.Type != SnmpType.ReportPdu && user.Authenticates && !authentic)
        {
            throw new SnmpSecurityException(UsmError.ReplyNotAuthentic, "an unauthenticated response to an authenticated request");
        }

        return (scoped.Pdu, usm, authentic);
    }

    public static UsmError ReportReason(Pdu report)
    {
        foreach (VarBind binding in report.VarBinds)
        {
            foreach ((Oid oid, UsmError error) in s_reports)
            {
                if (binding.Oid == oid)
                {
                    return error;
                }
            }
        }

        return UsmError.UnsupportedSecurityLevel;
    }

    public static string Describe(UsmError error) => error switch
    {
        UsmError.UnsupportedSecurityLevel => "unsupported security level",
        UsmError.NotInTimeWindow => "not in time window",
        UsmError.UnknownUserName => "unknown user name",
        UsmError.UnknownEngineId => "unknown engine ID",
        UsmError.WrongDigest => "authentication failure (incorrect password, community or key)",
        UsmError.DecryptionError => "decryption error",
        UsmError.ReplyNotAuthentic => "the reply is not authentic",
        UsmError.ReplyNotDecryptable => "the reply does not decrypt",
        _ => error.ToString(),
    };
}
