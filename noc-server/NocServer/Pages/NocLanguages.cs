using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Primitives;
using StringWithQualityHeaderValue = Microsoft.Net.Http.Headers.StringWithQualityHeaderValue;
using Network.WebPages;

namespace Network.Noc.Pages;

/// <summary>
/// The language of a request: <c>?lang=</c> first, then the one remembered in the <c>noc.lang</c> cookie (set when a
/// page is asked for with <c>?lang=</c>), then Accept-Language, else English. The culture numbers and dates are
/// written in follows it (<see cref="NocText.Culture"/>).
/// </summary>
internal sealed class NocLanguageProvider : RequestCultureProvider
{
    public const string QueryKey = "lang";
    public const string CookieName = "noc.lang";

    // As ASP.NET Core's own provider: a browser's first few choices are enough.
    private const int AcceptLanguagesToTry = 3;

    public static RequestLocalizationOptions LocalizationOptions()
    {
        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(NocText.Culture("en"), CultureInfo.GetCultureInfo("en")),
            SupportedCultures = [.. NocText.Languages.Select(NocText.Culture)],
            SupportedUICultures = [.. NocText.Languages.Select(CultureInfo.GetCultureInfo)],
        };
        options.RequestCultureProviders = [new NocLanguageProvider()];
        return options;
    }

    /// <summary>
    /// The language asked for in the address, if it is one the NOC speaks (for the error page, in the address that
    /// went wrong).
    /// </summary>
    public static string? FromQuery(HttpRequest request)
    {
        IStatusCodeReExecuteFeature? error = request.HttpContext.Features.Get<IStatusCodeReExecuteFeature>();
        IEnumerable<KeyValuePair<string, StringValues>> query = error is null ? request.Query : QueryHelpers.ParseQuery(error.OriginalQueryString);
        StringValues values = query.FirstOrDefault(q => q.Key.Equals(QueryKey, StringComparison.OrdinalIgnoreCase)).Value;
        return values.Count == 1 ? NocText.Language(values[0]) : null;
    }

    public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
    {
        HttpRequest request = httpContext.Request;
        string? language = FromQuery(request) ?? NocText.Language(request.Cookies[CookieName]) ?? FromAcceptLanguage(request);
        return Task.FromResult(language is null ? null : new ProviderCultureResult(NocText.Culture(language).Name, language));
    }

    private static string? FromAcceptLanguage(HttpRequest request)
    {
        IList<StringWithQualityHeaderValue> accepted = request.GetTypedHeaders().AcceptLanguage;
        foreach (StringWithQualityHeaderValue value in accepted.Where(v => v.Quality is not 0)
            .OrderByDescending(v => v.Quality ?? 1).Take(AcceptLanguagesToTry))
        {
            if (NocText.Language(value.Value.Value) is { } language)
            {
                return language;
            }
        }

        return null;
    }
}

/// <summary>
/// What every page gets: the security headers (<see cref="SecurityHeaders.ForPage"/>), and the language asked for
/// with <c>?lang=</c> remembered in a cookie for the next pages.
/// </summary>
internal sealed class NocPageFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        HttpContext http = context.HttpContext;
        SecurityHeaders.ForPage(http.Response);
        if (NocLanguageProvider.FromQuery(http.Request) is { } language && http.Request.Cookies[NocLanguageProvider.CookieName] != language)
        {
            http.Response.Cookies.Append(NocLanguageProvider.CookieName, language, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = http.Request.IsHttps,
                MaxAge = TimeSpan.FromDays(365),
                IsEssential = true,
            });
        }

        return next();
    }
}

/// <summary>The layout's helpers for languages.</summary>
public static class NocLanguageLinks
{
    /// <summary>
    /// The current page in each language: the same path and query, with <c>lang</c> set (on an error page, the
    /// address that went wrong).
    /// </summary>
    public static IReadOnlyList<LanguageLink> For(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        IStatusCodeReExecuteFeature? error = request.HttpContext.Features.Get<IStatusCodeReExecuteFeature>();
        string path = error is null ? request.PathBase + request.Path : error.OriginalPathBase + error.OriginalPath;
        IEnumerable<KeyValuePair<string, StringValues>> query = error is null ? request.Query : QueryHelpers.ParseQuery(error.OriginalQueryString);
        return [.. NocText.Languages.Select(language =>
            new LanguageLink(language, Autonym(language), PageLinks.With(path, query, (NocLanguageProvider.QueryKey, language))))];
    }

    /// <summary>A language's name in itself, capitalised as at the start of a sentence ("Nederlands", "Français").</summary>
    public static string Autonym(string language)
    {
        CultureInfo culture = CultureInfo.GetCultureInfo(language);
        string name = culture.NativeName;
        return name.Length == 0 ? language : char.ToUpper(name[0], culture) + name[1..];
    }

    /// <summary>
    /// The scripts' texts (keys starting with <see cref="NocText.ScriptTextPrefix"/>, without it) as a JSON object, for
    /// a <c>&lt;script type="application/json"&gt;</c> block: never run, so the CSP allows it, and written with every
    /// <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c> escaped, so no text can end the block.
    /// </summary>
    public static string ScriptTexts(IStringLocalizer text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var texts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (LocalizedString s in text.GetAllStrings(includeParentCultures: true))
        {
            if (s.Name.StartsWith(NocText.ScriptTextPrefix, StringComparison.Ordinal))
            {
                texts.TryAdd(s.Name[NocText.ScriptTextPrefix.Length..], s.Value);
            }
        }

        return JsonSerializer.Serialize(texts);
    }
}
