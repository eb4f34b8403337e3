using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Network.TestSupport;

/// <summary>
/// Waiting for a page to arrive somewhere with Playwright's web-first assertion, which polls from the browser side. Not
/// <c>IPage.WaitForURLAsync</c>: it compares the URL once and then waits for the next navigation event, so a navigation
/// that commits between the two (a redirect chain that ends on its own while the test's thread waits for a core of a
/// busy machine) is never seen, and the wait times out on a page that is already there.
/// </summary>
public static class PageNavigation
{
    /// <summary>
    /// Waits until the page is at <paramref name="path"/>: any query when the path has none, exactly its query when it
    /// has one (<c>/alarms?state=cleared</c>).
    /// </summary>
    public static Task ArrivesAtAsync(IPage page, string path, TimeSpan? timeout = null) =>
        ArrivesAtAsync(page, new Regex("^[a-z]+://[^/]+" + Regex.Escape(path) + (path.Contains('?', StringComparison.Ordinal) ? "(#|$)" : "([?#]|$)")), timeout);

    /// <summary>Waits until the page's whole URL matches <paramref name="url"/>.</summary>
    public static Task ArrivesAtAsync(IPage page, Regex url, TimeSpan? timeout = null) =>
        Assertions.Expect(page).ToHaveURLAsync(url,
            new PageAssertionsToHaveURLOptions { Timeout = (float)(timeout ?? TimeSpan.FromSeconds(30)).TotalMilliseconds });
}
