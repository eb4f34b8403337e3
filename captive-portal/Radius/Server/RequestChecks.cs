using System.Diagnostics.CodeAnalysis;
using System.Net;
using Network.Radius.Codec;
using Network.Radius.Crypto;
using Network.Radius.Dictionary;
using Network.Radius.Packets;

namespace Network.Radius.Server;

/// <summary>
/// Every check a datagram passes before anything answers it, all without a worker so junk never takes a queue slot: a
/// known client, a well-formed packet of a code this port takes, its authenticators (RFC 2865 section 3: what fails is
/// discarded silently; RFC 2866 section 3, RFC 3579 section 3.2, RFC 5997) and the BlastRADIUS rules (CVE-2024-3596).
/// </summary>
internal sealed class RequestChecks(RadiusClientTable clients, int maxProxyStates)
{
    /// <summary>
    /// True when <paramref name="datagram"/> passes every check, with its <paramref name="client"/>, decoded
    /// <paramref name="packet"/> and the client's <paramref name="secret"/> that authenticated it; false with why it is
    /// discarded (<paramref name="reason"/>, a <see cref="DropReasons"/> name).
    /// </summary>
    public bool Pass(ReadOnlySpan<byte> datagram, IPEndPoint from, RadiusPort port,
        [NotNullWhen(true)] out RadiusClient? client, [NotNullWhen(true)] out RadiusPacket? packet, [NotNullWhen(true)] out byte[]? secret,
        [NotNullWhen(false)] out string? reason)
    {
        packet = null;
        secret = null;
        client = clients.Find(from.Address);
        if (client is null)
        {
            reason = DropReasons.UnknownClient;
            return false;
        }

        try
        {
            packet = RadiusCodec.Decode(datagram);
        }
        catch (RadiusDecodeException)
        {
            reason = DropReasons.Malformed;
            return false;
        }

        if (!Expected(packet.Code, port))
        {
            reason = DropReasons.UnexpectedCode;
            return false;
        }

        string? refused = Authentic(packet, client, out byte[] proven);
        if (refused is not null)
        {
            reason = refused;
            return false;
        }

        secret = proven;

        reason = null;
        return true;
    }

    /// <summary>
    /// Null when authentic and allowed, with the <paramref name="secret"/> that proved it, or why not. While a client's
    /// secret changes (<see cref="RadiusClient.NextSecret"/>) either secret proves a packet that carries proof: a
    /// Message-Authenticator, or an Accounting-Request's authenticator. An Access-Request without Message-Authenticator
    /// carries none, so it is taken as made with the current secret (a gateway that sends none gets the new secret last).
    /// </summary>
    private string? Authentic(RadiusPacket packet, RadiusClient client, out byte[] secret)
    {
        ReadOnlySpan<byte> raw = packet.Raw.Span;
        bool request = packet.Code is RadiusCode.AccessRequest or RadiusCode.StatusServer;
        secret = client.Secret;
        MessageAuthenticatorStatus ma = MessageAuthenticator.Verify(raw, secret);
        if (ma == MessageAuthenticatorStatus.Invalid && client.NextSecret is { } next && MessageAuthenticator.Verify(raw, next) == MessageAuthenticatorStatus.Valid)
        {
            (secret, ma) = (next, MessageAuthenticatorStatus.Valid);
        }

        if (ma == MessageAuthenticatorStatus.Invalid)
        {
            return DropReasons.BadMessageAuthenticator;
        }

        if (packet.Code == RadiusCode.AccountingRequest && !RequestAuthenticator.Verify(raw, secret))
        {
            if (ma == MessageAuthenticatorStatus.Missing && client.NextSecret is { } nextSecret && RequestAuthenticator.Verify(raw, nextSecret))
            {
                secret = nextSecret;
            }
            else
            {
                return DropReasons.BadAuthenticator;
            }
        }

        client.NoteSecret(secret);

        if (ma == MessageAuthenticatorStatus.Valid && request)
        {
            client.NoteMessageAuthenticator();
        }

        int proxyStates = packet.CountAttributes(RadiusAttributes.ProxyState.Type);
        if (ma == MessageAuthenticatorStatus.Missing && request)
        {
            if (packet.Code == RadiusCode.StatusServer || client.MustSendMessageAuthenticator)
            {
                return DropReasons.MissingMessageAuthenticator;
            }

            // FreeRADIUS's limit_proxy_state: a Proxy-State without Message-Authenticator is how BlastRADIUS hides its collision.
            if (proxyStates > 0)
            {
                return DropReasons.ProxyStateWithoutMessageAuthenticator;
            }
        }

        return proxyStates > maxProxyStates ? DropReasons.TooManyProxyStates : null;
    }

    private static bool Expected(RadiusCode code, RadiusPort port) => port switch
    {
        RadiusPort.Authentication => code is RadiusCode.AccessRequest or RadiusCode.StatusServer,
        _ => code is RadiusCode.AccountingRequest or RadiusCode.StatusServer,
    };
}

/// <summary>Why a datagram was discarded: the <c>reason</c> of <c>radius_dropped</c> and the keys of <see cref="RadiusServer.Dropped"/>.</summary>
public static class DropReasons
{
    public const string UnknownClient = "unknown_client";
    public const string Malformed = "malformed";
    public const string UnexpectedCode = "unexpected_code";
    public const string BadMessageAuthenticator = "bad_message_authenticator";
    public const string BadAuthenticator = "bad_authenticator";
    public const string MissingMessageAuthenticator = "missing_message_authenticator";
    public const string ProxyStateWithoutMessageAuthenticator = "proxy_state_without_message_authenticator";
    public const string TooManyProxyStates = "too_many_proxy_states";
    public const string DuplicateResent = "duplicate_resent";
    public const string DuplicateInProgress = "duplicate_in_progress";
    public const string QueueFull = "queue_full";
    public const string HandlerDiscarded = "handler_discarded";
    public const string HandlerFailed = "handler_failed";
}
