using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Network.CaptivePortal.Gateway;

namespace Network.CaptivePortal.Portal;

/// <summary>One field's error, for the error summary and the field itself.</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>
/// What every page of one request shares: the language (from <c>?lang=</c>, else Accept-Language), the texts, the
/// gateway context token carried from page to page, and the layout (language switch, error summary, footer).
/// Links and form actions carry <c>lang</c> and <c>uam</c> in the query string, never in a cookie.
/// </summary>
public sealed class PortalPage
{
    private readonly HttpContext _http;
    private readonly IStringLocalizer<PortalText> _text;

    public PortalPage(HttpContext http, IStringLocalizer<PortalText> text, IOptions<PortalOptions> options, UamContextProtector protector)
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
            http.Items[PortalExtensions.GatewayOriginItem] = Uam.GatewayOrigin();
        }
    }

    public PortalOptions Options { get; }

    /// <summary><c>nl</c>, <c>fr</c> or <c>en</c>.</summary>
    public string Lang { get; }

    /// <summary>The verified gateway context of this visit, if the person came through a gateway.</summary>
    public UamContext? Uam { get; }

    public string? UamToken { get; private set; }

    /// <summary>A text in the page's language. A missing key is a bug the resource test catches; it shows as the key.</summary>
    public string T(string key) => _text[key].Value;

    public string T(string key, params object[] arguments) => string.Format(CultureInfo.CurrentCulture, _text[key].Value, arguments);

    /// <summary>A portal path with the language and the gateway context, and any extra parameters.</summary>
    public string Link(string path, params (string Name, string? Value)[] extra) => LinkIn(Lang, path, extra);

    /// <summary>A new-context page link (a token freshly made for a redirect).</summary>
    public string LinkWithContext(string path, string? uamToken, params (string Name, string? Value)[] extra)
    {
        UamToken = uamToken;
        return LinkIn(Lang, path, extra);
    }

    /// <summary>The hidden antiforgery field of a form.</summary>
    public Html Antiforgery()
    {
        IAntiforgery antiforgery = _http.RequestServices.GetRequiredService<IAntiforgery>();
        AntiforgeryTokenSet tokens = antiforgery.GetAndStoreTokens(_http);
        return Html.Of($"""<input type="hidden" name="{tokens.FormFieldName}" value="{tokens.RequestToken}">""");
    }

    /// <summary>
    /// A labelled input with its hint and error wired for screen readers (<c>aria-describedby</c>, <c>aria-invalid</c>);
    /// paste is never blocked and <paramref name="autocomplete"/> lets password managers fill it.
    /// </summary>
    public Html Field(string name, string label, string type, string autocomplete, string? value, string? hint, IReadOnlyList<FieldError> errors,
        bool required = true)
    {
        string? error = errors.FirstOrDefault(e => e.Field == name)?.Message;
        var describedBy = new List<string>();
        if (hint is not null)
        {
            describedBy.Add(name + "-hint");
        }

        if (error is not null)
        {
            describedBy.Add(name + "-error");
        }

        Html hintHtml = hint is null ? Html.Empty : Html.Of($"""<p class="hint" id="{name}-hint">{hint}</p>""");
        Html errorHtml = error is null ? Html.Empty
            : Html.Of($"""<p class="field-error" id="{name}-error"><span class="visually-hidden">{T("ErrorPrefix")} </span>{error}</p>""");
        Html described = describedBy.Count == 0 ? Html.Empty : Html.Of($""" aria-describedby="{string.Join(' ', describedBy)}" """);
        Html invalid = error is null ? Html.Empty : new Html(""" aria-invalid="true" """);
        Html requiredAttribute = required ? new Html(" required") : Html.Empty;
        Html spellcheck = type == "email" || name.Contains("user", StringComparison.Ordinal) ? new Html(""" autocapitalize="none" spellcheck="false" """) : Html.Empty;
        return Html.Of($"""
            <div class="field{(error is null ? "" : " field-invalid")}">
            <label for="{name}">{label}</label>
            {hintHtml}{errorHtml}<input id="{name}" name="{name}" type="{type}" autocomplete="{autocomplete}" value="{value ?? ""}"{described}{invalid}{spellcheck}{requiredAttribute}>
            </div>
            """);
    }

    /// <summary>The whole document: skip link, header with the language switch, main, footer.</summary>
    public Html Document(string title, Html main, IReadOnlyList<FieldError>? errors = null)
    {
        errors ??= [];
        string named = title.Contains(Options.NetworkName, StringComparison.Ordinal) ? title : title + " – " + Options.NetworkName;
        string fullTitle = (errors.Count > 0 ? T("ErrorPrefix") + " " : "") + named;
        Html summary = errors.Count == 0 ? Html.Empty : Html.Of($"""
            <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
            <h2 id="error-summary-title">{T("ErrorSummaryTitle")}</h2>
            <ul>{errors.Select(e => Html.Of($"""<li><a href="#{e.Field}">{e.Message}</a></li>"""))}</ul>
            </div>
            """);
        IEnumerable<Html> switches = PortalText.Languages.Select(lang => lang == Lang
            ? Html.Of($"""<li><a href="{SwitchLink(lang)}" lang="{lang}" hreflang="{lang}" aria-current="true">{PortalText.Autonym(lang)}</a></li>""")
            : Html.Of($"""<li><a href="{SwitchLink(lang)}" lang="{lang}" hreflang="{lang}">{PortalText.Autonym(lang)}</a></li>"""));
        return Html.Of($"""
            <!doctype html>
            <html lang="{Lang}">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{fullTitle}</title>
            <link rel="icon" href="/favicon.svg" type="image/svg+xml">
            <link rel="stylesheet" href="/portal.css">
            <script src="/portal.js" defer></script>
            </head>
            <body>
            <a class="skip-link" href="#main">{T("SkipToContent")}</a>
            <header class="site-header">
            <p class="brand"><a href="{Link("/")}">{Options.NetworkName}</a></p>
            <nav aria-label="{T("LanguageNav")}"><ul class="languages">{switches}</ul></nav>
            </header>
            <main id="main" tabindex="-1">
            {summary}{main}
            </main>
            <footer class="site-footer">
            <nav aria-label="{T("FooterNav")}"><ul>
            <li><a href="{Link("/")}#terms">{T("TermsLink")}</a></li>
            <li><a href="{Link("/accessibility")}">{T("AccessibilityLink")}</a></li>
            </ul></nav>
            </footer>
            </body>
            </html>
            """);
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
        var query = new List<string> { "lang=" + lang };
        if (UamToken is not null)
        {
            query.Add("uam=" + Uri.EscapeDataString(UamToken));
        }

        foreach ((string name, string? value) in extra)
        {
            if (value is not null)
            {
                query.Add(Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(value));
            }
        }

        return path + "?" + string.Join('&', query);
    }
}
