using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Network.CaptivePortal.Accounts;

namespace Network.CaptivePortal.Gateway;

/// <summary>
/// openNDS's Forwarding Authentication Service (FAS) redirect, as the gateway sends it to the portal (its <c>fasport</c>
/// and <c>faspath</c>), at the two levels that open the gateway with a GET:
/// <list type="bullet">
/// <item><c>fas_secure_enabled=0</c>: <c>?authaction=http://gatewayaddress/authdir/?clientip=…&amp;gatewayname=…&amp;tok=…&amp;redir=…</c>;
/// the client's token travels in clear, so anyone on the network could open the gateway without the portal
/// (<see cref="ExternalPortalOptions.AcceptLevel0"/>).</item>
/// <item><c>fas_secure_enabled=1</c> with a <c>faskey</c>: <c>?fas=BASE64&amp;redir=…</c>, where the base64 (standard
/// alphabet, sent unescaped, so a <c>+</c> arrives as a space) holds <c>name=value</c> pairs separated by a comma and
/// a space: <c>hid</c>, <c>clientip</c>, <c>clientmac</c>, <c>gatewayname</c> (URL-encoded), <c>gatewayaddress</c>
/// (<c>ip:port</c>), <c>originurl</c> (URL-encoded), and more that are not needed here. The portal returns
/// <c>tok</c> = lower-case hex SHA-256(hid ‖ faskey); openNDS compares it with its own.</item>
/// </list>
/// Either way the portal later sends the browser to <c>http://gatewayaddress/authdir/?tok=…&amp;redir=…</c>
/// (<see cref="UamContext.AuthUrl"/>). Levels 2 and 3 (AES, authmon) are not supported.
/// </summary>
public static class OpenNdsFas
{
    /// <summary><see cref="UamContext.Flow"/> of an openNDS context.</summary>
    public const string Flow = "opennds";

    private const int MaxEncodedLength = 4096;
    private const int HidLength = 64;
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The <c>tok</c> a level 1 FAS returns: lower-case hex SHA-256 of hid followed by faskey.</summary>
    public static string ReturnToken(string hid, string fasKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(hid + fasKey)));

    /// <summary>
    /// The context of a redirect, or null with <paramref name="problem"/> saying why: a level that is not accepted, a
    /// missing or malformed parameter, a gateway address outside <see cref="ExternalPortalOptions.GatewayNetworks"/>.
    /// </summary>
    public static UamContext? TryParse(IReadOnlyDictionary<string, string> query, ExternalPortalOptions options, out string problem)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(options);
        if (query.TryGetValue("fas", out string? fas))
        {
            return options.FasKey.Length == 0 ? Fail("level 1 (fas=) is not configured (Gateway:External:FasKey)", out problem)
                : query.ContainsKey("iv") ? Fail("levels 2 and 3 (AES) are not supported", out problem)
                : Level1(fas, query.GetValueOrDefault("redir"), options, out problem);
        }

        if (query.TryGetValue("authaction", out string? authaction))
        {
            return options.AcceptLevel0 ? Level0(authaction, query, options, out problem)
                : Fail("level 0 (authaction=) is not accepted (Gateway:External:AcceptLevel0)", out problem);
        }

        return Fail("neither fas= nor authaction=", out problem);
    }

    private static UamContext? Level1(string encoded, string? redir, ExternalPortalOptions options, out string problem)
    {
        // openNDS writes standard base64 into the URL unescaped: a '+' arrives decoded as a space.
        string base64 = encoded.Replace(' ', '+');
        byte[] buffer = new byte[base64.Length];
        if (base64.Length is 0 or > MaxEncodedLength || !Convert.TryFromBase64String(base64, buffer, out int written))
        {
            return Fail("fas= is not base64", out problem);
        }

        string text;
        try
        {
            text = s_strictUtf8.GetString(buffer, 0, written);
        }
        catch (DecoderFallbackException)
        {
            return Fail("fas= is not UTF-8", out problem);
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in text.Split(", "))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                fields.TryAdd(pair[..equals].Trim(), pair[(equals + 1)..]);
            }
        }

        string? hid = fields.GetValueOrDefault("hid");
        if (hid is not { Length: HidLength } || !hid.All(char.IsAsciiHexDigit))
        {
            return Fail("no hid of 64 hex digits", out problem);
        }

        if (GatewayAddress(fields.GetValueOrDefault("gatewayaddress"), options) is not { } gateway)
        {
            return Fail("no gatewayaddress ip:port in Gateway:External:GatewayNetworks", out problem);
        }

        if (!IPAddress.TryParse(fields.GetValueOrDefault("clientip"), out IPAddress? client))
        {
            return Fail("no clientip", out problem);
        }

        string authDir = fields.GetValueOrDefault("authdir") is { } dir ? dir : options.AuthDir;
        if (!IsAuthDir(authDir))
        {
            return Fail("an authdir that is not a plain name", out problem);
        }

        problem = "";
        return new UamContext
        {
            Flow = Flow,
            UamIp = gateway.Address.ToString(),
            UamPort = gateway.Port,
            AuthDir = authDir,
            FasToken = ReturnToken(hid.ToLowerInvariant(), options.FasKey),
            Ip = client.ToString(),
            Mac = MacAddress.TryNormalize(fields.GetValueOrDefault("clientmac"), out string? mac) ? mac : null,
            NasId = Limit(Unescape(fields.GetValueOrDefault("gatewayname")), 64),
            UserUrl = UamContext.SafeUrl(Unescape(fields.GetValueOrDefault("originurl"))) ?? UamContext.SafeUrl(redir),
        };
    }

    private static UamContext? Level0(string authaction, IReadOnlyDictionary<string, string> query, ExternalPortalOptions options, out string problem)
    {
        // authaction=http://gatewayaddress/authdir/?clientip=… (openNDS does not escape it, so its own query ends at the first '&').
        if (authaction.Length > 2000 || !Uri.TryCreate(authaction, UriKind.Absolute, out Uri? action) || action.Scheme != Uri.UriSchemeHttp
            || action.UserInfo.Length > 0)
        {
            return Fail("authaction is not http://address:port/authdir/", out problem);
        }

        if (GatewayAddress($"{action.Host}:{action.Port.ToString(CultureInfo.InvariantCulture)}", options) is not { } gateway)
        {
            return Fail("authaction names a gateway outside Gateway:External:GatewayNetworks", out problem);
        }

        string authDir = action.AbsolutePath.Trim('/');
        if (!IsAuthDir(authDir))
        {
            return Fail("authaction's path is not /authdir/", out problem);
        }

        string? tok = query.GetValueOrDefault("tok");
        if (tok is not { Length: >= 4 and <= 64 } || !tok.All(char.IsAsciiLetterOrDigit))
        {
            return Fail("no tok", out problem);
        }

        string? clientIp = action.Query.StartsWith("?clientip=", StringComparison.Ordinal) ? Uri.UnescapeDataString(action.Query["?clientip=".Length..]) : query.GetValueOrDefault("clientip");
        problem = "";
        return new UamContext
        {
            Flow = Flow,
            UamIp = gateway.Address.ToString(),
            UamPort = gateway.Port,
            AuthDir = authDir,
            FasToken = tok,
            Ip = IPAddress.TryParse(clientIp, out IPAddress? client) ? client.ToString() : null,
            NasId = Limit(query.GetValueOrDefault("gatewayname"), 64),
            UserUrl = UamContext.SafeUrl(query.GetValueOrDefault("redir")),
        };
    }

    private static IPEndPoint? GatewayAddress(string? text, ExternalPortalOptions options)
    {
        if (text is null || !IPEndPoint.TryParse(text, out IPEndPoint? endPoint) || endPoint.Port == 0 || !text.Contains(':', StringComparison.Ordinal))
        {
            return null;
        }

        IPAddress address = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
        return options.AllowedGatewayNetworks().Any(n => n.Contains(address)) ? new IPEndPoint(address, endPoint.Port) : null;
    }

    private static bool IsAuthDir(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') && name is not ("." or "..");

    private static string? Unescape(string? value)
    {
        if (value is null)
        {
            return null;
        }

        try
        {
            return Uri.UnescapeDataString(value);
        }
        catch (UriFormatException)
        {
            return null;
        }
    }

    private static string? Limit(string? value, int length) =>
        string.IsNullOrEmpty(value) ? null : value.Length <= length ? value : value[..length];

    private static UamContext? Fail(string why, out string problem)
    {
        problem = why;
        return null;
    }
}
