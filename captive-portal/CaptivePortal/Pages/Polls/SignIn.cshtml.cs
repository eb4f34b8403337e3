using Microsoft.AspNetCore.Mvc;
using Network.CaptivePortal.Accounts;
using Network.CaptivePortal.Polls;
using Network.CaptivePortal.Portal;
using Network.WebPages;

namespace Network.CaptivePortal.Pages.Polls;

/// <summary>
/// Signing in to the polls with the Urbizone account: the portal's own password check and lockout
/// (<see cref="PollService.SignInAsync"/>), then the <c>polls</c> cookie and back to the poll. No gateway, no wifi session.
/// </summary>
public sealed class SignInModel(PortalVisit visit, PollWords words, PollService polls, PollSignIn signIn, AccountRegistration registration, AccountService accounts)
    : PollPageModel(visit, words, polls, signIn)
{
    public string? Username { get; private set; }

    /// <summary>Where to go once signed in: a path under /polls, nothing else (no open redirect).</summary>
    public string Back { get; private set; } = "/polls";

    public void OnGet() => Back = SafeBack(Request.Query["back"].ToString());

    public async Task<IActionResult> OnPostAsync()
    {
        (IFormCollection form, bool valid) = await ReadFormAsync().ConfigureAwait(false);
        Username = UsernameRules.Normalize(form["username"].ToString());
        Back = SafeBack(form["back"].ToString());
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

        (AuthResult result, PollCitizen? citizen) = await Polls.SignInAsync(Username, password, HttpContext.RequestAborted).ConfigureAwait(false);
        if (result.Outcome != AuthOutcome.Accepted || citizen is null)
        {
            return await RefusedAsync(result.Outcome, registration, accounts, Username).ConfigureAwait(false);
        }

        Tickets.SignIn(HttpContext, citizen);
        return new SeeOther(Visit.Link(Back));
    }

    /// <summary>A path under /polls made of safe characters, else the list of polls.</summary>
    public static string SafeBack(string? back) =>
        back is { Length: > 0 and <= 100 } b && (b == "/polls" || b.StartsWith("/polls/", StringComparison.Ordinal))
            && b.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '-') && !b.Contains("//", StringComparison.Ordinal)
            ? b
            : "/polls";
}
