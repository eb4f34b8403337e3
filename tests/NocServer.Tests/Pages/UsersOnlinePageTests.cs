using System.Net;
using Microsoft.Extensions.Time.Testing;
using Network.Contracts;
using Network.TestSupport;

namespace Network.Noc.Tests.Pages;

/// <summary>
/// Users online per hotspot as the server writes them on the status board and a hotspot's page (the browser test in
/// EndToEnd.Tests/Noc follows them live): the portal's last figure and its time in the page's language and Brussels
/// time, "no figure yet" for a hotspot without one, and nothing of it on a school's page.
/// </summary>
public sealed class UsersOnlinePageTests
{
    private const string School = "fts-anderlecht";
    private const string Silent = "hs-flageyplein";

    [Fact]
    public async Task A_portal_report_shows_on_the_board_and_the_hotspots_page_in_dutch_french_and_english_and_a_school_shows_none()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 10, 21, 5, 0, TimeSpan.Zero)); // 22:05 in Brussels
        await using NocHost noc = await NocHost.StartAsync(time);
        using HttpClient planner = await noc.SignedInAsync("planner");
        using HttpClient engineer = await noc.SignedInAsync("engineer");
        string before = await planner.GetStringAsync(new Uri("/?lang=en", UriKind.Relative));

        using (HttpResponseMessage stored = await noc.IngestAsync(NocHost.Batch(1,
            NocHost.Reading(MetricNames.UsersOnline, 1234, NocHost.Site, DeviceNames.Hotspot, time.GetUtcNow()))))
        {
            Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        }

        await Peers.WaitUntilAsync(async () => // the ingest writer stores a batch after it answers the agent
            (await planner.GetStringAsync(new Uri("/?lang=en", UriKind.Relative))).Contains("data-users=\"1234\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), "the figure on the board");
        var board = new Dictionary<string, string>();
        var site = new Dictionary<string, string>();
        foreach (string language in new[] { "nl", "fr", "en" })
        {
            board[language] = await planner.GetStringAsync(new Uri($"/?lang={language}", UriKind.Relative));
            site[language] = await engineer.GetStringAsync(new Uri($"/sites/{NocHost.Site}?lang={language}", UriKind.Relative));
        }

        string school = await engineer.GetStringAsync(new Uri($"/sites/{School}", UriKind.Relative));
        string silent = await engineer.GetStringAsync(new Uri($"/sites/{Silent}?lang=fr", UriKind.Relative));

        Assert.Contains($"<tr data-site=\"{NocHost.Site}\">", before, StringComparison.Ordinal);
        Assert.DoesNotContain("data-users=\"1234\"", before, StringComparison.Ordinal);
        Assert.DoesNotContain($"<tr data-site=\"{School}\">", before, StringComparison.Ordinal);
        const string Time = "(<time datetime=\"2026-03-10T21:05:00.000Z\">10/03/2026 22:05</time>)";
        Assert.Contains("Gebruikers online per hotspot", board["nl"], StringComparison.Ordinal);
        Assert.Contains("Utilisateurs en ligne par hotspot", board["fr"], StringComparison.Ordinal);
        Assert.Contains("Users online per hotspot", board["en"], StringComparison.Ordinal);
        // French groups thousands with a narrow no-break space, which the page writes as an entity.
        foreach ((string language, string number, string none) in new[] { ("nl", "1.234", "Nog geen cijfer"), ("fr", "1&#x202F;234", "Pas encore de chiffre"), ("en", "1,234", "No figure yet") })
        {
            string figure = $"<span class=\"users-online\" data-users=\"1234\">{number}</span> <span class=\"small\" data-online-at>{Time}</span>";
            Assert.Contains(figure, board[language], StringComparison.Ordinal);
            Assert.Contains(figure, site[language], StringComparison.Ordinal);
            Assert.Contains($"<span class=\"users-online empty\" data-users=\"\">{none}</span>", board[language], StringComparison.Ordinal);
        }

        Assert.Contains("<dt>Gebruikers online</dt><dd id=\"site-online\">", site["nl"], StringComparison.Ordinal);
        Assert.Contains("<dd id=\"site-online\"><span class=\"users-online empty\" data-users=\"\">Pas encore de chiffre</span>", silent, StringComparison.Ordinal);
        Assert.DoesNotContain("site-online", school, StringComparison.Ordinal);
        Assert.DoesNotContain("No figure yet", school, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_board_with_its_figures_needs_a_session()
    {
        await using NocHost noc = await NocHost.StartAsync();
        using HttpClient anonymous = noc.Anonymous();

        using HttpResponseMessage board = await anonymous.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, board.StatusCode);
        Assert.Equal("/login", board.Headers.Location?.AbsolutePath);
    }
}
