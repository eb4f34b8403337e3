using Microsoft.AspNetCore.Mvc;
using Network.CaptivePortal.Accounts;
using Network.CaptivePortal.Mail;
using Network.CaptivePortal.Portal;

namespace Network.CaptivePortal.Pages;

/// <summary>Forgotten password: a reset link by mail to the account's address, and the same answer whether or not there is one.</summary>
public sealed class ForgotModel(PortalVisit visit, AccountRegistration registration, IMailSender mail) : PortalPageModel(visit)
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

        if (Username.Length == 0)
        {
            return Form([new("username", Visit.T("ErrUsernameRequired"))], StatusCodes.Status422UnprocessableEntity);
        }

        PasswordResetTicket? ticket = await registration.CreateResetAsync(Username, Visit.Options.ResetLinkLifetime, HttpContext.RequestAborted).ConfigureAwait(false);
        if (ticket is not null)
        {
            // No gateway context in a mailed link: only the language and the token.
            string link = $"{Visit.PublicBase}reset?lang={Visit.Lang}&token={Uri.EscapeDataString(ticket.Token)}";
            int minutes = (int)Visit.Options.ResetLinkLifetime.TotalMinutes;
            await mail.SendAsync(new OutgoingMail(ticket.Email, Visit.T("MailSubject", Visit.Options.NetworkName),
                Visit.T("MailBody", ticket.Username, minutes, link)), HttpContext.RequestAborted).ConfigureAwait(false);
        }

        // The same answer whether or not an account with an email matched: the form tells nobody who has an account.
        return new SeeOther(Visit.Link("/forgot/sent"));
    }
}
