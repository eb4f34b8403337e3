using System.Net;
using Network.TestSupport;

namespace Network.CaptivePortal.Tests.Portal;

/// <summary>The lockout message tells the wait that <c>Accounts:LockoutPeriod</c> sets, in each language, on every page that shows it.</summary>
public sealed class LockoutMessageTests
{
    [Theory]
    [InlineData("en", "Too many failed attempts. Try again in 40 minutes.")]
    [InlineData("nl", "Te veel mislukte pogingen. Probeer opnieuw over 40 minuten.")]
    [InlineData("fr", "Trop de tentatives échouées. Réessayez dans 40 minutes.")]
    public async Task The_login_and_delete_pages_say_the_configured_lockout_period(string language, string message)
    {
        await using ServiceFactory<Program> portal = new ServiceFactory<Program>().With("Radius:Enabled", "false").With("Accounts:LockoutPeriod", "00:40:00");
        using var client = new PortalClient(portal);
        await client.SubmitAsync("/register", Fields(("username", "locked.out"), ("password", "Colignon-2026!")));
        for (int i = 0; i < 10; i++)
        {
            await client.SubmitAsync("/login", Fields(("username", "locked.out"), ("password", "wrong-guess-" + i)));
        }

        var (loginStatus, login, _) = await client.SubmitAsync("/login?lang=" + language, Fields(("username", "locked.out"), ("password", "Colignon-2026!")));
        var (deleteStatus, delete, _) = await client.SubmitAsync("/delete?lang=" + language, Fields(("username", "locked.out"), ("password", "Colignon-2026!")));

        Assert.Equal(HttpStatusCode.TooManyRequests, loginStatus);
        Assert.Contains(message, PortalClient.Decode(login), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, deleteStatus);
        Assert.Contains(message, PortalClient.Decode(delete), StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Fields(params (string Name, string Value)[] fields) => fields.ToDictionary(f => f.Name, f => f.Value);
}
