using System.Net;
using Network.TestSupport;

namespace Network.CaptivePortal.Tests;

public class PortalHomeTests
{
    [Fact]
    public async Task Welcome_page_speaks_Dutch_French_and_English_and_the_service_is_ready()
    {
        await using var portal = new ServiceFactory<Program>();
        using HttpClient client = portal.CreateClient();

        string page = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        using var metrics = await client.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains("<html lang=\"nl\">", page, StringComparison.Ordinal);
        Assert.Contains("<p lang=\"fr\">", page, StringComparison.Ordinal);
        Assert.Contains("<p lang=\"en\">", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
    }
}
