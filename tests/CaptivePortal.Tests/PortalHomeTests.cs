using System.Net;
using Network.TestSupport;

namespace Network.CaptivePortal.Tests;

public class PortalHomeTests
{
    [Fact]
    public async Task Welcome_page_speaks_Dutch_to_a_Dutch_phone_offers_the_other_languages_and_the_service_is_ready()
    {
        await using var portal = new ServiceFactory<Program>();
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
