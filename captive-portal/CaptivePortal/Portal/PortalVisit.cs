using System.Globalization;
using System.Text;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Network.CaptivePortal.Gateway;
using Network.WebPages;

namespace Network.CaptivePortal.Portal;

/// <summary>
/// What every page of one request shares (one per request): the language (from <c>?lang=</c>, else Accept-Language), the
/// texts, and the gateway context token carried from page to page. Links and form actions carry <c>lang</c> and <c>uam</c>
/// in the query string, never in a cookie.
/// </summary>
public sealed class PortalVisit
{
    /// <summary>Items key: the gateway origin a page's forms may lead to (added to the CSP form-action).</summary>
    internal const string GatewayOriginItem = "portal.gateway-origin";

    private readonly HttpContext _http;
    private readonly IStringLocalizer<PortalText> _text;

    public PortalVisit(HttpContext http, IStringLocalizer<PortalText> text, IOptions<PortalOptions> options, UamContextProtector protector)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(protector);
        _http = http;
        _text = text;
        Options = options.Value;
        string name = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
        Lang = PortalText.Languages.Contains(name) ? name : "en";
        UamToken = http.Request.Query["uam"].ToString() is { Length: > 0 } token ? token : null;
        Uam = protector.Unprotect(UamToken);
        if (Uam is null)
        {
            UamToken = null;
        }
        else
        {
            http.Items[GatewayOriginItem] = Uam.GatewayOrigin();
        }
    }

    public PortalOptions Options { get; }

    /// <summary><c>nl</c>, <c>fr</c> or <c>en</c>.</summary>
    public string Lang { get; }

    /// <summary>The verified gateway context of this visit, if the person came through a gateway.</summary>
    public UamContext? Uam { get; }

    public string? UamToken
    {
        get;
        private set
        {
            field = value;
            _uamInQuery = value is null ? null : Uri.EscapeDataString(value);
        }
    }

    /// <summary><see cref="UamToken"/> escaped for a query string, made once: every link of every page carries it.</summary>
    private string? _uamInQuery;

    /// <summary>A text in the page's language. A missing key is a bug the resource test catches; it shows as the key.</summary>
    public string T(string key) => _text[key].Value;

    public string T(string key, params object[] arguments) => _text[key, arguments].Value;

    /// <summary>A portal path with the language and the gateway context, and any extra parameters.</summary>
    public string Link(string path, params (string Name, string? Value)[] extra) => LinkIn(Lang, path, extra);

    /// <summary>A new-context page link (a token freshly made for a redirect).</summary>
    public string LinkWithContext(string path, string? uamToken, params (string Name, string? Value)[] extra)
    {
        UamToken = uamToken;
        return LinkIn(Lang, path, extra);
    }

    /// <summary>The message page: a heading, one paragraph and a way on (by default back to the start).</summary>
    public PortalMessageResult Message(string title, string text, (string Path, string Label)? next = null, int status = StatusCodes.Status200OK)
    {
        (string path, string label) = next ?? ("/", T("BackToStart"));
        return new PortalMessageResult(new PortalMessage(title, text, path, label), status);
    }

    /// <summary>The portal's public base URL with a trailing slash: <see cref="PortalOptions.PublicUrl"/>, else this request's.</summary>
    public string PublicBase => PublicBaseOf(_http, Options);

    /// <summary>The language switch: the current page in each language, in the switch's order.</summary>
    public IEnumerable<LanguageLink> Languages => PortalText.Languages.Select(lang => new LanguageLink(lang, PortalText.Autonym(lang), SwitchLink(lang)));

    /// <summary>The portal's public base URL with a trailing slash: <see cref="PortalOptions.PublicUrl"/>, else the request's.</summary>
    public static string PublicBaseOf(HttpContext http, PortalOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        string configured = options.PublicUrl ?? "";
        string baseUrl = configured.Length > 0 ? configured : $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
        return baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/";
    }

    /// <summary>The current page in another language: a GET keeps its own query (but <c>lang</c>); a POST's page goes back to its form.</summary>
    private string SwitchLink(string lang)
    {
        if (!HttpMethods.IsGet(_http.Request.Method))
        {
            return LinkIn(lang, _http.Request.Path.Value ?? "/", []);
        }

        var extra = _http.Request.Query
            .Where(q => q.Key is not ("lang" or "uam"))
            .Select(q => (q.Key, (string?)q.Value.ToString()))
            .ToArray();
        return LinkIn(lang, _http.Request.Path.Value ?? "/", extra);
    }

    private string LinkIn(string lang, string path, (string Name, string? Value)[] extra)
    {
        string link = _uamInQuery is null ? $"{path}?lang={lang}" : $"{path}?lang={lang}&uam={_uamInQuery}";
        if (extra.Length == 0)
        {
            return link;
        }

        var withExtra = new StringBuilder(link);
        foreach ((string name, string? value) in extra)
        {
            if (value is not null)
            {
                withExtra.Append('&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            }
        }

        return withExtra.ToString();
    }
}
