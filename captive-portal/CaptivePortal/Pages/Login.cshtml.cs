using Microsoft.AspNetCore.Mvc;
using Network.CaptivePortal.Accounts;
using Network.CaptivePortal.Gateway;
using Network.CaptivePortal.Portal;
using Network.WebPages;

namespace Network.CaptivePortal.Pages;

/// <summary>What the login form shows again: the username typed and the errors.</summary>
public sealed record LoginForm(string? Username, IReadOnlyList<FieldError> Errors);

/// <summary>Log in: against the portal's accounts, or for an openNDS visit against the RADIUS server; then on to the gateway.</summary>
public sealed class LoginModel(PortalVisit visit, AccountService accounts, AccountRegistration registration, PortalTokens tokens, GatewayHandoff handoff)
    : PortalPageModel(visit)
{
    public string? Username { get; private set; }

    /// <summary>The form; <c>?failed=1</c> (CoovaChilli's <c>res=failed</c>) says the gateway refused the last login.</summary>
    public IActionResult OnGet() =>
        Request.Query.ContainsKey("failed") ? Form([new("username", Visit.T("ErrWrongCredentials"))], StatusCodes.Status200OK) : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        (IFormCollection form, bool valid) = await ReadFormAsync().ConfigureAwait(false);
        Username = UsernameRules.Normalize(form["username"].ToString());
        string password = form["password"].ToString();
        if (!valid)
        {
            return Expired("username");
        }

        List<FieldError> missing = MissingCredentials(Username, password);
        if (missing.Count > 0)
        {
            return Form(missing, StatusCodes.Status422UnprocessableEntity);
        }

        if (Visit.Uam is { IsExternal: true })
        {
            // The external-portal flow: the RADIUS server decides (it counts failures and locks out as for a gateway).
            Onward external = await OnwardAsync(tokens, handoff, Username, password).ConfigureAwait(false);
            switch (external.Kind)
            {
                case HandoffKind.Redirect:
                    await RememberIfAskedAsync(form, accounts, Username).ConfigureAwait(false);
                    return external.Result!;
                case HandoffKind.Unavailable:
                    return Form([new("password", Visit.T("ErrLoginUnavailable"))], StatusCodes.Status503ServiceUnavailable);
                default:
                    return await LockoutEndsAsync(registration, Username).ConfigureAwait(false) is { } locked
                        ? Form([new("password", Visit.T("ErrLockedOut", locked))], StatusCodes.Status429TooManyRequests)
                        : Form([new("password", Visit.T("ErrWrongCredentials"))], StatusCodes.Status422UnprocessableEntity);
            }
        }

        AuthResult result = await accounts.VerifyPasswordAsync(Username, password, Visit.Uam?.Mac, HttpContext.RequestAborted).ConfigureAwait(false);
        if (result.Outcome != AuthOutcome.Accepted)
        {
            return await RefusedAsync(result.Outcome, registration, accounts, Username).ConfigureAwait(false);
        }

        await RememberIfAskedAsync(form, accounts, result.Username!).ConfigureAwait(false);
        return (await OnwardAsync(tokens, handoff, result.Username!, password).ConfigureAwait(false)).Result!;
    }
}
