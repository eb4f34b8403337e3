using System.Text.Encodings.Web;
using System.Text.Unicode;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Network.Hosting;
using Network.Noc.Users;
using Network.WebPages;

namespace Network.Noc.Pages;

/// <summary>
/// The NOC's pages, Razor Pages under <c>Pages/</c> with one layout (<c>Shared/_Layout.cshtml</c>): the status board
/// (<c>/</c>), the map, a page per site, the alarms, and the login. The server sends the pages' frames in the
/// request's language (<see cref="NocLanguageProvider"/>); the scripts in <c>wwwroot/js</c> fill them from the JSON
/// API and keep them live through the hub at <c>/hubs/live</c>, with the texts the page hands them.
/// </summary>
public static class PagesExtensions
{
    /// <summary>The rate-limiting policy of <c>POST /login</c>.</summary>
    public const string LoginRateLimit = "login";

    private const string ErrorPage = "/Error";

    /// <summary>Paths whose errors are for programs (problem details, plain text, or just the status).</summary>
    private static readonly string[] s_machinePaths = ["/api", "/hubs", "/metrics", "/healthz", "/readyz"];

    public static IHostApplicationBuilder AddPages(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PagesOptions>().BindConfiguration(PagesOptions.Section)
            .ValidateOnStartNamingKeys(PagesOptions.Section, new PagesOptionsValidator());
        builder.Services.AddTextTableLocalization(NocText.Languages);
        // Razor writes Dutch and French letters as they are; only what HTML gives a meaning to is escaped.
        builder.Services.AddWebEncoders(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        builder.Services.AddRazorPages(options =>
        {
            // Every page needs a signed-in viewer, but the login and the logout (which allow anyone) and the error page,
            // which shows the error of a request whose authorization has already run (and may have failed).
            options.Conventions.AddFolderApplicationModelConvention("/", model =>
            {
                if (model.ViewEnginePath != ErrorPage)
                {
                    model.EndpointMetadata.Add(new AuthorizeAttribute(NocPolicies.Viewer));
                }
            });
            options.Conventions.ConfigureFilter(new NocPageFilter());
            // GET, and POST for the forms and the error page (which shows a refused post's error): 405 otherwise.
            options.Conventions.Add(new PageMethods(["/Login", "/Logout", "/Error", "/Site", "/Sla/Edit", "/Sla/Maintenance", "/Plan/Edit", "/Plan/Import", "/Plan/Targets", "/Polls/Edit", "/Polls/Moderation", "/Polls/Candidate"]));
            // Sign-in attempts are limited (the policy counts posts only).
            options.Conventions.AddPageApplicationModelConvention("/Login",
                model => model.EndpointMetadata.Add(new EnableRateLimitingAttribute(LoginRateLimit)));
        });
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "noc.antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
        });
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Sign-in attempts only: showing the login page costs nothing.
            // (The partitions' keys differ: a key names one limiter, whichever kind asked first.)
            options.AddPolicy(LoginRateLimit, context => !HttpMethods.IsPost(context.Request.Method)
                ? RateLimitPartition.GetNoLimiter("page")
                : RateLimitPartition.GetFixedWindowLimiter(
                    "post " + context.Connection.RemoteIpAddress,
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
        // A person's error without a body of its own gets the error page (in their language: the provider reads the
        // address that went wrong); programs get their answers as before, and the API stays in the invariant culture.
        app.UseStatusCodePagesWithReExecute(ErrorPage.ToLowerInvariant() + "/{0}");
        app.Use((context, next) =>
        {
            if (IsForPrograms(context.Request.Path) && context.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
            {
                statusPages.Enabled = false;
            }

            return next(context);
        });
        app.UseWhen(context => !IsForPrograms(context.Request.Path),
            branch => branch.UseRequestLocalization(NocLanguageProvider.LocalizationOptions()));
        app.UsePageFiles();
        app.UseRateLimiter();
        app.MapRazorPages();
        return app;
    }

    private static bool IsForPrograms(PathString path) =>
        s_machinePaths.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

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
}
