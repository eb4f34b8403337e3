using System.Net;
using Network.TestSupport;

namespace Network.CaptivePortal.Tests;

public class PortalHomeTests
{
    [Fact]
    public async Task Welcome_page_speaks_Dutch_to_a_Dutch_phone_offers_the_other_languages_and_the_service_is_ready()
    {
        // RADIUS on free loopback ports: the defaults (1812/1813 on every address) may be held by another suite running at the same time.
        await using var portal = new ServiceFactory<Program>()
            .With("Radius:BindAddress", "127.0.0.1").With("Radius:AuthPort", "0").With("Radius:AcctPort", "0");
        using HttpClient client = portal.CreateClient();

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
        request.Headers.AcceptLanguage.ParseAdd("nl-BE");
        using HttpResponseMessage home = await client.SendAsync(request);
        string page = await home.Content.ReadAsStringAsync();
        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        using var metrics = await client.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains("<html lang=\"nl\">", page, StringComparison.Ordinal);
        Assert.Contains("Nieuwe gebruiker", page, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/?lang=fr\" lang=\"fr\" hreflang=\"fr\">Français</a>", page, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/?lang=en\" lang=\"en\" hreflang=\"en\">English</a>", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
    }
}
