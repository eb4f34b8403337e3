using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using Network.CaptivePortal.Accounts;
using Network.CaptivePortal.Sessions;
using Network.Radius;
using Network.Radius.Codec;
using Network.Radius.Crypto;
using Network.Radius.Dictionary;
using Network.Radius.Packets;
using Network.Radius.Server;

namespace Network.CaptivePortal.Radius;

/// <summary>
/// The portal's RADIUS policy: PAP against the account store, MAC authentication for remembered devices, accounting
/// into the session store, Status-Server. CHAP and MS-CHAP need a reversible password, which this platform never
/// keeps: they get an Access-Reject that says so.
/// </summary>
public sealed class PortalRadiusHandler(AccountService accounts, SessionStore sessions, SessionPolicy policy, IOptions<RadiusOptions> options) : IRadiusHandler
{
    private static readonly Meter s_meter = new(RadiusServer.MeterName);
    private static readonly Counter<long> s_lockouts = s_meter.CreateCounter<long>(RadiusMetricNames.Lockouts, description: "Logins refused because of repeated failures");
    private static readonly Counter<long> s_auth = s_meter.CreateCounter<long>(RadiusMetricNames.Authentications, description: "Access-Request outcomes");

    private const uint MicrosoftVendor = 311;

    /// <summary>
    /// The receive loop's fast path: Status-Server, the refusals that need no lookup, a returning user's login answered
    /// from memory (<see cref="AccountService.TryVerifyFromMemory(string, ReadOnlySpan{byte}, string?)"/>), and accounting records, which go to the store's
    /// writer and are answered when their batch commits. Everything else (a full password hash, MAC authentication)
    /// goes to a worker, with what was read here (<see cref="CheckedAccessRequest"/>) so that it is not read again.
    /// </summary>
    public bool TryHandleInline(RadiusRequest request, out ValueTask<RadiusPacket?> response)
    {
        RadiusPacket packet = request.Packet;
        switch (packet.Code)
        {
            case RadiusCode.StatusServer:
            case RadiusCode.AccountingRequest:
                response = HandleAsync(request, CancellationToken.None);
                return true;
            case RadiusCode.AccessRequest:
                if (Refusal(packet) is { } refusal)
                {
                    response = ValueTask.FromResult<RadiusPacket?>(refusal);
                    return true;
                }

                if (TryAnswerFromMemory(request) is { } answer)
                {
                    response = ValueTask.FromResult<RadiusPacket?>(answer);
                    return true;
                }

                break;
            default:
                break;
        }

        response = default;
        return false;
    }

    /// <summary>
    /// A returning user's Access-Request answered from memory, or null for a worker, with what was read here left in
    /// <see cref="RadiusRequest.InlineState"/>. The password is unhidden into a buffer on the stack and checked as bytes
    /// (<see cref="AccountService.TryVerifyFromMemory(string, ReadOnlySpan{byte}, string?)"/>); only a request left to a
    /// worker takes a copy of it along.
    /// </summary>
    private RadiusPacket? TryAnswerFromMemory(RadiusRequest request)
    {
        RadiusPacket packet = request.Packet;
        string? user = packet.GetString(RadiusAttributes.UserName);
        string? station = packet.GetString(RadiusAttributes.CallingStationId);
        Span<byte> password = stackalloc byte[UserPassword.MaxLength];
        try
        {
            bool unhidden = UserPassword.TryGet(packet, request.Secret, password, out int length);
            string? mac = MacAddress.TryNormalize(user, out string? normalized) ? normalized : null;
            // MAC authentication (User-Name a MAC) reads the remembered devices: a worker.
            if (user is not null && mac is null && unhidden
                && accounts.TryVerifyFromMemory(user, password[..length], station) is { } result
                && policy.TryDecide(result.Username!, station) is { } decision)
            {
                return Admit(packet, result.Username!, decision);
            }

            request.InlineState = new CheckedAccessRequest(user, station, mac, unhidden ? password[..length].ToArray() : null);
            return null;
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(password);
        }
    }

    public async ValueTask<RadiusPacket?> HandleAsync(RadiusRequest request, CancellationToken cancellationToken) => request.Packet.Code switch
    {
        RadiusCode.AccessRequest => await AuthenticateAsync(request, cancellationToken).ConfigureAwait(false),
        RadiusCode.AccountingRequest => await AccountAsync(request, cancellationToken).ConfigureAwait(false),
        // RFC 5997 section 3: Access-Accept on the authentication port, Accounting-Response on the accounting port.
        RadiusCode.StatusServer => new RadiusPacket(request.Port == RadiusPort.Authentication ? RadiusCode.AccessAccept : RadiusCode.AccountingResponse, request.Packet.Identifier),
        _ => null,
    };

    private async Task<RadiusPacket> AuthenticateAsync(RadiusRequest request, CancellationToken cancellationToken)
    {
        RadiusPacket packet = request.Packet;
        if (request.InlineState is not CheckedAccessRequest check)
        {
            // Not seen by the inline path (a caller of HandleAsync alone): read it here, once.
            if (Refusal(packet) is { } refusal)
            {
                return refusal;
            }

            string? name = packet.GetString(RadiusAttributes.UserName);
            check = new CheckedAccessRequest(name, packet.GetString(RadiusAttributes.CallingStationId),
                MacAddress.TryNormalize(name, out string? mac) ? mac : null,
                UserPassword.TryGet(packet, request.Secret, out byte[] unhidden) ? unhidden : null);
        }

        if (check.User is not { } user || check.Password is not { } password)
        {
            Count("no_password");
            return Reject(packet, "No User-Password: this server takes PAP.");
        }

        AuthResult result;
        try
        {
            string text = Encoding.UTF8.GetString(password);
            // MAC authentication as gateways send it: User-Name is the device's MAC and the password repeats it.
            result = check.Mac is not null && MacAddress.TryNormalize(text, out string? again) && again == check.Mac
                ? await accounts.VerifyMacAsync(user, cancellationToken).ConfigureAwait(false)
                : await accounts.VerifyPasswordAsync(user, text, check.Station, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(password);
        }

        if (result.Outcome == AuthOutcome.Accepted)
        {
            return Admit(packet, result.Username!, await policy.DecideAsync(result.Username!, check.Station, cancellationToken).ConfigureAwait(false));
        }

        Count(result.Outcome.ToString().ToLowerInvariant());
        return result.Outcome switch
        {
            AuthOutcome.Locked => LockedOut(packet, accounts.LockoutMinutes),
            AuthOutcome.Disabled => Reject(packet, "This account is disabled. Contact the Urbizone helpdesk."),
            _ => Reject(packet, "Wrong user name or password."),
        };
    }

    /// <summary>
    /// An Access-Request past its refusal check, as read once on the receive thread and handed to a worker: its User-Name,
    /// Calling-Station-Id, the User-Name as a normalised MAC (null: not a MAC) and the unhidden User-Password (null: it
    /// could not be unhidden), which the worker wipes after use.
    /// </summary>
    private sealed record CheckedAccessRequest(string? User, string? Station, string? Mac, byte[]? Password);

    /// <summary>The answer to an Access-Request this server never evaluates (CHAP, MS-CHAP, no User-Password), or null.</summary>
    private static RadiusPacket? Refusal(RadiusPacket packet)
    {
        if (packet.CountAttributes(RadiusAttributes.ChapPassword.Type) > 0 || HasMicrosoftChap(packet))
        {
            Count("unsupported");
            return Reject(packet, "CHAP and MS-CHAP are not offered: they need a reversible password, which is never stored. Use PAP (the portal's login page).");
        }

        if (packet.CountAttributes(RadiusAttributes.UserPassword.Type) == 0 || !packet.TryGetValue(RadiusAttributes.UserName, out _))
        {
            Count("no_password");
            return Reject(packet, "No User-Password: this server takes PAP.");
        }

        return null;
    }

    /// <summary>The right password: the session policy (quotas, devices at once) accepts, with what is left, or refuses and says why.</summary>
    private RadiusPacket Admit(RadiusPacket request, string username, SessionDecision decision)
    {
        if (!decision.Allowed)
        {
            Count("over_policy");
            return Reject(request, decision.RefusalMessage!);
        }

        Count("accepted");
        return Accept(request, username, decision);
    }

    private RadiusPacket Accept(RadiusPacket request, string username, SessionDecision decision)
    {
        RadiusReplyOptions reply = options.Value.Reply;
        List<RadiusAttribute> fixedPart = _fixedAcceptAttributes ??= FixedAcceptAttributes(reply);
        var accept = new RadiusPacket(RadiusCode.AccessAccept, request.Identifier);
        accept.Attributes.Capacity = fixedPart.Count + 6;
        // The User-Name as stored (its case); the request's own octets when they are that already.
        if (request.TryGetValue(RadiusAttributes.UserName, out ReadOnlyMemory<byte> sent) && System.Text.Ascii.Equals(sent.Span, username))
        {
            accept.Attributes.Add(new RadiusAttribute(RadiusAttributes.UserName.Type, sent.Span));
        }
        else
        {
            accept.SetString(RadiusAttributes.UserName, username);
        }

        // Session-Timeout = min(the policy's, the time left of the quota), rounded up so a last minute is not lost.
        long timeout = reply.SessionTimeout;
        if (decision.TimeLeft is { } left)
        {
            long seconds = (long)Math.Ceiling(left.TotalSeconds);
            timeout = timeout > 0 ? Math.Min(timeout, seconds) : seconds;
        }

        if (timeout > 0)
        {
            Span<byte> value = stackalloc byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(value, (uint)Math.Min(timeout, uint.MaxValue));
            accept.Attributes.Add(new RadiusAttribute(RadiusAttributes.SessionTimeout.Type, value));
        }

        if (decision.BytesLeft is long bytes && bytes > 0)
        {
            // The data left, as CoovaChilli (octets and gigawords, RFC 2869 style) and MikroTik take it.
            SetIfPositive(accept, RadiusAttributes.ChilliSpotMaxTotalOctets, bytes & uint.MaxValue);
            SetIfPositive(accept, RadiusAttributes.ChilliSpotMaxTotalGigawords, bytes >> 32);
            SetIfPositive(accept, RadiusAttributes.MikrotikTotalLimit, bytes & uint.MaxValue);
            SetIfPositive(accept, RadiusAttributes.MikrotikTotalLimitGigawords, bytes >> 32);
        }

        // The attributes every Access-Accept carries, made once: their values are read-only and shared by the replies.
        accept.Attributes.AddRange(fixedPart);
        return accept;
    }

    private List<RadiusAttribute>? _fixedAcceptAttributes;

    /// <summary>The Access-Accept's attributes that depend on the configured reply policy only, in the order they are sent.</summary>
    private static List<RadiusAttribute> FixedAcceptAttributes(RadiusReplyOptions reply)
    {
        var model = new RadiusPacket(RadiusCode.AccessAccept, 0);
        SetIfPositive(model, RadiusAttributes.IdleTimeout, reply.IdleTimeout);
        SetIfPositive(model, RadiusAttributes.AcctInterimInterval, reply.AcctInterimInterval);
        // WISPr counts bit/s, ChilliSpot kbit/s.
        SetIfPositive(model, RadiusAttributes.WisprBandwidthMaxDown, (long)reply.BandwidthMaxDownKbps * 1000);
        SetIfPositive(model, RadiusAttributes.WisprBandwidthMaxUp, (long)reply.BandwidthMaxUpKbps * 1000);
        SetIfPositive(model, RadiusAttributes.ChilliSpotBandwidthMaxDown, reply.BandwidthMaxDownKbps);
        SetIfPositive(model, RadiusAttributes.ChilliSpotBandwidthMaxUp, reply.BandwidthMaxUpKbps);
        if (!string.IsNullOrEmpty(reply.Class))
        {
            model.SetOctets(RadiusAttributes.Class, Encoding.UTF8.GetBytes(reply.Class));
        }

        return model.Attributes;
    }

    private static RadiusPacket LockedOut(RadiusPacket request, int minutes)
    {
        s_lockouts.Add(1);
        return Reject(request, string.Create(CultureInfo.InvariantCulture,
            $"Too many failed attempts: try again in {minutes} minute{(minutes == 1 ? "" : "s")}."));
    }

    private static RadiusPacket Reject(RadiusPacket request, string message)
    {
        var reject = new RadiusPacket(RadiusCode.AccessReject, request.Identifier);
        reject.SetString(RadiusAttributes.ReplyMessage, message);
        return reject;
    }

    /// <summary>
    /// RFC 2866 section 4.1: answer only once the record is stored. A record the store refuses (no session id, no NAS
    /// identity) gets no answer, so the gateway keeps it and sends it again.
    /// </summary>
    private async Task<RadiusPacket?> AccountAsync(RadiusRequest request, CancellationToken cancellationToken)
    {
        RadiusPacket p = request.Packet;
        if (!p.TryGetInteger(RadiusAttributes.AcctStatusType, out uint status)
            || (AcctStatusType)status is not (AcctStatusType.Start or AcctStatusType.InterimUpdate or AcctStatusType.Stop or AcctStatusType.AccountingOn or AcctStatusType.AccountingOff))
        {
            return null;
        }

        var record = new AccountingRecord
        {
            StatusType = (AcctStatusType)status,
            AcctSessionId = p.GetString(RadiusAttributes.AcctSessionId),
            UserName = p.GetString(RadiusAttributes.UserName),
            NasIdentifier = p.GetString(RadiusAttributes.NasIdentifier),
            NasIpAddress = p.TryGetIPv4Address(RadiusAttributes.NasIpAddress, out IPAddress nasIp) ? nasIp : null,
            CalledStationId = p.GetString(RadiusAttributes.CalledStationId),
            CallingStationId = p.GetString(RadiusAttributes.CallingStationId),
            FramedIpAddress = p.TryGetIPv4Address(RadiusAttributes.FramedIpAddress, out IPAddress framed) ? framed : null,
            SessionTime = p.TryGetInteger(RadiusAttributes.AcctSessionTime, out uint time) ? time : null,
            InputOctets = Integer(p, RadiusAttributes.AcctInputOctets),
            OutputOctets = Integer(p, RadiusAttributes.AcctOutputOctets),
            InputGigawords = Integer(p, RadiusAttributes.AcctInputGigawords),
            OutputGigawords = Integer(p, RadiusAttributes.AcctOutputGigawords),
            TerminateCause = p.TryGetInteger(RadiusAttributes.AcctTerminateCause, out uint cause) ? (AcctTerminateCause)cause : null,
            EventTimestamp = p.TryGetTime(RadiusAttributes.EventTimestamp, out DateTimeOffset at) ? at : null,
            DelayTime = Integer(p, RadiusAttributes.AcctDelayTime),
        };
        AccountingOutcome outcome = await sessions.RecordAsync(record, cancellationToken).ConfigureAwait(false);
        if (outcome == AccountingOutcome.Recorded)
        {
            // The user's usage now includes this record; over a quota, their sessions get a Disconnect-Request.
            await policy.ObserveAsync(record, request.From.Address, cancellationToken).ConfigureAwait(false);
        }

        return outcome == AccountingOutcome.Invalid ? null : new RadiusPacket(RadiusCode.AccountingResponse, p.Identifier);
    }

    private static uint Integer(RadiusPacket packet, RadiusAttributeDefinition definition) =>
        packet.TryGetInteger(definition, out uint value) ? value : 0;

    private static void SetIfPositive(RadiusPacket packet, RadiusAttributeDefinition definition, long value)
    {
        if (value > 0)
        {
            packet.SetInteger(definition, (uint)Math.Min(value, uint.MaxValue));
        }
    }

    private static bool HasMicrosoftChap(RadiusPacket packet)
    {
        foreach (RadiusAttribute attribute in packet.Attributes)
        {
            if (attribute.Type == RadiusAttributes.VendorSpecific.Type && VendorSpecific.TryGetVendorId(attribute.Value.Span, out uint vendor) && vendor == MicrosoftVendor)
            {
                return true;
            }
        }

        return false;
    }

    private static void Count(string outcome) => s_auth.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
