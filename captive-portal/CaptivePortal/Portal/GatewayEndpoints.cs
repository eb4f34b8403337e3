using System.Globalization;
using System.Net;
using System.Security;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Network.CaptivePortal.Accounts;
using Network.CaptivePortal.Gateway;

namespace Network.CaptivePortal.Portal;

/// <summary>What a WISPr login comes to: a redirect to the gateway's logon URL, or our own AuthenticationReply.</summary>
internal sealed record WisprOutcome(string? LogonUrl, int ResponseCode, string Message)
{
    /// <summary>The reply's XML: MessageType 120 (authentication reply) with the response code and message.</summary>
    public string Reply() => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <WISPAccessGatewayParam xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="http://www.acmewisp.com/WISPAccessGatewayParam.xsd">
        <AuthenticationReply>
        <MessageType>120</MessageType>
        <ResponseCode>{ResponseCode.ToString(CultureInfo.InvariantCulture)}</ResponseCode>
        <ReplyMessage>{SecurityElement.Escape(Message)}</ReplyMessage>
        </AuthenticationReply>
        </WISPAccessGatewayParam>
        """;

    public static WisprOutcome Failed(int responseCode, string message) => new(null, responseCode, message);
}

/// <summary>
/// The gateways' side of the portal: CoovaChilli's redirect landing (<c>/hotspot</c>, configured as its <c>uamserver</c>),
/// openNDS's FAS landing (<c>/opennds</c>, its <c>faspath</c>),
/// WISPr 1.0 smart-client logins (<c>/wispr</c>) and the RFC 8908 Captive Portal API (<c>/api/captive</c>). The landings
/// redirect to the pages or answer with the message page.
/// </summary>
public static class GatewayEndpoints
{
    public const string CaptiveJson = "application/captive+json";

    public static IEndpointRouteBuilder MapGatewayEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/hotspot", Landing);
        endpoints.MapGet("/opennds", OpenNdsLanding);
        // WISPr smart clients post their credentials to the LoginURL of the gateway's WISPr XML: the signed redirect itself.
        endpoints.MapPost("/hotspot", SmartClientAsync).DisableAntiforgery();
        endpoints.MapPost("/wispr", WisprAsync).DisableAntiforgery();
        endpoints.MapGet("/api/captive", CaptiveAsync);
        return endpoints;
    }

    /// <summary>
    /// Verifies the redirect's <c>md</c>, keeps its parameters as a protected context token, and sends the browser on to the
    /// page for <c>res</c>: the welcome page (notyet), "logged in" (success, already), the login form with an error
    /// (failed) or "logged out" (logoff). A tampered or unsigned redirect gets a page that says so, status 400.
    /// </summary>
    private static Results<SeeOther, PortalMessageResult> Landing(HttpContext http, PortalVisit page, UamContextProtector protector, IOptions<GatewayOptions> options)
    {
        if (UamRedirect.Verify(http, page.Options.PublicUrl, options.Value) is not { } context)
        {
            return page.Message(page.T("TamperedTitle"), page.T("TamperedText"), status: StatusCodes.Status400BadRequest);
        }

        string token = protector.Protect(context);
        string next = context.Result switch
        {
            "success" or "already" or "popup1" or "popup2" or "popup3" => page.LinkWithContext("/online", token),
            "failed" => page.LinkWithContext("/login", token, ("failed", "1")),
            "logoff" => page.LinkWithContext("/logged-out", token),
            _ => page.LinkWithContext("/", token),
        };
        return new SeeOther(next);
    }

    /// <summary>
    /// openNDS's FAS redirect (<see cref="OpenNdsFas"/>): kept as a protected context token like a UAM redirect, then the
    /// welcome page. A redirect the configuration does not accept, or with missing or malformed parameters, gets the
    /// "changed or incomplete" page (status 400). <c>status=authenticated</c> (openNDS sends it when an authenticated
    /// client opens the auth URL again) gets "You are already online".
    /// </summary>
    private static Results<SeeOther, PortalMessageResult> OpenNdsLanding(HttpContext http, PortalVisit page, UamContextProtector protector,
        IOptions<GatewayOptions> options)
    {
        var query = http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        if (query.GetValueOrDefault("status") == "authenticated")
        {
            return page.Message(page.T("OnlineTitle"), page.T("AlreadyOnline"));
        }

        if (!options.Value.External.Enabled || OpenNdsFas.TryParse(query, options.Value.External, out _) is not { } context)
        {
            return page.Message(page.T("FasInvalidTitle"), page.T("FasInvalidText"), status: StatusCodes.Status400BadRequest);
        }

        // openNDS sends the browser here over http (levels 0 and 1): the forms are on the portal's public (https) address.
        string welcome = page.LinkWithContext("/", protector.Protect(context));
        return new SeeOther(string.IsNullOrEmpty(page.Options.PublicUrl) ? welcome : page.PublicBase.TrimEnd('/') + welcome);
    }

    /// <summary>A WISPr smart client's POST to the signed redirect (its LoginURL): verified like the landing, then as <c>/wispr</c>.</summary>
    private static async Task<IResult> SmartClientAsync(HttpContext http, PortalVisit page, AccountService accounts, GatewayHandoff handoff,
        IOptions<GatewayOptions> options)
    {
        UamContext? context = UamRedirect.Verify(http, page.Options.PublicUrl, options.Value);
        return Reply(context is null
            ? WisprOutcome.Failed(255, "The redirect's signature does not match.")
            : await WisprLoginAsync(http, page, context, accounts, handoff).ConfigureAwait(false));
    }

    /// <summary>
    /// WISPr 1.0 smart clients post <c>UserName</c> and <c>Password</c> to the LoginURL. A good login is redirected to the
    /// gateway's logon URL, which answers the client with its own AuthenticationReply; a bad one gets our reply,
    /// MessageType 120 with ResponseCode 100 (login failed).
    /// </summary>
    private static async Task<WisprOutcome> WisprLoginAsync(HttpContext http, PortalVisit visit, UamContext context, AccountService accounts, GatewayHandoff handoff)
    {
        IFormCollection form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        string username = UsernameRules.Normalize(form["UserName"].ToString());
        string password = form["Password"].ToString();
        AuthResult result = await accounts.VerifyPasswordAsync(username, password, context.Mac, http.RequestAborted).ConfigureAwait(false);
        if (!result.IsAccepted)
        {
            return WisprOutcome.Failed(100, visit.T(result.Outcome == AuthOutcome.Locked ? "ErrLockedOut" : "ErrWrongCredentials", 15));
        }

        return handoff.LogonUrl(context, result.Username!, password) is { } logon
            ? new WisprOutcome(logon, 0, "")
            : WisprOutcome.Failed(255, "No challenge in the hotspot context.");
    }

    private static async Task<IResult> WisprAsync(HttpContext http, PortalVisit visit, AccountService accounts, GatewayHandoff handoff) =>
        Reply(visit.Uam is null
            ? WisprOutcome.Failed(255, "No valid hotspot context.")
            : await WisprLoginAsync(http, visit, visit.Uam, accounts, handoff).ConfigureAwait(false));

    private static IResult Reply(WisprOutcome outcome) =>
        outcome.LogonUrl is { } logon ? TypedResults.Redirect(logon) : TypedResults.Content(outcome.Reply(), "text/xml; charset=utf-8");

    /// <summary>
    /// RFC 8908 section 5: the state of one client. The client is named by <c>?mac=</c> (a per-client API URI the gateway's
    /// DHCP hands out) or <c>?ip=</c>, else by the address the request comes from; see docs/gateway.md.
    /// </summary>
    private static async Task<ContentHttpResult> CaptiveAsync(HttpContext http, AllowanceReader allowances, IOptions<PortalOptions> options, string? mac, string? ip)
    {
        string? device = MacAddress.TryNormalize(mac, out string? normalized) ? normalized : null;
        IPAddress? address = IPAddress.TryParse(ip, out IPAddress? given) ? given : http.Connection.RemoteIpAddress;
        if (address is { IsIPv4MappedToIPv6: true })
        {
            address = address.MapToIPv4();
        }

        (Allowance allowance, _) = await allowances.ForDeviceAsync(device, address, http.RequestAborted).ConfigureAwait(false);
        var state = new CaptiveState
        {
            Captive = !allowance.Online,
            UserPortalUrl = PortalVisit.PublicBaseOf(http, options.Value),
            VenueInfoUrl = string.IsNullOrEmpty(options.Value.VenueInfoUrl) ? null : options.Value.VenueInfoUrl,
            SecondsRemaining = allowance.Online && allowance.TimeLeft is { } left ? (long)left.TotalSeconds : null,
            BytesRemaining = allowance.Online ? allowance.BytesLeft : null,
            CanExtendSession = allowance.Online ? false : null,
        };
        http.Response.Headers.CacheControl = "private, no-store";
        return TypedResults.Content(System.Text.Json.JsonSerializer.Serialize(state, CaptiveJsonContext.Default.CaptiveState), CaptiveJson);
    }
}

/// <summary>RFC 8908 section 5 "API State Structure".</summary>
public sealed record CaptiveState
{
    [JsonPropertyName("captive")]
    public bool Captive { get; init; }

    [JsonPropertyName("user-portal-url")]
    public string? UserPortalUrl { get; init; }

    [JsonPropertyName("venue-info-url")]
    public string? VenueInfoUrl { get; init; }

    [JsonPropertyName("can-extend-session")]
    public bool? CanExtendSession { get; init; }

    [JsonPropertyName("seconds-remaining")]
    public long? SecondsRemaining { get; init; }

    [JsonPropertyName("bytes-remaining")]
    public long? BytesRemaining { get; init; }
}

[JsonSerializable(typeof(CaptiveState))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class CaptiveJsonContext : JsonSerializerContext;
