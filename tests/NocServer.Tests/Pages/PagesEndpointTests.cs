using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Network.Noc.Pages;

namespace Network.Noc.Tests.Pages;

/// <summary>
/// The login form and the page shells over HTTP (the browser tests in EndToEnd.Tests/Noc drive them in Chromium):
/// antiforgery, where a login may send the browser, the rate limit, and the headers every page is sent with.
/// </summary>
public sealed partial class PagesEndpointTests
{
    [Theory]
    [InlineData("", "/")]
    [InlineData(null, "/")]
    [InlineData("/alarms?state=open&site=hs-beursplein", "/alarms?state=open&site=hs-beursplein")]
    [InlineData("/sites/fts-jette", "/sites/fts-jette")]
    [InlineData("//evil.example/path", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("javascript:alert(1)", "/")]
    [InlineData("alarms", "/")]
    [InlineData("/alarms\r\nSet-Cookie: x=y", "/")]
    [InlineData("/a\\b", "/")]
    public void Only_a_path_on_this_site_is_a_place_to_return_to(string? returnUrl, string expected) =>
        Assert.Equal(expected, PagesExtensions.LocalPathOrRoot(returnUrl));

    [Fact]
    public void A_return_path_longer_than_2048_characters_goes_home() =>
        Assert.Equal("/", PagesExtensions.LocalPathOrRoot("/" + new string('a', 2048)));

    [Fact]
    public async Task A_login_without_the_antiforgery_token_is_refused_and_signs_nobody_in()
    {
        await using NocHost noc = await NocHost.StartAsync();
        using HttpClient client = noc.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        _ = await client.GetStringAsync(new Uri("/login", UriKind.Relative)); // the antiforgery cookie, but not its form field

        using HttpResponseMessage response = await PostLoginAsync(client, "admin", NocHost.Password, "/", token: null);
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("The form had expired", body, StringComparison.Ordinal);
        Assert.DoesNotContain(SetCookies(response), c => c.StartsWith("noc.session=", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("//evil.example/phish", "/")]
    [InlineData("/alarms?state=cleared", "/alarms?state=cleared")]
    public async Task A_login_sends_the_browser_back_only_to_a_page_of_the_NOC(string returnUrl, string location)
    {
        await using NocHost noc = await NocHost.StartAsync();
        using HttpClient client = noc.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        string token = await TokenAsync(client);

        using HttpResponseMessage response = await PostLoginAsync(client, "engineer", NocHost.Password, returnUrl, token);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
        Assert.Contains(SetCookies(response), c => c.StartsWith("noc.session=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_password_gets_401_and_the_form_again_with_the_same_message_as_an_unknown_user()
    {
        await using NocHost noc = await NocHost.StartAsync();
        using HttpClient client = noc.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        using HttpResponseMessage wrong = await PostLoginAsync(client, "admin", "not the password", "/map", await TokenAsync(client));
        string wrongBody = await wrong.Content.ReadAsStringAsync();
        using HttpResponseMessage unknown = await PostLoginAsync(client, "nobody-here", "not the password", "/map", await TokenAsync(client));
        string unknownBody = await unknown.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Contains("Wrong user name or password.", wrongBody, StringComparison.Ordinal);
        Assert.Equal(ErrorLine(wrongBody), ErrorLine(unknownBody));
        Assert.Contains("name=\"returnUrl\" value=\"/map\"", wrongBody, StringComparison.Ordinal);
        Assert.DoesNotContain(SetCookies(wrong), c => c.StartsWith("noc.session=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sign_in_attempts_over_the_limit_of_a_minute_get_429()
    {
        await using NocHost noc = await NocHost.StartAsync(("Pages:LoginAttemptsPerMinute", "3"));
        using HttpClient client = noc.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var statuses = new List<HttpStatusCode>();

        for (int i = 0; i < 4; i++)
        {
            using HttpResponseMessage response = await PostLoginAsync(client, "admin", "wrong " + i, "/", await TokenAsync(client));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/map")]
    [InlineData("/alarms")]
    [InlineData("/sites/hs-beursplein")]
    [InlineData("/sla/programme?from=2026-01&to=2026-12")]
    [InlineData("/sla/schools/fts-anderlecht")]
    [InlineData("/sla/schools/fts-anderlecht/edit")]
    [InlineData("/sla/maintenance")]
    public async Task A_page_is_a_static_shell_with_a_strict_CSP_that_is_never_cached(string path)
    {
        await using NocHost noc = await NocHost.StartAsync();
        HttpClient client = await noc.SignedInAsync("planner");

        using HttpResponseMessage response = await client.GetAsync(new Uri(path, UriKind.Relative));
        string html = await response.Content.ReadAsStringAsync();
        string csp = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.DoesNotMatch("<script(?![^>]*\\s(src=|type=\"application/json\"))", html); // no inline script (a JSON data block is never run)
        Assert.DoesNotContain(" style=", html, StringComparison.Ordinal); // no inline style
        Assert.Contains("data-role=\"planner\"", html, StringComparison.Ordinal);
        Assert.Contains("<main id=\"main\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_site_id_is_written_into_the_page_as_text_never_as_markup()
    {
        await using NocHost noc = await NocHost.StartAsync();
        HttpClient client = await noc.SignedInAsync("engineer");

        string html = await client.GetStringAsync(new Uri("/sites/%22%3E%3Cscript%3Ealert(1)%3C", UriKind.Relative));

        Match attribute = DataSite().Match(html);

        Assert.DoesNotContain("<script>alert(1)", html, StringComparison.Ordinal);
        Assert.True(attribute.Success, html);
        Assert.Equal("\"><script>alert(1)<", WebUtility.HtmlDecode(attribute.Groups[1].Value));
    }

    [Theory]
    [InlineData("/js/noc.js", "text/javascript")]
    [InlineData("/css/noc.css", "text/css")]
    [InlineData("/lib/signalr.min.js", "text/javascript")]
    [InlineData("/lib/uPlot.iife.min.js", "text/javascript")]
    [InlineData("/favicon.ico", "image/x-icon")]
    public async Task The_pages_files_are_served_to_anyone_with_nosniff(string path, string type)
    {
        await using NocHost noc = await NocHost.StartAsync();
        using HttpClient client = noc.Anonymous();

        using HttpResponseMessage response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", string.Join(',', response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Theory]
    [InlineData("/appsettings.json")]
    [InlineData("/package.json")]
    [InlineData("/js/../appsettings.json")]
    [InlineData("/wwwroot/js/noc.js")]
    [InlineData("/node_modules/uplot/package.json")]
    [InlineData("/favicon.ico/../appsettings.json")]
    [InlineData("/wwwroot/favicon.ico")]
    public async Task Nothing_else_of_the_service_folder_is_served(string path)
    {
        await using NocHost noc = await NocHost.StartAsync();
        HttpClient client = await noc.SignedInAsync("admin");

        using HttpResponseMessage response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("/no-such-page?lang=fr", "Page introuvable")]
    [InlineData("/sites/", "Page not found")]
    [InlineData("/error/403", "Page not found")] // asked for directly, the error page is a page that does not exist
    public async Task A_page_that_does_not_exist_is_a_404_page_in_the_person_s_language_with_the_page_s_headers(string path, string title)
    {
        await using NocHost noc = await NocHost.StartAsync();
        HttpClient client = await noc.SignedInAsync("planner");

        using HttpResponseMessage response = await client.GetAsync(new Uri(path, UriKind.Relative));
        string html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains($"<h1>{title}</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<header class=\"top\">", html, StringComparison.Ordinal); // signed in: the navigation is there
        Assert.DoesNotContain("id=\"noc-text\"", html, StringComparison.Ordinal); // no script on an error page
        Assert.Contains("frame-ancestors 'none'", string.Join(' ', response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_logout_without_its_token_is_refused_with_the_error_page_and_signs_nobody_out()
    {
        await using NocHost noc = await NocHost.StartAsync();
        HttpClient client = await noc.SignedInAsync("engineer");

        using HttpResponseMessage refused = await client.PostAsync(new Uri("/logout", UriKind.Relative), new FormUrlEncodedContent([]));
        string html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        using HttpResponseMessage still = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("<h1>The request was refused</h1>", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }

    [Theory]
    [InlineData("/map")]
    [InlineData("/")]
    public async Task A_page_without_a_form_answers_a_post_with_405_as_before(string path)
    {
        await using NocHost noc = await NocHost.StartAsync();
        HttpClient client = await noc.SignedInAsync("engineer");

        using HttpResponseMessage response = await client.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/no-such-thing")]
    [InlineData("/hubs/nothing")]
    public async Task The_API_s_errors_stay_without_an_HTML_page(string path)
    {
        await using NocHost noc = await NocHost.StartAsync();
        HttpClient client = await noc.SignedInAsync("planner");

        using HttpResponseMessage response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> TokenAsync(HttpClient client)
    {
        string form = await client.GetStringAsync(new Uri("/login", UriKind.Relative));
        return AntiforgeryField().Match(form).Groups[1].Value;
    }

    private static Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string name, string password, string returnUrl, string? token)
    {
        var fields = new Dictionary<string, string> { ["name"] = name, ["password"] = password, ["returnUrl"] = returnUrl };
        if (token is not null)
        {
            fields["__RequestVerificationToken"] = token;
        }

        return client.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent(fields));
    }

    private static List<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out IEnumerable<string>? values) ? [.. values] : [];

    private static string ErrorLine(string html) => ErrorParagraph().Match(html).Value;

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*? value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("data-site=\"([^\"<>]*)\"")]
    private static partial Regex DataSite();

    [GeneratedRegex("<div class=\"error-summary\"[\\s\\S]*?</div>")]
    private static partial Regex ErrorParagraph();
}
