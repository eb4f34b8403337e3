using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Network.TestSupport;

namespace Network.CaptivePortal.Tests.Portal;

/// <summary>A browser-like client of the in-memory portal: keeps cookies, never follows redirects, fills forms as a person would.</summary>
public sealed partial class PortalClient(ServiceFactory<Program> portal) : IDisposable
{
    private readonly HttpClient _http = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public HttpClient Http => _http;

    public async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> GetAsync(string url, string? acceptLanguage = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.RelativeOrAbsolute));
        if (acceptLanguage is not null)
        {
            request.Headers.AcceptLanguage.ParseAdd(acceptLanguage);
        }

        HttpResponseMessage response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    /// <summary>Opens the page with the form, fills the fields, posts to the form's action with its antiforgery token.</summary>
    public async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> SubmitAsync(string pageUrl, IDictionary<string, string> fields,
        bool withAntiforgery = true)
    {
        var (_, page, _) = await GetAsync(pageUrl);
        string action = WebUtility.HtmlDecode(FormAction().Match(page).Groups[1].Value);
        var values = new Dictionary<string, string>(fields);
        if (withAntiforgery)
        {
            values["__RequestVerificationToken"] = Antiforgery().Match(page).Groups[1].Value;
        }

        return await PostAsync(action, values);
    }

    public async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> PostAsync(string action, IDictionary<string, string> values)
    {
        using var content = new FormUrlEncodedContent(values);
        HttpResponseMessage response = await _http.PostAsync(new Uri(action, UriKind.RelativeOrAbsolute), content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public static string Decode(string html) => WebUtility.HtmlDecode(html);

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("""<form method="post" action="([^"]+)""")]
    private static partial Regex FormAction();

    // The hidden field as Razor's form tag helper writes it (its attributes in any order).
    [GeneratedRegex("""<input[^>]*\bname="__RequestVerificationToken"[^>]*\bvalue="([^"]+)""")]
    private static partial Regex Antiforgery();
}
