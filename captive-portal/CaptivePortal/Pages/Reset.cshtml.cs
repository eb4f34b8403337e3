using Microsoft.AspNetCore.Mvc;
using Network.CaptivePortal.Accounts;
using Network.CaptivePortal.Portal;

namespace Network.CaptivePortal.Pages;

/// <summary>A new password through a mailed reset link (<c>?token=</c>), which works once and not for long.</summary>
public sealed class ResetModel(PortalVisit visit, AccountRegistration registration) : PortalPageModel(visit)
{
    public string Token { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync()
    {
        string? token = QueryToken();
        if (!await registration.IsResetTokenValidAsync(token, HttpContext.RequestAborted).ConfigureAwait(false))
        {
            return Invalid();
        }

        Token = token!;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        (IFormCollection form, bool valid) = await ReadFormAsync().ConfigureAwait(false);
        if (QueryToken() is not { } token)
        {
            return Visit.Message(Visit.T("ResetTitle"), Visit.T("ResetInvalid"), status: StatusCodes.Status404NotFound);
        }

        Token = token;
        if (!valid)
        {
            return Expired("password");
        }

        AccountChangeResult result = await registration.ResetPasswordAsync(token, form["password"].ToString(), HttpContext.RequestAborted).ConfigureAwait(false);
        return result switch
        {
            AccountChangeResult.Done => new SeeOther(Visit.Link("/reset/done")),
            AccountChangeResult.NotFound => Invalid(),
            _ => Form([new("password", PasswordError(result))], StatusCodes.Status422UnprocessableEntity),
        };
    }

    private string? QueryToken() => Request.Query.TryGetValue("token", out var token) ? token.ToString() : null;

    private PortalMessageResult Invalid() =>
        Visit.Message(Visit.T("ResetTitle"), Visit.T("ResetInvalid"), ("/forgot", Visit.T("ForgotTitle")), StatusCodes.Status404NotFound);
}
