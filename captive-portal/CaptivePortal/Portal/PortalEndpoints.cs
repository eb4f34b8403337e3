using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Network.CaptivePortal.Accounts;
using Network.CaptivePortal.Gateway;
using Network.CaptivePortal.Portal.Mail;
using Network.CaptivePortal.Privacy;

namespace Network.CaptivePortal.Portal;

/// <summary>
/// The wifi user's pages: welcome and terms, "New user", log in, logged in, forgotten password, delete my account,
/// accessibility statement. Every form posts and redirects (303) on success, re-renders with an error summary otherwise,
/// and works without JavaScript; <c>portal.js</c> only shows the password rules as one types.
/// </summary>
public static class PortalEndpoints
{
    private const string HtmlType = "text/html; charset=utf-8";

    public static IEndpointRouteBuilder MapPortalPages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", Home);
        endpoints.MapGet("/register", (PortalPage page) => RegisterForm(page, null, null, [], null));
        endpoints.MapPost("/register", RegisterAsync);
        endpoints.MapGet("/login", (PortalPage page, string? failed) => LoginForm(page, null, failed is null ? [] : [new("username", page.T("ErrWrongCredentials"))]));
        endpoints.MapPost("/login", LoginAsync);
        endpoints.MapGet("/online", OnlineAsync);
        endpoints.MapGet("/logged-out", (PortalPage page) => Message(page, page.T("LoggedOutTitle"), page.T("LoggedOutText")));
        endpoints.MapGet("/forgot", (PortalPage page) => ForgotForm(page, null, []));
        endpoints.MapPost("/forgot", ForgotAsync);
        endpoints.MapGet("/forgot/sent", (PortalPage page) =>
            Message(page, page.T("ForgotTitle"), page.T("ForgotSent", (int)page.Options.ResetLinkLifetime.TotalMinutes)));
        endpoints.MapGet("/reset", ResetFormAsync);
        endpoints.MapPost("/reset", ResetAsync);
        endpoints.MapGet("/reset/done", (PortalPage page) => Message(page, page.T("ResetTitle"), page.T("ResetDone"), ("/login", page.T("LogIn"))));
        endpoints.MapGet("/delete", (PortalPage page) => DeleteForm(page, null, []));
        endpoints.MapPost("/delete", DeleteAsync);
        endpoints.MapGet("/delete/done", (PortalPage page) => Message(page, page.T("DeleteTitle"), page.T("DeleteDone")));
        endpoints.MapGet("/accessibility", Accessibility);
        return endpoints;
    }

    internal static ContentHttpResult Page(Html html, int status = StatusCodes.Status200OK) => TypedResults.Content(html.Value, HtmlType, statusCode: status);

    private static ContentHttpResult Home(PortalPage page)
    {
        Html notice = page.Uam?.NasId is { } nas ? Html.Of($"""<p class="notice">{page.T("GatewayNotice", nas)}</p>""") : Html.Empty;
        Html main = Html.Of($"""
            <h1>{page.T("HomeTitle", page.Options.NetworkName)}</h1>
            {notice}
            <p class="lead">{page.T("Tagline")} {page.T("HomeIntro", page.Options.NetworkName)}</p>
            <ul class="actions">
            <li><a class="button" href="{page.Link("/register")}">{page.T("NewUser")}</a></li>
            <li><a class="button button-secondary" href="{page.Link("/login")}">{page.T("LogIn")}</a></li>
            </ul>
            <section aria-labelledby="terms">
            <h2 id="terms">{page.T("TermsTitle")}</h2>
            <p>{page.T("Terms1")}</p>
            <p>{page.T("Terms2")}</p>
            <p>{page.T("Terms3")}</p>
            <p>{page.T("TermsAccept")}</p>
            </section>
            """);
        return Page(page.Document(page.T("HomeTitle", page.Options.NetworkName), main));
    }

    private static ContentHttpResult RegisterForm(PortalPage page, string? username, string? email, IReadOnlyList<FieldError> errors, string? waitToken,
        int status = StatusCodes.Status200OK)
    {
        Html wait = waitToken is null ? Html.Empty : Html.Of($"""
            <div class="notice" role="status"><h2>{page.T("ChallengeTitle")}</h2><p>{page.T("ChallengeText", (int)page.Options.ChallengeDelay.TotalSeconds)}</p></div>
            <input type="hidden" name="wait" value="{waitToken}">
            """);
        Html main = Html.Of($"""
            <h1>{page.T("RegisterTitle")}</h1>
            <p>{page.T("RegisterIntro")}</p>
            <form method="post" action="{page.Link("/register")}" novalidate data-rules>
            {page.Antiforgery()}{wait}
            {page.Field("username", page.T("Username"), "text", "username", username, page.T("UsernameHint"), errors)}
            {page.Field("password", page.T("Password"), "password", "new-password", null, page.T("PasswordHint"), errors)}
            <div class="rules" id="rules" hidden data-met="{page.T("RuleMet")}" data-unmet="{page.T("RuleNotMet")}">
            <p id="rules-title">{page.T("RulesTitle")}</p>
            <ul aria-labelledby="rules-title">
            <li data-rule="username">{page.T("RuleUsername")}</li>
            <li data-rule="length">{page.T("RuleLength")}</li>
            <li data-rule="different">{page.T("RuleDifferent")}</li>
            </ul>
            </div>
            {page.Field("email", page.T("Email"), "email", "email", email, page.T("EmailHint"), errors, required: false)}
            {RememberDevice(page)}
            <button type="submit">{page.T("RegisterSubmit")}</button>
            </form>
            <p>{page.T("TermsAccept")} <a href="{page.Link("/")}#terms">{page.T("TermsLink")}</a></p>
            """);
        return Page(page.Document(page.T("RegisterTitle"), main, errors), status);
    }

    private static ContentHttpResult LoginForm(PortalPage page, string? username, IReadOnlyList<FieldError> errors, int status = StatusCodes.Status200OK)
    {
        Html main = Html.Of($"""
            <h1>{page.T("LoginTitle")}</h1>
            <form method="post" action="{page.Link("/login")}" novalidate>
            {page.Antiforgery()}
            {page.Field("username", page.T("Username"), "text", "username", username, null, errors)}
            {page.Field("password", page.T("Password"), "password", "current-password", null, null, errors)}
            {RememberDevice(page)}
            <button type="submit">{page.T("LoginSubmit")}</button>
            </form>
            <p><a href="{page.Link("/forgot")}">{page.T("ForgotLink")}</a></p>
            <p>{page.T("NoAccountYet")} <a href="{page.Link("/register")}">{page.T("NewUser")}</a></p>
            """);
        return Page(page.Document(page.T("LoginTitle"), main, errors), status);
    }

    /// <summary>The opt-in to MAC authentication, or why this device cannot have it (a randomised, locally administered MAC).</summary>
    private static Html RememberDevice(PortalPage page)
    {
        if (page.Uam?.Mac is not { } mac)
        {
            return Html.Empty;
        }

        if (DeviceAddress.IsLocallyAdministered(mac))
        {
            return Html.Of($"""<p class="notice" id="remember-note">{page.T("RandomMac")}</p>""");
        }

        return Html.Of($"""
            <div class="checkbox">
            <input type="checkbox" id="remember" name="remember" value="yes" aria-describedby="remember-hint">
            <label for="remember">{page.T("RememberDevice")}</label>
            <p class="hint" id="remember-hint">{page.T("RememberDeviceHint")}</p>
            </div>
            """);
    }

    private static async Task<IResult> RegisterAsync(HttpContext http, PortalPage page, AccountRegistration registration, AccountService accounts,
        PortalTokens tokens, GatewayHandoff handoff, IAntiforgery antiforgery)
    {
        IFormCollection form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        string username = form["username"].ToString();
        string password = form["password"].ToString();
        string email = form["email"].ToString();
        if (!await antiforgery.IsRequestValidAsync(http).ConfigureAwait(false))
        {
            return RegisterForm(page, username, email, [new("username", page.T("ErrFormExpired"))], null, StatusCodes.Status400BadRequest);
        }

        string normalized = UsernameRules.Normalize(username);
        if (tokens.BurstUnderway() && !tokens.WaitServed(form["wait"].ToString(), normalized))
        {
            return RegisterForm(page, normalized, email, [new("password", page.T("ChallengeText", (int)page.Options.ChallengeDelay.TotalSeconds))],
                tokens.IssueWait(normalized), StatusCodes.Status429TooManyRequests);
        }

        // Every field's problem at once, so a person fixes them in one go (the store checks them all again).
        var errors = new List<FieldError>();
        UsernameVerdict verdict = UsernameRules.Check(username, out string checkedName);
        if (verdict != UsernameVerdict.Allowed)
        {
            errors.Add(new("username", page.T(verdict switch
            {
                UsernameVerdict.OtherScript => "ErrUsernameScript",
                UsernameVerdict.Reserved => "ErrUsernameReserved",
                _ => "ErrUsernameInvalid",
            })));
        }

        AccountChangeResult passwordCheck = AccountPolicy.CheckPassword(checkedName, password);
        if (passwordCheck != AccountChangeResult.Done)
        {
            errors.Add(new("password", PasswordError(page, passwordCheck)));
        }

        if (!string.IsNullOrWhiteSpace(email) && !AccountRegistration.TryNormalizeEmail(email, out _))
        {
            errors.Add(new("email", page.T("ErrEmailInvalid")));
        }

        if (errors.Count > 0)
        {
            return RegisterForm(page, checkedName.Length > 0 ? checkedName : username, email, errors, null, StatusCodes.Status422UnprocessableEntity);
        }

        (RegistrationResult result, string name) = await registration.RegisterAsync(username, password, email, page.Uam?.NasId, http.RequestAborted).ConfigureAwait(false);
        if (result != RegistrationResult.Done)
        {
            FieldError error = result switch
            {
                RegistrationResult.UsernameOtherScript => new("username", page.T("ErrUsernameScript")),
                RegistrationResult.UsernameReserved => new("username", page.T("ErrUsernameReserved")),
                RegistrationResult.UsernameTaken => new("username", page.T("ErrUsernameTaken")),
                RegistrationResult.PasswordTooShort => new("password", page.T("ErrPasswordTooShort")),
                RegistrationResult.PasswordTooLong => new("password", page.T("ErrPasswordTooLong")),
                RegistrationResult.PasswordEqualsUsername => new("password", page.T("ErrPasswordEqualsUsername")),
                RegistrationResult.PasswordTooCommon => new("password", page.T("ErrPasswordTooCommon")),
                RegistrationResult.EmailInvalid => new("email", page.T("ErrEmailInvalid")),
                _ => new("username", page.T("ErrUsernameInvalid")),
            };
            return RegisterForm(page, name.Length > 0 ? name : username, email, [error], null, StatusCodes.Status422UnprocessableEntity);
        }

        tokens.RecordRegistration();
        await RememberIfAskedAsync(form, page, accounts, name, http.RequestAborted).ConfigureAwait(false);
        return await OnwardAsync(http, page, tokens, handoff, name, password).ConfigureAwait(false) switch
        {
            { Kind: HandoffKind.Rejected } => LoginForm(page, name, [new("password", page.T("ErrWrongCredentials"))], StatusCodes.Status422UnprocessableEntity),
            { Kind: HandoffKind.Unavailable } => LoginForm(page, name, [new("password", page.T("ErrLoginUnavailable"))], StatusCodes.Status503ServiceUnavailable),
            { } onward => onward.Result!,
        };
    }

    private static async Task<IResult> LoginAsync(HttpContext http, PortalPage page, AccountService accounts, AccountRegistration registration,
        PortalTokens tokens, GatewayHandoff handoff, IAntiforgery antiforgery)
    {
        IFormCollection form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        string username = UsernameRules.Normalize(form["username"].ToString());
        string password = form["password"].ToString();
        if (!await antiforgery.IsRequestValidAsync(http).ConfigureAwait(false))
        {
            return LoginForm(page, username, [new("username", page.T("ErrFormExpired"))], StatusCodes.Status400BadRequest);
        }

        var missing = new List<FieldError>();
        if (username.Length == 0)
        {
            missing.Add(new("username", page.T("ErrUsernameRequired")));
        }

        if (password.Length == 0)
        {
            missing.Add(new("password", page.T("ErrPasswordRequired")));
        }

        if (missing.Count > 0)
        {
            return LoginForm(page, username, missing, StatusCodes.Status422UnprocessableEntity);
        }

        if (page.Uam is { IsExternal: true })
        {
            // The external-portal flow: the RADIUS server decides (it counts failures and locks out as for a gateway).
            Onward external = await OnwardAsync(http, page, tokens, handoff, username, password).ConfigureAwait(false);
            switch (external.Kind)
            {
                case HandoffKind.Redirect:
                    await RememberIfAskedAsync(form, page, accounts, username, http.RequestAborted).ConfigureAwait(false);
                    return external.Result!;
                case HandoffKind.Unavailable:
                    return LoginForm(page, username, [new("password", page.T("ErrLoginUnavailable"))], StatusCodes.Status503ServiceUnavailable);
                default:
                    return await LockoutEndsAsync(http, page, registration, username).ConfigureAwait(false) is { } locked
                        ? LoginForm(page, username, [new("password", page.T("ErrLockedOut", locked))], StatusCodes.Status429TooManyRequests)
                        : LoginForm(page, username, [new("password", page.T("ErrWrongCredentials"))], StatusCodes.Status422UnprocessableEntity);
            }
        }

        AuthResult result = await accounts.VerifyPasswordAsync(username, password, page.Uam?.Mac, http.RequestAborted).ConfigureAwait(false);
        switch (result.Outcome)
        {
            case AuthOutcome.Accepted:
                await RememberIfAskedAsync(form, page, accounts, result.Username!, http.RequestAborted).ConfigureAwait(false);
                return (await OnwardAsync(http, page, tokens, handoff, result.Username!, password).ConfigureAwait(false)).Result!;
            case AuthOutcome.Locked:
                int minutes = await LockoutEndsAsync(http, page, registration, username).ConfigureAwait(false) ?? accounts.LockoutMinutes;
                return LoginForm(page, username, [new("password", page.T("ErrLockedOut", minutes))], StatusCodes.Status429TooManyRequests);
            case AuthOutcome.Disabled:
                return LoginForm(page, username, [new("username", page.T("ErrDisabled"))], StatusCodes.Status403Forbidden);
            default:
                return LoginForm(page, username, [new("password", page.T("ErrWrongCredentials"))], StatusCodes.Status422UnprocessableEntity);
        }
    }

    /// <summary>Where a login goes: <see cref="Result"/> when it goes on (to the gateway or the "logged in" page).</summary>
    private sealed record Onward(HandoffKind Kind, SeeOther? Result);

    /// <summary>
    /// After a successful login or registration: to CoovaChilli's logon URL; for openNDS, after the portal's own
    /// Access-Request is accepted, to the gateway's auth URL (which then sends the browser to the "logged in" page);
    /// without a gateway, to the portal's own "logged in" page.
    /// </summary>
    private static async Task<Onward> OnwardAsync(HttpContext http, PortalPage page, PortalTokens tokens, GatewayHandoff handoff, string username, string password)
    {
        string online = page.Link("/online", ("who", tokens.ProtectWho(username)));
        Handoff next = await handoff.HandOffAsync(page.Uam, username, password, PublicBase(http, page.Options).TrimEnd('/') + online, http.RequestAborted)
            .ConfigureAwait(false);
        return next.Kind switch
        {
            HandoffKind.Redirect => new Onward(next.Kind, new SeeOther(next.Url!)),
            HandoffKind.None => new Onward(next.Kind, new SeeOther(online)),
            _ => new Onward(next.Kind, null),
        };
    }

    /// <summary>Whole minutes until the lockout of this username or device ends, or null when there is none.</summary>
    private static async Task<int?> LockoutEndsAsync(HttpContext http, PortalPage page, AccountRegistration registration, string username)
    {
        DateTimeOffset? until = await registration.LockoutEndsAsync(username, page.Uam?.Mac, http.RequestAborted).ConfigureAwait(false);
        TimeProvider time = http.RequestServices.GetRequiredService<TimeProvider>();
        return until is { } u ? Math.Max(1, (int)Math.Ceiling((u - time.GetUtcNow()).TotalMinutes)) : null;
    }

    private static async Task RememberIfAskedAsync(IFormCollection form, PortalPage page, AccountService accounts, string username, CancellationToken cancellationToken)
    {
        if (form["remember"] == "yes" && page.Uam?.Mac is { } mac && !DeviceAddress.IsLocallyAdministered(mac))
        {
            await accounts.RememberDeviceAsync(username, mac, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<ContentHttpResult> OnlineAsync(PortalPage page, PortalTokens tokens, AllowanceReader allowances, string? who, CancellationToken cancellationToken)
    {
        string? username = page.Uam?.Uid ?? tokens.UnprotectWho(who);
        if (username is null)
        {
            return Message(page, page.T("NotFoundTitle"), page.T("OnlineExpired"), ("/login", page.T("LogIn")), StatusCodes.Status404NotFound);
        }

        Allowance allowance = await allowances.ForUserAsync(username, cancellationToken).ConfigureAwait(false);
        TimeSpan? timeLeft = allowance.TimeLeft ?? (page.Uam?.TimeLeft is long seconds ? TimeSpan.FromSeconds(seconds) : null);
        string time = timeLeft is { } t ? page.T("Minutes", (int)Math.Floor(t.TotalMinutes))
            : allowance.Online || page.Uam is not null ? page.T("NoLimit") : page.T("NotKnownYet");
        string data = allowance.BytesLeft is long bytes ? page.T("Megabytes", (bytes / 1_000_000).ToString("N0", CultureInfo.CurrentCulture)) : page.T("NoLimit");
        bool throughGateway = page.Uam is not null;
        Html heading = throughGateway ? Html.Of($"<h1>{page.T("OnlineTitle")}</h1>") : Html.Of($"<h1>{page.T("OnlineAs", username)}</h1>");
        Html intro = throughGateway ? Html.Of($"<p>{page.T("OnlineAs", username)}</p>") : Html.Of($"<p>{page.T("AccountCreated", username)}</p>");
        Html onward = page.Uam?.UserUrl is { } userUrl ? Html.Of($"""<p><a class="button" href="{userUrl}">{page.T("ContinueTo")}</a></p>""") : Html.Empty;
        Html logout = page.Uam is { UamIp: not null, IsExternal: false } uam ? Html.Of($"""<p><a class="button button-secondary" href="{uam.LogoffUrl()}">{page.T("LogOut")}</a></p>""") : Html.Empty;
        Html main = Html.Of($"""
            {heading}
            {intro}
            <dl class="allowance">
            <div><dt>{page.T("TimeLeft")}</dt><dd>{time}</dd></div>
            <div><dt>{page.T("DataLeft")}</dt><dd>{data}</dd></div>
            </dl>
            {onward}{logout}
            <p><a href="{page.Link("/delete")}">{page.T("DeleteAccountLink")}</a></p>
            """);
        return Page(page.Document(throughGateway ? page.T("OnlineTitle") : page.T("OnlineAs", username), main));
    }

    private static ContentHttpResult ForgotForm(PortalPage page, string? username, IReadOnlyList<FieldError> errors, int status = StatusCodes.Status200OK)
    {
        Html main = Html.Of($"""
            <h1>{page.T("ForgotTitle")}</h1>
            <p>{page.T("ForgotIntro")}</p>
            <form method="post" action="{page.Link("/forgot")}" novalidate>
            {page.Antiforgery()}
            {page.Field("username", page.T("Username"), "text", "username", username, null, errors)}
            <button type="submit">{page.T("ForgotSubmit")}</button>
            </form>
            """);
        return Page(page.Document(page.T("ForgotTitle"), main, errors), status);
    }

    private static async Task<IResult> ForgotAsync(HttpContext http, PortalPage page, AccountRegistration registration, IMailSender mail, IAntiforgery antiforgery)
    {
        IFormCollection form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        string username = UsernameRules.Normalize(form["username"].ToString());
        if (!await antiforgery.IsRequestValidAsync(http).ConfigureAwait(false))
        {
            return ForgotForm(page, username, [new("username", page.T("ErrFormExpired"))], StatusCodes.Status400BadRequest);
        }

        if (username.Length == 0)
        {
            return ForgotForm(page, username, [new("username", page.T("ErrUsernameRequired"))], StatusCodes.Status422UnprocessableEntity);
        }

        PasswordResetTicket? ticket = await registration.CreateResetAsync(username, page.Options.ResetLinkLifetime, http.RequestAborted).ConfigureAwait(false);
        if (ticket is not null)
        {
            // No gateway context in a mailed link: only the language and the token.
            string link = $"{PublicBase(http, page.Options)}reset?lang={page.Lang}&token={Uri.EscapeDataString(ticket.Token)}";
            int minutes = (int)page.Options.ResetLinkLifetime.TotalMinutes;
            await mail.SendAsync(new OutgoingMail(ticket.Email, page.T("MailSubject", page.Options.NetworkName),
                page.T("MailBody", ticket.Username, minutes, link)), http.RequestAborted).ConfigureAwait(false);
        }

        // The same answer whether or not an account with an email matched: the form tells nobody who has an account.
        return new SeeOther(page.Link("/forgot/sent"));
    }

    private static async Task<ContentHttpResult> ResetFormAsync(PortalPage page, AccountRegistration registration, string? token, CancellationToken cancellationToken) =>
        await registration.IsResetTokenValidAsync(token, cancellationToken).ConfigureAwait(false)
            ? ResetForm(page, token!, [])
            : Message(page, page.T("ResetTitle"), page.T("ResetInvalid"), ("/forgot", page.T("ForgotTitle")), StatusCodes.Status404NotFound);

    private static ContentHttpResult ResetForm(PortalPage page, string token, IReadOnlyList<FieldError> errors, int status = StatusCodes.Status200OK)
    {
        Html main = Html.Of($"""
            <h1>{page.T("ResetTitle")}</h1>
            <form method="post" action="{page.Link("/reset", ("token", token))}" novalidate>
            {page.Antiforgery()}
            {page.Field("password", page.T("NewPassword"), "password", "new-password", null, page.T("PasswordHint"), errors)}
            <button type="submit">{page.T("ResetSubmit")}</button>
            </form>
            """);
        return Page(page.Document(page.T("ResetTitle"), main, errors), status);
    }

    private static async Task<IResult> ResetAsync(HttpContext http, PortalPage page, AccountRegistration registration, IAntiforgery antiforgery, string? token)
    {
        IFormCollection form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        if (token is null)
        {
            return Message(page, page.T("ResetTitle"), page.T("ResetInvalid"), status: StatusCodes.Status404NotFound);
        }

        if (!await antiforgery.IsRequestValidAsync(http).ConfigureAwait(false))
        {
            return ResetForm(page, token, [new("password", page.T("ErrFormExpired"))], StatusCodes.Status400BadRequest);
        }

        AccountChangeResult result = await registration.ResetPasswordAsync(token, form["password"].ToString(), http.RequestAborted).ConfigureAwait(false);
        return result switch
        {
            AccountChangeResult.Done => new SeeOther(page.Link("/reset/done")),
            AccountChangeResult.NotFound => Message(page, page.T("ResetTitle"), page.T("ResetInvalid"), ("/forgot", page.T("ForgotTitle")), StatusCodes.Status404NotFound),
            _ => ResetForm(page, token, [new("password", PasswordError(page, result))], StatusCodes.Status422UnprocessableEntity),
        };
    }

    private static string PasswordError(PortalPage page, AccountChangeResult result) => result switch
    {
        AccountChangeResult.PasswordTooLong => page.T("ErrPasswordTooLong"),
        AccountChangeResult.PasswordEqualsUsername => page.T("ErrPasswordEqualsUsername"),
        AccountChangeResult.PasswordTooCommon => page.T("ErrPasswordTooCommon"),
        _ => page.T("ErrPasswordTooShort"),
    };

    private static ContentHttpResult DeleteForm(PortalPage page, string? username, IReadOnlyList<FieldError> errors, int status = StatusCodes.Status200OK)
    {
        Html main = Html.Of($"""
            <h1>{page.T("DeleteTitle")}</h1>
            <p>{page.T("DeleteIntro")}</p>
            <form method="post" action="{page.Link("/delete")}" novalidate>
            {page.Antiforgery()}
            {page.Field("username", page.T("Username"), "text", "username", username, null, errors)}
            {page.Field("password", page.T("Password"), "password", "current-password", null, null, errors)}
            <button type="submit" class="button-danger">{page.T("DeleteSubmit")}</button>
            </form>
            """);
        return Page(page.Document(page.T("DeleteTitle"), main, errors), status);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, PortalPage page, AccountService accounts, AccountRegistration registration,
        PersonalDataEraser eraser, IAntiforgery antiforgery)
    {
        IFormCollection form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        string username = UsernameRules.Normalize(form["username"].ToString());
        if (!await antiforgery.IsRequestValidAsync(http).ConfigureAwait(false))
        {
            return DeleteForm(page, username, [new("username", page.T("ErrFormExpired"))], StatusCodes.Status400BadRequest);
        }

        AuthResult result = await accounts.VerifyPasswordAsync(username, form["password"].ToString(), page.Uam?.Mac, http.RequestAborted).ConfigureAwait(false);
        if (!result.IsAccepted)
        {
            string message = result.Outcome == AuthOutcome.Locked
                ? page.T("ErrLockedOut", await LockoutEndsAsync(http, page, registration, username).ConfigureAwait(false) ?? accounts.LockoutMinutes)
                : page.T("ErrWrongCredentials");
            return DeleteForm(page, username, [new("password", message)], StatusCodes.Status422UnprocessableEntity);
        }

        await eraser.EraseSessionsAsync(result.Username!, http.RequestAborted).ConfigureAwait(false);
        await registration.DeleteAsync(result.Username!, http.RequestAborted).ConfigureAwait(false);
        return new SeeOther(page.Link("/delete/done"));
    }

    private static ContentHttpResult Accessibility(PortalPage page)
    {
        Html main = Html.Of($"""
            <h1>{page.T("A11yTitle")}</h1>
            <p>{page.T("A11y1")}</p>
            <p>{page.T("A11y2")}</p>
            <p>{page.T("A11y3")}</p>
            <p>{page.T("A11yContact")} <a href="mailto:{page.Options.ContactEmail}">{page.Options.ContactEmail}</a></p>
            """);
        return Page(page.Document(page.T("A11yTitle"), main));
    }

    /// <summary>A page with a heading, one paragraph and a way on.</summary>
    internal static ContentHttpResult Message(PortalPage page, string title, string text, (string Path, string Label)? next = null, int status = StatusCodes.Status200OK)
    {
        (string path, string label) = next ?? ("/", page.T("BackToStart"));
        Html main = Html.Of($"""
            <h1>{title}</h1>
            <p>{text}</p>
            <p><a href="{page.Link(path)}">{label}</a></p>
            """);
        return Page(page.Document(title, main), status);
    }

    /// <summary>The portal's public base URL with a trailing slash: <see cref="PortalOptions.PublicUrl"/>, else this request's.</summary>
    internal static string PublicBase(HttpContext http, PortalOptions options)
    {
        string configured = options.PublicUrl ?? "";
        string baseUrl = configured.Length > 0 ? configured : $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
        return baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/";
    }
}
