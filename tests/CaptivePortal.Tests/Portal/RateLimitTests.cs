using System.Net;
using Network.TestSupport;

namespace Network.CaptivePortal.Tests.Portal;

/// <summary>The limits on the forms: a burst is refused with Retry-After, a person gets through once the window has passed.</summary>
public sealed class RateLimitTests
{
    private static Dictionary<string, string> Fields(params (string Name, string Value)[] fields) => fields.ToDictionary(f => f.Name, f => f.Value);

    [Fact]
    public async Task A_burst_of_logins_is_refused_and_a_person_gets_through_after_the_window()
    {
        await using var portal = new ServiceFactory<Program>().With("Radius:Enabled", "false")
            .With("Portal:RateLimits:Window", "00:00:10").With("Portal:RateLimits:LoginsPerIp", "3");
        using var client = new PortalClient(portal);
        var answers = new List<(HttpStatusCode Status, string Body, HttpResponseMessage Response)>();
        // Fixed windows: a burst shorter than a window straddles at most one window's end, so at most 2 x 3 get through.
        for (int i = 0; i < 7; i++)
        {
            answers.Add(await client.SubmitAsync("/login?lang=fr", Fields(("username", "someone"), ("password", "guess-" + i))));
        }

        var refused = answers.First(a => a.Status == HttpStatusCode.TooManyRequests);
        TimeSpan retryAfter = refused.Response.Headers.RetryAfter!.Delta!.Value;
        await Task.Delay(retryAfter + TimeSpan.FromMilliseconds(500));
        var (after, _, _) = await client.SubmitAsync("/login", Fields(("username", "someone"), ("password", "guess-again")));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, answers[0].Status);
        Assert.InRange(answers.Count(a => a.Status == HttpStatusCode.UnprocessableEntity), 3, 6);
        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.UnprocessableEntity or HttpStatusCode.TooManyRequests));
        Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        Assert.Contains("Trop de tentatives depuis cet appareil", PortalClient.Decode(refused.Body), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, after);
    }

    [Fact]
    public async Task A_burst_of_registrations_asks_for_a_short_wait_instead_of_a_puzzle()
    {
        await using var portal = new ServiceFactory<Program>().With("Radius:Enabled", "false")
            .With("Portal:RegistrationBurst", "1").With("Portal:ChallengeDelay", "00:00:01");
        using var client = new PortalClient(portal);

        var (first, _, _) = await client.SubmitAsync("/register", Fields(("username", "first.person"), ("password", "Flagey-2026-wifi")));
        var (second, body, _) = await client.SubmitAsync("/register", Fields(("username", "second.person"), ("password", "Flagey-2026-wifi")));
        string wait = System.Text.RegularExpressions.Regex.Match(body, "name=\"wait\" value=\"([^\"]+)\"").Groups[1].Value;
        var (tooSoon, _, _) = await client.SubmitAsync("/register", Fields(("username", "second.person"), ("password", "Flagey-2026-wifi"), ("wait", wait)));
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var (otherName, _, _) = await client.SubmitAsync("/register", Fields(("username", "third.person"), ("password", "Flagey-2026-wifi"), ("wait", wait)));
        var (served, _, _) = await client.SubmitAsync("/register", Fields(("username", "second.person"), ("password", "Flagey-2026-wifi"), ("wait", wait)));

        Assert.Equal(HttpStatusCode.SeeOther, first);
        Assert.Equal(HttpStatusCode.TooManyRequests, second);
        Assert.NotEmpty(wait);
        Assert.Contains("press the button after 1 seconds", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, tooSoon);
        Assert.Equal(HttpStatusCode.TooManyRequests, otherName);
        Assert.Equal(HttpStatusCode.SeeOther, served);
    }
}
