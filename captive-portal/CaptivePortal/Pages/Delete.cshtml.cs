using Microsoft.AspNetCore.Mvc;
using Network.CaptivePortal.Accounts;
using Network.CaptivePortal.Portal;
using Network.CaptivePortal.Privacy;

namespace Network.CaptivePortal.Pages;

/// <summary>Delete my account: with the password, the account goes and the person's name leaves the accounting.</summary>
public sealed class DeleteModel(PortalVisit visit, AccountService accounts, AccountRegistration registration, PersonalDataEraser eraser)
    : PortalPageModel(visit)
{
    public string? Username { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        (IFormCollection form, bool valid) = await ReadFormAsync().ConfigureAwait(false);
        Username = UsernameRules.Normalize(form["username"].ToString());
        if (!valid)
        {
            return Expired("username");
        }

        AuthResult result = await accounts.VerifyPasswordAsync(Username, form["password"].ToString(), Visit.Uam?.Mac, HttpContext.RequestAborted).ConfigureAwait(false);
        if (!result.IsAccepted)
        {
            string message = result.Outcome == AuthOutcome.Locked
                ? Visit.T("ErrLockedOut", await LockoutEndsAsync(registration, Username).ConfigureAwait(false) ?? accounts.LockoutMinutes)
                : Visit.T("ErrWrongCredentials");
            return Form([new("password", message)], StatusCodes.Status422UnprocessableEntity);
        }

        await eraser.EraseSessionsAsync(result.Username!, HttpContext.RequestAborted).ConfigureAwait(false);
        await registration.DeleteAsync(result.Username!, HttpContext.RequestAborted).ConfigureAwait(false);
        return new SeeOther(Visit.Link("/delete/done"));
    }
}
