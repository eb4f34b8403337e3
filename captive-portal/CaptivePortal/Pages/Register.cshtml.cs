using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Network.CaptivePortal.Accounts;
using Network.CaptivePortal.Gateway;
using Network.CaptivePortal.Portal;
using Network.WebPages;

namespace Network.CaptivePortal.Pages;

/// <summary>"New user": every field's problem at once; in a burst of registrations, a short wait first; then logged in.</summary>
public sealed class RegisterModel(PortalVisit visit, AccountRegistration registration, AccountService accounts, PortalTokens tokens, GatewayHandoff handoff)
    : PortalPageModel(visit)
{
    public string? Username { get; private set; }

    public string? Email { get; private set; }

    /// <summary>The wait token of a registration asked to wait (<see cref="PortalTokens.IssueWait"/>), sent back with the form.</summary>
    public string? WaitToken { get; private set; }

    /// <summary>The account was made but the external portal's RADIUS server refused it or did not answer: show the login form.</summary>
    public bool LoginInstead { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        (IFormCollection form, bool valid) = await ReadFormAsync().ConfigureAwait(false);
        string username = form["username"].ToString();
        string password = form["password"].ToString();
        Username = username;
        Email = form["email"].ToString();
        if (!valid)
        {
            return Expired("username");
        }

        string normalized = UsernameRules.Normalize(username);
        if (tokens.BurstUnderway() && !tokens.WaitServed(form["wait"].ToString(), normalized))
        {
            Username = normalized;
            WaitToken = tokens.IssueWait(normalized);
            return Form([new("password", Visit.T("ChallengeText", (int)Visit.Options.ChallengeDelay.TotalSeconds))], StatusCodes.Status429TooManyRequests);
        }

        // Every field's problem at once, so a person fixes them in one go (the store checks them all again).
        var errors = new List<FieldError>();
        UsernameVerdict verdict = UsernameRules.Check(username, out string checkedName);
        if (verdict != UsernameVerdict.Allowed)
        {
            errors.Add(new("username", Visit.T(verdict switch
            {
                UsernameVerdict.OtherScript => "ErrUsernameScript",
                UsernameVerdict.Reserved => "ErrUsernameReserved",
                _ => "ErrUsernameInvalid",
            })));
        }

        AccountChangeResult passwordCheck = AccountPolicy.CheckPassword(checkedName, password);
        if (passwordCheck != AccountChangeResult.Done)
        {
            errors.Add(new("password", PasswordError(passwordCheck)));
        }

        if (!string.IsNullOrWhiteSpace(Email) && !AccountRegistration.TryNormalizeEmail(Email, out _))
        {
            errors.Add(new("email", Visit.T("ErrEmailInvalid")));
        }

        if (errors.Count > 0)
        {
            Username = checkedName.Length > 0 ? checkedName : username;
            return Form(errors, StatusCodes.Status422UnprocessableEntity);
        }

        (RegistrationResult result, string name) = await registration.RegisterAsync(username, password, Email, Visit.Uam?.NasId, HttpContext.RequestAborted)
            .ConfigureAwait(false);
        if (result != RegistrationResult.Done)
        {
            FieldError error = result switch
            {
                RegistrationResult.UsernameOtherScript => new("username", Visit.T("ErrUsernameScript")),
                RegistrationResult.UsernameReserved => new("username", Visit.T("ErrUsernameReserved")),
                RegistrationResult.UsernameTaken => new("username", Visit.T("ErrUsernameTaken")),
                RegistrationResult.PasswordTooShort => new("password", Visit.T("ErrPasswordTooShort")),
                RegistrationResult.PasswordTooLong => new("password", Visit.T("ErrPasswordTooLong")),
                RegistrationResult.PasswordEqualsUsername => new("password", Visit.T("ErrPasswordEqualsUsername")),
                RegistrationResult.PasswordTooCommon => new("password", Visit.T("ErrPasswordTooCommon")),
                RegistrationResult.EmailInvalid => new("email", Visit.T("ErrEmailInvalid")),
                _ => new("username", Visit.T("ErrUsernameInvalid")),
            };
            Username = name.Length > 0 ? name : username;
            return Form([error], StatusCodes.Status422UnprocessableEntity);
        }

        tokens.RecordRegistration();
        await RememberIfAskedAsync(form, accounts, name).ConfigureAwait(false);
        Onward onward = await OnwardAsync(tokens, handoff, name, password).ConfigureAwait(false);
        return onward.Kind switch
        {
            HandoffKind.Rejected => LoginAgain(name, Visit.T("ErrWrongCredentials"), StatusCodes.Status422UnprocessableEntity),
            HandoffKind.Unavailable => LoginAgain(name, Visit.T("ErrLoginUnavailable"), StatusCodes.Status503ServiceUnavailable),
            _ => onward.Result!,
        };
    }

    /// <summary>The account exists but the external portal's RADIUS server did not let it in: the login form instead.</summary>
    private PageResult LoginAgain(string username, string message, int status)
    {
        LoginInstead = true;
        Username = username;
        return Form([new FieldError("password", message)], status);
    }
}
