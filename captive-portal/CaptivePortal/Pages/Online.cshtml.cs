using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Network.CaptivePortal.Portal;

namespace Network.CaptivePortal.Pages;

/// <summary>"You are online": who, and the time and data left; the way on to the page the person first asked for, and out.</summary>
public sealed class OnlineModel(PortalVisit visit, PortalTokens tokens, AllowanceReader allowances) : PortalPageModel(visit)
{
    public string Username { get; private set; } = "";

    public string TimeLeft { get; private set; } = "";

    public string DataLeft { get; private set; } = "";

    /// <summary>The user from the gateway's context, else from <c>?who=</c> (a protected, short-lived name the login made).</summary>
    public async Task<IActionResult> OnGetAsync()
    {
        string? username = Visit.Uam?.Uid ?? tokens.UnprotectWho(Request.Query["who"].ToString() is { Length: > 0 } who ? who : null);
        if (username is null)
        {
            return Visit.Message(Visit.T("NotFoundTitle"), Visit.T("OnlineExpired"), ("/login", Visit.T("LogIn")), StatusCodes.Status404NotFound);
        }

        Username = username;
        Allowance allowance = await allowances.ForUserAsync(username, HttpContext.RequestAborted).ConfigureAwait(false);
        TimeSpan? timeLeft = allowance.TimeLeft ?? (Visit.Uam?.TimeLeft is long seconds ? TimeSpan.FromSeconds(seconds) : null);
        TimeLeft = timeLeft is { } t ? Visit.T("Minutes", (int)Math.Floor(t.TotalMinutes))
            : allowance.Online || Visit.Uam is not null ? Visit.T("NoLimit") : Visit.T("NotKnownYet");
        DataLeft = allowance.BytesLeft is long bytes ? Visit.T("Megabytes", (bytes / 1_000_000).ToString("N0", CultureInfo.CurrentCulture)) : Visit.T("NoLimit");
        return Page();
    }
}
