using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Network.Noc.Users;
using Network.WebPages;

namespace Network.Noc.Pages;

/// <summary>
/// The login page: a plain form posted back to <c>/login</c> with its antiforgery token; works without script. The
/// form is read here, within the limits of a login form, and the token checked here (not by the automatic filter),
/// so that a refused form comes back as the page with a message.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class LoginModel(IAntiforgery antiforgery, UserService users, IStringLocalizer<NocText> text, ILogger<LoginModel> logger) : PageModel
{
    // A login form is three short fields and the token: anything bigger is not one.
    private static readonly FormOptions s_loginForm = new()
    {
        BufferBody = false,
        KeyLengthLimit = 64,
        ValueCountLimit = 8,
        ValueLengthLimit = 1024,
        MultipartBodyLengthLimit = 8 * 1024,
    };

    /// <summary>Where to go after signing in: always a path on this site (<see cref="PagesExtensions.LocalPathOrRoot"/>).</summary>
    public string ReturnUrl { get; private set; } = "/";

    /// <summary>The name typed, shown again with an error (never the password).</summary>
    public string Name { get; private set; } = "";

    public IReadOnlyList<FieldError> Errors { get; private set; } = [];

    public void OnGet(string? returnUrl) => ReturnUrl = PagesExtensions.LocalPathOrRoot(returnUrl);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!Request.HasFormContentType)
        {
            return Refused(StatusCodes.Status415UnsupportedMediaType, "LoginNotFromPage");
        }

        IFormCollection form;
        try
        {
            form = await Request.ReadFormAsync(s_loginForm, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            return Refused(StatusCodes.Status400BadRequest, "LoginNotAForm");
        }

        ReturnUrl = PagesExtensions.LocalPathOrRoot(form["returnUrl"]);
        string name = form["name"].ToString().Trim();
        Name = name.Length > 64 ? name[..64] : name;
        if (!await antiforgery.IsRequestValidAsync(HttpContext).ConfigureAwait(false))
        {
            return Refused(StatusCodes.Status400BadRequest, "LoginExpired");
        }

        string password = form["password"].ToString();
        if (name.Length == 0 || password.Length == 0)
        {
            return Refused(StatusCodes.Status400BadRequest, "LoginMissing", name.Length == 0 ? "name" : "password");
        }

        NocUser? user = await users.VerifyAsync(name, password, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            logger.LogWarning("Failed sign-in for {Name} from {Address}", Name, HttpContext.Connection.RemoteIpAddress);
            return Refused(StatusCodes.Status401Unauthorized, "LoginWrong");
        }

        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, NocPrincipal.Create(user)).ConfigureAwait(false);
        logger.LogInformation("{Name} ({Role}) signed in from {Address}", user.Name, user.Role, HttpContext.Connection.RemoteIpAddress);
        return Redirect(ReturnUrl);
    }

    private PageResult Refused(int status, string message, string field = "name")
    {
        Errors = [new FieldError(field, text[message])];
        Response.StatusCode = status;
        return Page();
    }
}
