using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Network.Noc.Tests.Pages;

/// <summary>
/// Each page of the NOC in Dutch, French and English: from <c>?lang=</c>, from Accept-Language, and from the choice
/// remembered in a cookie; the page's <c>lang</c>, its language switch, and the texts it hands to its script.
/// </summary>
public sealed partial class PageLanguageTests
{
    /// <summary>A page and a text of it in nl, fr and en: each appears in its language only.</summary>
    public static TheoryData<string, string, string, string> Pages() => new()
    {
        { "/", "Statusbord", "Tableau d'état", "Status board" },
        { "/map", "Vorm en kleur", "La forme et la couleur", "Shape and colour" },
        { "/alarms", "Geselecteerde bevestigen", "Acquitter la sélection", "Acknowledge selected" },
        { "/sites/hs-beursplein", "Afgelopen uur", "Dernière heure", "Last hour" },
        { "/login", "Netwerkbeheercentrum", "Centre d'exploitation du réseau", "Network operations centre" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Each_page_speaks_the_language_asked_for_and_no_other(string path, string dutch, string french, string english)
    {
        await using NocHost noc = await NocHost.StartAsync();
        HttpClient client = await noc.SignedInAsync("planner");
        var words = new Dictionary<string, string> { ["nl"] = dutch, ["fr"] = french, ["en"] = english };
        string separator = path.Contains('?', StringComparison.Ordinal) ? "&" : "?";

        foreach ((string language, string word) in words)
        {
            (HttpStatusCode status, string html) = await GetAsync(client, $"{path}{separator}lang={language}");

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains(word, html, StringComparison.Ordinal);
            Assert.All(words.Where(w => w.Key != language), other => Assert.DoesNotContain(other.Value, html, StringComparison.Ordinal));
            Assert.Contains($"<html lang=\"{language}-{(language == "en" ? "GB" : "BE")}\">", html, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("fr-BE,fr;q=0.9,en;q=0.5", "Tableau d'état")]
    [InlineData("de-DE,nl;q=0.8", "Statusbord")]
    [InlineData("nl;q=0.2,fr;q=0.8", "Tableau d'état")]
    [InlineData("de-DE", "Status board")]
    [InlineData("", "Status board")]
    public async Task Without_a_choice_the_browser_s_languages_decide(string acceptLanguage, string word)
    {
        await using NocHost noc = await NocHost.StartAsync();
        HttpClient client = await noc.SignedInAsync("planner");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);

        using HttpResponseMessage response = await client.SendAsync(request);
        string html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Contains($"<h1>{word}</h1>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_language_chosen_with_lang_is_remembered_over_the_browser_s_until_another_is_chosen()
    {
        await using NocHost noc = await NocHost.StartAsync();
        HttpClient client = await noc.SignedInAsync("engineer");
        client.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Language", "nl-BE");

        using HttpResponseMessage chosen = await client.GetAsync(new Uri("/map?lang=fr", UriKind.Relative));
        (_, string next) = await GetAsync(client, "/alarms");
        (_, string ignored) = await GetAsync(client, "/alarms?lang=de");
        (_, string english) = await GetAsync(client, "/?lang=en");
        (_, string after) = await GetAsync(client, "/alarms");

        string cookie = Assert.Single(chosen.Headers.GetValues("Set-Cookie"), c => c.StartsWith("noc.lang=", StringComparison.Ordinal));
        Assert.Contains("noc.lang=fr;", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Acquitter la sélection", next, StringComparison.Ordinal);
        Assert.Contains("Acquitter la sélection", ignored, StringComparison.Ordinal);
        Assert.Contains("Status board", english, StringComparison.Ordinal);
        Assert.Contains("Acknowledge selected", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_language_switch_links_to_the_same_page_and_query_in_each_language()
    {
        await using NocHost noc = await NocHost.StartAsync();
        HttpClient client = await noc.SignedInAsync("planner");

        (_, string html) = await GetAsync(client, "/alarms?state=open&lang=nl&site=hs-beursplein");
        var links = SwitchLink().Matches(html).ToDictionary(m => m.Groups[2].Value, m => m);

        Assert.Equal(["nl", "fr", "en"], links.Keys);
        Assert.Equal("/alarms?state=open&site=hs-beursplein&lang=fr", links["fr"].Groups[1].Value);
        Assert.Equal("Français", links["fr"].Groups[4].Value);
        Assert.Equal("Nederlands", links["nl"].Groups[4].Value);
        Assert.Contains("aria-current", links["nl"].Groups[3].Value, StringComparison.Ordinal);
        Assert.DoesNotContain("aria-current", links["en"].Groups[3].Value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nl", "Live", "{n} open alarmen op {site}")]
    [InlineData("fr", "En direct", "{n} alarmes ouvertes à {site}")]
    [InlineData("en", "Live", "{n} open alarms at {site}")]
    public async Task The_page_hands_its_script_the_texts_of_its_language_in_a_JSON_block_that_cannot_be_closed_early(string language, string live, string openAlarms)
    {
        await using NocHost noc = await NocHost.StartAsync();
        HttpClient client = await noc.SignedInAsync("planner");

        using HttpResponseMessage response = await client.GetAsync(new Uri($"/?lang={language}", UriKind.Relative));
        string raw = await response.Content.ReadAsStringAsync();
        Match block = TextBlock().Match(raw);
        using JsonDocument texts = JsonDocument.Parse(block.Groups[1].Value);

        Assert.True(block.Success, raw);
        Assert.DoesNotContain("<", block.Groups[1].Value, StringComparison.Ordinal);
        Assert.Equal(live, texts.RootElement.GetProperty("LiveOn").GetString());
        Assert.Equal(openAlarms, texts.RootElement.GetProperty("OpenAlarmsAt").GetString());
        Assert.False(texts.RootElement.TryGetProperty("BoardTitle", out _)); // only the scripts' texts
        Assert.Contains("data-time-zone=\"Europe/Brussels\"", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_in_the_language_of_the_login_page()
    {
        await using NocHost noc = await NocHost.StartAsync();
        using HttpClient client = noc.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        string form = await client.GetStringAsync(new Uri("/login?lang=fr", UriKind.Relative));
        string token = AntiforgeryField().Match(form).Groups[1].Value;

        using HttpResponseMessage response = await client.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent(
            new Dictionary<string, string> { ["name"] = "admin", ["password"] = "not it", ["returnUrl"] = "/", ["__RequestVerificationToken"] = token }));
        string html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Nom d'utilisateur ou mot de passe incorrect.", html, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"fr-BE\">", html, StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode Status, string Html)> GetAsync(HttpClient client, string path)
    {
        using HttpResponseMessage response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    [GeneratedRegex("""<li><a href="([^"]*)" lang="(\w+)" hreflang="\w+"([^>]*)>([^<]*)</a></li>""")]
    private static partial Regex SwitchLink();

    [GeneratedRegex("""<script type="application/json" id="noc-text">(.*?)</script>""", RegexOptions.Singleline)]
    private static partial Regex TextBlock();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*? value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
