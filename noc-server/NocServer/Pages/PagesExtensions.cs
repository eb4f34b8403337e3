using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Network.Hosting;
using Network.Noc.Users;

namespace Network.Noc.Pages;

/// <summary>
/// The NOC's dashboard pages: the status board (<c>/</c>), the map, a page per site, the alarms, and the login. The
/// server sends static HTML shells; the scripts in <c>wwwroot/js</c> fill them from the JSON API and keep them live
/// through the hub at <c>/hubs/live</c>.
/// </summary>
public static class PagesExtensions
{
    /// <summary>The rate-limiting policy of <c>POST /login</c>.</summary>
    public const string LoginRateLimit = "login";

    private const string Html = "text/html; charset=utf-8";

    private static readonly NocPage s_board = new("/", "Status board", PageBodies.Board, ["/js/board.js"]);
    private static readonly NocPage s_map = new("/map", "Map", PageBodies.Map, ["/js/map.js"]);
    private static readonly NocPage s_site = new("/sites", "Site", PageBodies.Site, ["/js/site.js"], Charts: true);
    private static readonly NocPage s_alarms = new("/alarms", "Alarms", PageBodies.Alarms, ["/js/alarms.js"]);

    // A login form is three short fields: anything bigger is not one.
    private static readonly FormOptions s_loginForm = new()
    {
        BufferBody = false,
        KeyLengthLimit = 64,
        ValueCountLimit = 8,
        ValueLengthLimit = 1024,
        MultipartBodyLengthLimit = 8 * 1024,
    };

    public static IHostApplicationBuilder AddPages(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PagesOptions>().BindConfiguration(PagesOptions.Section)
            .ValidateOnStartNamingKeys(PagesOptions.Section, new PagesOptionsValidator());
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "noc.antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
        });
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(LoginRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = context.RequestServices.GetRequiredService<IOptions<PagesOptions>>().Value.LoginAttemptsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
        });
        return builder;
    }

    public static WebApplication MapPages(this WebApplication app)
    {
        app.UsePageFiles();
        app.UseRateLimiter();

        RouteGroupBuilder pages = app.MapGroup("").RequireAuthorization(NocPolicies.Viewer);
        pages.MapGet("/", (HttpContext context, IAntiforgery antiforgery) => Page(context, antiforgery, s_board));
        pages.MapGet("/map", (HttpContext context, IAntiforgery antiforgery) => Page(context, antiforgery, s_map));
        pages.MapGet("/alarms", (HttpContext context, IAntiforgery antiforgery) => Page(context, antiforgery, s_alarms));
        pages.MapGet("/sites/{id}", Results<ContentHttpResult, NotFound> (string id, HttpContext context, IAntiforgery antiforgery) =>
            id.Length is 0 or > 128 || id.Any(char.IsControl)
                ? TypedResults.NotFound()
                : Page(context, antiforgery, s_site with { Title = id }, new Dictionary<string, string> { ["site"] = id }));

        app.MapGet("/login", (HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
            LoginPage(context, antiforgery, LocalPathOrRoot(returnUrl), error: null, StatusCodes.Status200OK)).AllowAnonymous();
        app.MapPost("/login", SignInAsync).AllowAnonymous().RequireRateLimiting(LoginRateLimit);
        app.MapPost("/logout", SignOutAsync).AllowAnonymous();
        return app;
    }

    /// <summary>
    /// <paramref name="url"/> when it is a path on this site (<c>/alarms?state=open</c>), else <c>/</c>: never
    /// <c>//host</c>, <c>/\host</c>, an absolute URL or anything with a control character, so the login page cannot
    /// send anyone elsewhere.
    /// </summary>
    public static string LocalPathOrRoot(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Length > 2048 || url[0] != '/')
        {
            return "/";
        }

        if (url.Length > 1 && (url[1] == '/' || url[1] == '\\'))
        {
            return "/";
        }

        foreach (char c in url)
        {
            if (char.IsControl(c) || c == '\\')
            {
                return "/";
            }
        }

        return url;
    }

    private static ContentHttpResult Page(HttpContext context, IAntiforgery antiforgery, NocPage page, IReadOnlyDictionary<string, string>? data = null)
    {
        AntiforgeryTokenSet tokens = antiforgery.GetAndStoreTokens(context);
        SecurityHeaders.ForPage(context.Response);
        return TypedResults.Content(PageShell.Render(page, context.User, tokens.RequestToken ?? "", data), Html);
    }

    private static ContentHttpResult LoginPage(HttpContext context, IAntiforgery antiforgery, string returnUrl, string? error, int status)
    {
        AntiforgeryTokenSet tokens = antiforgery.GetAndStoreTokens(context);
        SecurityHeaders.ForPage(context.Response);
        return TypedResults.Content(LoginForm.Render(tokens.RequestToken ?? "", returnUrl, error), Html, statusCode: status);
    }

    private static async Task<Results<RedirectHttpResult, ContentHttpResult>> SignInAsync(
        HttpContext context, IAntiforgery antiforgery, UserService users, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!context.Request.HasFormContentType)
        {
            return LoginPage(context, antiforgery, "/", "Send the form from the login page.", StatusCodes.Status415UnsupportedMediaType);
        }

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(s_loginForm, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            return LoginPage(context, antiforgery, "/", "That was not a login form.", StatusCodes.Status400BadRequest);
        }

        string returnUrl = LocalPathOrRoot(form["returnUrl"]);
        if (!await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
        {
            return LoginPage(context, antiforgery, returnUrl, "The form had expired. Please sign in again.", StatusCodes.Status400BadRequest);
        }

        string name = form["name"].ToString().Trim();
        string password = form["password"].ToString();
        if (name.Length == 0 || password.Length == 0)
        {
            return LoginPage(context, antiforgery, returnUrl, "Enter your user name and your password.", StatusCodes.Status400BadRequest);
        }

        ILogger logger = loggers.CreateLogger("Network.Noc.Pages.Login");
        NocUser? user = await users.VerifyAsync(name, password, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            logger.LogWarning("Failed sign-in for {Name} from {Address}", name.Length > 64 ? name[..64] : name, context.Connection.RemoteIpAddress);
            return LoginPage(context, antiforgery, returnUrl, "Wrong user name or password.", StatusCodes.Status401Unauthorized);
        }

        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, NocPrincipal.Create(user)).ConfigureAwait(false);
        logger.LogInformation("{Name} ({Role}) signed in from {Address}", user.Name, user.Role, context.Connection.RemoteIpAddress);
        return TypedResults.Redirect(returnUrl);
    }

    private static async Task<Results<RedirectHttpResult, BadRequest<string>>> SignOutAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (!context.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
        {
            return TypedResults.BadRequest("log out from a page of the NOC");
        }

        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
        return TypedResults.Redirect("/login");
    }
}
