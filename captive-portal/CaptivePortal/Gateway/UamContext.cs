using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.DataProtection;
using Network.CaptivePortal.Accounts;

namespace Network.CaptivePortal.Gateway;

/// <summary>
/// One gateway redirect, verified: where the gateway listens, its challenge, the device. Carried from page to page as
/// a protected token (<see cref="UamContextProtector"/>) in the query string, since captive browsers drop cookies.
/// </summary>
public sealed record UamContext
{
    /// <summary><c>res</c>: notyet, success, failed, already, logoff (and popup1/2/3, which we treat as success).</summary>
    public string Result { get; init; } = "notyet";

    public string? UamIp { get; init; }

    public int UamPort { get; init; }

    /// <summary>The 16-byte challenge, hex.</summary>
    public string? Challenge { get; init; }

    /// <summary>The device's MAC, normalised (<c>02-11-22-33-44-55</c>).</summary>
    public string? Mac { get; init; }

    public string? Ip { get; init; }

    public string? NasId { get; init; }

    public string? SessionId { get; init; }

    public string? Called { get; init; }

    /// <summary>The page the person first asked for; only absolute http(s) URLs are kept.</summary>
    public string? UserUrl { get; init; }

    /// <summary><c>uid</c> on a success redirect: who is logged in.</summary>
    public string? Uid { get; init; }

    /// <summary><c>reply</c> on a failure: the RADIUS Reply-Message the gateway passed on.</summary>
    public string? Reply { get; init; }

    /// <summary><c>timeleft</c> on success, seconds, when the gateway says.</summary>
    public long? TimeLeft { get; init; }

    /// <summary>
    /// <see cref="OpenNdsFas.Flow"/> for an openNDS FAS redirect (the portal asks RADIUS itself and opens the gateway with
    /// <see cref="AuthUrl"/>); null for CoovaChilli's UAM.
    /// </summary>
    public string? Flow { get; init; }

    /// <summary>openNDS: the <c>tok</c> that opens the gateway (level 0: the client token; level 1: SHA-256 of hid and faskey).</summary>
    public string? FasToken { get; init; }

    /// <summary>openNDS: the virtual directory of <see cref="AuthUrl"/>.</summary>
    public string? AuthDir { get; init; }

    /// <summary>True for an openNDS FAS context.</summary>
    [JsonIgnore]
    public bool IsExternal => Flow == OpenNdsFas.Flow;

    /// <summary>
    /// openNDS: <c>http://gatewayaddress/authdir/?tok=…&amp;redir=…</c>, the URL that authenticates the client once the
    /// portal has its Access-Accept; openNDS then sends the browser on to <paramref name="redir"/>.
    /// </summary>
    public string AuthUrl(string redir) =>
        $"{GatewayBase()}/{AuthDir}/?tok={Uri.EscapeDataString(FasToken ?? "")}&redir={Uri.EscapeDataString(redir)}";

    /// <summary>The gateway's logon URL (Chilli): where the browser is sent with the encoded credentials.</summary>
    public string LogonUrl(string username, string encodedPassword)
    {
        string url = string.Create(CultureInfo.InvariantCulture,
            $"{GatewayBase()}/logon?username={Uri.EscapeDataString(username)}&password={encodedPassword}");
        return UserUrl is null ? url : url + "&userurl=" + Uri.EscapeDataString(UserUrl);
    }

    /// <summary>The gateway's log-off URL (Chilli).</summary>
    public string LogoffUrl() => GatewayBase() + "/logoff";

    /// <summary>The origin the browser is sent to, for the page's Content-Security-Policy form-action.</summary>
    public string GatewayOrigin() => GatewayBase();

    internal string GatewayBase()
    {
        IPAddress address = IPAddress.Parse(UamIp!);
        string host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        return string.Create(CultureInfo.InvariantCulture, $"http://{host}:{UamPort}");
    }

    /// <summary>
    /// Reads CoovaChilli's redirect parameters (already verified by <see cref="UamSignature"/>). False when they do not
    /// make a usable context: no gateway address or port, a challenge that is not 16 bytes.
    /// </summary>
    public static bool TryFromChilli(IReadOnlyDictionary<string, string> query, out UamContext context)
    {
        ArgumentNullException.ThrowIfNull(query);
        context = new UamContext();
        if (!query.TryGetValue("uamip", out string? uamip) || !IPAddress.TryParse(uamip, out _)
            || !query.TryGetValue("uamport", out string? port) || !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int uamPort)
            || uamPort is < 1 or > 65535)
        {
            return false;
        }

        string? challenge = query.GetValueOrDefault("challenge");
        if (challenge is not null && (challenge.Length != 32 || !challenge.All(char.IsAsciiHexDigit)))
        {
            return false;
        }

        context = new UamContext
        {
            Result = Limit(query.GetValueOrDefault("res"), 16) ?? "notyet",
            UamIp = uamip,
            UamPort = uamPort,
            Challenge = challenge,
            Mac = MacAddress.TryNormalize(query.GetValueOrDefault("mac"), out string? mac) ? mac : null,
            Ip = IPAddress.TryParse(query.GetValueOrDefault("ip"), out IPAddress? ip) ? ip.ToString() : null,
            NasId = Limit(query.GetValueOrDefault("nasid"), 64),
            SessionId = Limit(query.GetValueOrDefault("sessionid"), 64),
            Called = Limit(query.GetValueOrDefault("called"), 64),
            UserUrl = SafeUrl(query.GetValueOrDefault("userurl")),
            Uid = Limit(query.GetValueOrDefault("uid"), 64),
            Reply = Limit(query.GetValueOrDefault("reply"), 253),
            TimeLeft = long.TryParse(query.GetValueOrDefault("timeleft"), NumberStyles.None, CultureInfo.InvariantCulture, out long left) ? left : null,
        };
        return true;
    }

    /// <summary>An absolute http or https URL, at most 2000 characters; anything else is dropped (no javascript:, no relative paths).</summary>
    public static string? SafeUrl(string? url) =>
        url is { Length: <= 2000 } && Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri.AbsoluteUri
            : null;

    private static string? Limit(string? value, int length) =>
        string.IsNullOrEmpty(value) ? null : value.Length <= length ? value : value[..length];
}

/// <summary>Turns a <see cref="UamContext"/> into an opaque, authenticated, expiring token and back (ASP.NET Core Data Protection).</summary>
public sealed class UamContextProtector(IDataProtectionProvider provider, TimeProvider time, Microsoft.Extensions.Options.IOptions<GatewayOptions> options)
{
    private readonly ITimeLimitedDataProtector _protector = provider.CreateProtector("Network.CaptivePortal.Gateway.UamContext.v1").ToTimeLimitedDataProtector();

    public string Protect(UamContext context) =>
        _protector.Protect(JsonSerializer.Serialize(context, UamJsonContext.Default.UamContext), time.GetUtcNow() + options.Value.ContextLifetime);

    /// <summary>The context, or null when the token is missing, altered or expired.</summary>
    public UamContext? Unprotect(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 8192)
        {
            return null;
        }

        try
        {
            string json = _protector.Unprotect(token, out DateTimeOffset expires);
            return expires > time.GetUtcNow() ? JsonSerializer.Deserialize(json, UamJsonContext.Default.UamContext) : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}

[JsonSerializable(typeof(UamContext))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class UamJsonContext : JsonSerializerContext;
