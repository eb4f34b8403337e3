using Microsoft.AspNetCore.Mvc;
using Network.CaptivePortal.Polls;
using Network.CaptivePortal.Portal;

namespace Network.CaptivePortal.Pages.Polls;

/// <summary>Signing out of the polls: the cookie goes, then back to the list of polls. The page itself is the form, for a GET.</summary>
public sealed class SignOutModel(PortalVisit visit, PollWords words, PollService polls, PollSignIn signIn) : PollPageModel(visit, words, polls, signIn)
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        (_, bool valid) = await ReadFormAsync().ConfigureAwait(false);
        if (!valid)
        {
            return Expired("signout");
        }

        Tickets.SignOut(HttpContext);
        return new SeeOther(Visit.Link("/polls"));
    }
}
