using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Network.CaptivePortal.Accounts;
using Network.CaptivePortal.Gateway;
using Network.CaptivePortal.Portal;
using Network.WebPages;

namespace Network.CaptivePortal.Pages;

/// <summary>
/// What the portal's form pages share: the visit (language, texts, gateway context), the form's errors, and the steps of
/// a login that several forms take. Every form posts and redirects (303) on success, and comes back with an error summary
/// otherwise (400 for an expired form, 422 for what the person typed, 429 for a lockout or a burst).
/// </summary>
/// <remarks>
/// Antiforgery is checked by each handler itself (<see cref="ReadFormAsync"/>) rather than by the Razor Pages filter,
/// so an expired form comes back filled in with a message instead of a bare 400.
/// </remarks>
[IgnoreAntiforgeryToken]
public abstract class PortalPageModel(PortalVisit visit) : PageModel
{
    protected PortalVisit Visit { get; } = visit;

    /// <summary>This form's errors, in the order of its fields.</summary>
    public IReadOnlyList<FieldError> Errors { get; private set; } = [];

    /// <summary>The form again, with its errors (in the error summary and at each field) and a status code.</summary>
    protected PageResult Form(IReadOnlyList<FieldError> errors, int status)
    {
        Errors = errors;
        ViewData["Errors"] = errors;
        PageResult page = Page();
        page.StatusCode = status;
        return page;
    }

    /// <summary>The posted form, and whether its antiforgery token is valid (when not: show it again with <see cref="Expired"/>).</summary>
    protected async Task<(IFormCollection Form, bool Valid)> ReadFormAsync()
    {
        IFormCollection form = await Request.ReadFormAsync(HttpContext.RequestAborted).ConfigureAwait(false);
        return (form, await HttpContext.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(HttpContext).ConfigureAwait(false));
    }

    /// <summary>The form again, with "this form has expired" at <paramref name="field"/> (400).</summary>
    protected PageResult Expired(string field) => Form([new(field, Visit.T("ErrFormExpired"))], StatusCodes.Status400BadRequest);

    protected string PasswordError(AccountChangeResult result) => result switch
    {
        AccountChangeResult.PasswordTooLong => Visit.T("ErrPasswordTooLong"),
        AccountChangeResult.PasswordEqualsUsername => Visit.T("ErrPasswordEqualsUsername"),
        AccountChangeResult.PasswordTooCommon => Visit.T("ErrPasswordTooCommon"),
        _ => Visit.T("ErrPasswordTooShort"),
    };

    /// <summary>Where a login goes: <see cref="Result"/> when it goes on (to the gateway or the "logged in" page).</summary>
    protected sealed record Onward(HandoffKind Kind, SeeOther? Result);

    /// <summary>
    /// After a successful login or registration: to CoovaChilli's logon URL; for openNDS, after the portal's own
    /// Access-Request is accepted, to the gateway's auth URL (which then sends the browser to the "logged in" page);
    /// without a gateway, to the portal's own "logged in" page.
    /// </summary>
    protected async Task<Onward> OnwardAsync(PortalTokens tokens, GatewayHandoff handoff, string username, string password)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(handoff);
        string online = Visit.Link("/online", ("who", tokens.ProtectWho(username)));
        Handoff next = await handoff.HandOffAsync(Visit.Uam, username, password, Visit.PublicBase.TrimEnd('/') + online, HttpContext.RequestAborted)
            .ConfigureAwait(false);
        return next.Kind switch
        {
            HandoffKind.Redirect => new Onward(next.Kind, new SeeOther(next.Url!)),
            HandoffKind.None => new Onward(next.Kind, new SeeOther(online)),
            _ => new Onward(next.Kind, null),
        };
    }

    /// <summary>The errors of a sign-in form without a username or a password, in the order of the fields (empty when both are there).</summary>
    protected List<FieldError> MissingCredentials(string username, string password)
    {
        var missing = new List<FieldError>();
        if (username.Length == 0)
        {
            missing.Add(new("username", Visit.T("ErrUsernameRequired")));
        }

        if (password.Length == 0)
        {
            missing.Add(new("password", Visit.T("ErrPasswordRequired")));
        }

        return missing;
    }

    /// <summary>The form again after the portal's password check refused: locked out (429, with the minutes), disabled (403), wrong (422).</summary>
    protected async Task<PageResult> RefusedAsync(AuthOutcome outcome, AccountRegistration registration, AccountService accounts, string username)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        switch (outcome)
        {
            case AuthOutcome.Locked:
                int minutes = await LockoutEndsAsync(registration, username).ConfigureAwait(false) ?? accounts.LockoutMinutes;
                return Form([new("password", Visit.T("ErrLockedOut", minutes))], StatusCodes.Status429TooManyRequests);
            case AuthOutcome.Disabled:
                return Form([new("username", Visit.T("ErrDisabled"))], StatusCodes.Status403Forbidden);
            default:
                return Form([new("password", Visit.T("ErrWrongCredentials"))], StatusCodes.Status422UnprocessableEntity);
        }
    }

    /// <summary>Whole minutes until the lockout of this username or device ends, or null when there is none.</summary>
    protected async Task<int?> LockoutEndsAsync(AccountRegistration registration, string username)
    {
        ArgumentNullException.ThrowIfNull(registration);
        DateTimeOffset? until = await registration.LockoutEndsAsync(username, Visit.Uam?.Mac, HttpContext.RequestAborted).ConfigureAwait(false);
        TimeProvider time = HttpContext.RequestServices.GetRequiredService<TimeProvider>();
        return until is { } u ? Math.Max(1, (int)Math.Ceiling((u - time.GetUtcNow()).TotalMinutes)) : null;
    }

    /// <summary>Remembers the device for MAC authentication when the person ticked the box and the MAC is a fixed one.</summary>
    protected async Task RememberIfAskedAsync(IFormCollection form, AccountService accounts, string username)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(accounts);
        if (form["remember"] == "yes" && Visit.Uam?.Mac is { } mac && !DeviceAddress.IsLocallyAdministered(mac))
        {
            await accounts.RememberDeviceAsync(username, mac, HttpContext.RequestAborted).ConfigureAwait(false);
        }
    }
}
