using System.Globalization;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using System.Threading.RateLimiting;
using System.Xml.Linq;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption.ConfigurationModel;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Network.CaptivePortal.Accounts;
using Network.CaptivePortal.Gateway;
using Network.CaptivePortal.Mail;
using Network.Hosting;
using Network.ServiceDefaults;
using Network.WebPages;

namespace Network.CaptivePortal.Portal;

public static class PortalExtensions
{
    /// <summary>
    /// The pages (options section <c>Portal</c>, mail section <c>Mail</c>): texts in nl/fr/en, antiforgery, Data Protection
    /// keys in the data folder, per-IP and per-device rate limits on the forms, the registration profile store.
    /// </summary>
    public static IHostApplicationBuilder AddPortal(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PortalOptions>().BindConfiguration(PortalOptions.Section)
            .ValidateOnStartNamingKeys(PortalOptions.Section, new PortalOptionsValidator());
        builder.Services.AddOptions<MailOptions>().BindConfiguration(MailOptions.Section)
            .ValidateOnStartNamingKeys(MailOptions.Section, new MailOptionsValidator());
        builder.AddPortalDatabase(AccountRegistration.Feature);
        builder.Services.AddSingleton<AccountRegistration>();
        builder.Services.AddSingleton<PortalTokens>();
        builder.Services.AddSingleton<AllowanceReader>();
        builder.Services.AddSingleton<FileMailSender>();
        builder.Services.AddSingleton<IMailSender>(services => services.GetRequiredService<FileMailSender>());
        builder.Services.AddScoped<PortalVisit>(services => new PortalVisit(
            services.GetRequiredService<IHttpContextAccessor>().HttpContext!, services.GetRequiredService<IStringLocalizer<PortalText>>(),
            services.GetRequiredService<IOptions<PortalOptions>>(), services.GetRequiredService<UamContextProtector>()));
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddTextTableLocalization(PortalText.Languages);
        // The pages (Pages/): Razor Pages. Razor encodes every value it writes; letters of every script stay letters
        // (the default encoder would write "à" as "&#xE0;").
        // MVC's core with Razor Pages and views, without the authentication and authorization services AddRazorPages()
        // brings: the portal signs nobody in, and with them registered the host puts the authentication and
        // authorization middleware in front of every request a crowd sends. Razor Pages only reads [Authorize] (none
        // here) through the policy provider.
        builder.Services.TryAddSingleton<IAuthorizationPolicyProvider, DefaultAuthorizationPolicyProvider>();
        builder.Services.AddMvcCore().AddRazorPages(options => options.Conventions.Add(new PageMethods(["/Register", "/Login", "/Forgot", "/Reset", "/Delete", "/Polls/SignIn", "/Polls/SignOut", "/Polls/Poll", "/Polls/Propose"])));
        // No page keeps TempData: no TempData filter (and its cookie provider) on every request.
        builder.Services.PostConfigure<MvcOptions>(options =>
        {
            foreach (var filter in options.Filters.OfType<SaveTempDataAttribute>().ToList())
            {
                options.Filters.Remove(filter);
            }
        });
        builder.Services.AddWebEncoders(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "portal-antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.SuppressXFrameOptionsHeader = true;
        });
        // Keys in the data folder, so tokens in links and forms outlive a restart.
        // AES-256-GCM rather than the default AES-CBC with HMAC: every form's antiforgery tokens and every gateway
        // visit's context are unprotected on each request, and GCM needs one cipher where CBC needs a cipher and a MAC
        // (keys made before keep their own algorithms, so their tokens stay readable until the keys expire).
        builder.Services.AddDataProtection().SetApplicationName("Network.CaptivePortal")
            .UseCryptographicAlgorithms(new AuthenticatedEncryptorConfiguration
            {
                EncryptionAlgorithm = EncryptionAlgorithm.AES_256_GCM,
                ValidationAlgorithm = ValidationAlgorithm.HMACSHA256,
            });
        builder.Services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((options, services) =>
            options.XmlRepository = new DataFolderKeyRepository(services));
        // Strangers' forms are small: a handful of fields of a few hundred characters.
        builder.Services.Configure<FormOptions>(options =>
        {
            options.ValueCountLimit = 16;
            options.ValueLengthLimit = 4096;
            options.KeyLengthLimit = 64;
            options.MultipartBodyLengthLimit = 16 * 1024;
        });
        builder.Services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, byDevice: false)),
                PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, byDevice: true)));
            options.OnRejected = OnRejectedAsync;
        });
        return builder;
    }

    /// <summary>Language negotiation, security headers, rate limits, the stylesheet and script, the pages, the gateways' API.</summary>
    public static WebApplication MapPortal(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        string[] cultures = [.. PortalText.Languages];
        var localization = new RequestLocalizationOptions()
            .SetDefaultCulture("en").AddSupportedCultures(cultures).AddSupportedUICultures(cultures);
        // ?lang= first, then Accept-Language; never a cookie (captive browsers drop them between visits).
        localization.RequestCultureProviders =
        [
            new QueryStringRequestCultureProvider { QueryStringKey = "lang", UIQueryStringKey = "lang" },
            new AcceptLanguageHeaderRequestCultureProvider(),
        ];
        app.UseRequestLocalization(localization);
        app.Use(SecurityHeaders);
        // Only form posts are limited (see Partition): the limiter is not asked about anything else.
        app.UseWhen(context => HttpMethods.IsPost(context.Request.Method), posts => posts.UseRateLimiter());
        app.MapGet("/portal.css", () => Asset("portal.css", "text/css; charset=utf-8"));
        app.MapGet("/portal.js", () => Asset("portal.js", "text/javascript; charset=utf-8"));
        // The icon the pages link to, and /favicon.ico for the browsers and tools that ask for it without reading the page.
        app.MapGet("/favicon.svg", () => Asset("favicon.svg", "image/svg+xml"));
        app.MapGet("/favicon.ico", () => Asset("favicon.svg", "image/svg+xml"));
        app.MapRazorPages();
        app.MapGatewayEndpoints();
        return app;
    }

    /// <summary>The Content-Security-Policy with the forms' allowed targets (<c>'self'</c>, and a gateway's origin when a visit has one).</summary>
    private static string ContentSecurityPolicy(string formAction) =>
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; connect-src 'self'; "
        + $"form-action {formAction}; frame-ancestors 'none'; base-uri 'none'";

    private static readonly string s_ownPolicy = ContentSecurityPolicy("'self'");

    private static readonly Func<object, Task> s_addSecurityHeaders = state =>
    {
        var context = (HttpContext)state;
        IHeaderDictionary headers = context.Response.Headers;
        headers.ContentSecurityPolicy = context.Items.TryGetValue(PortalVisit.GatewayOriginItem, out object? origin) && origin is string gateway
            ? ContentSecurityPolicy("'self' " + gateway)
            : s_ownPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        // Links carry tokens (gateway context, reset links): never hand them to another site.
        headers["Referrer-Policy"] = "no-referrer";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        if (context.Response.ContentType?.StartsWith("text/html", StringComparison.Ordinal) == true)
        {
            headers.CacheControl = "no-store";
        }

        return Task.CompletedTask;
    };

    private static Task SecurityHeaders(HttpContext context, Func<Task> next)
    {
        context.Response.OnStarting(s_addSecurityHeaders, context);
        return next();
    }

    private static readonly string[] s_loginPaths = ["/login", "/delete", "/wispr", "/hotspot", "/polls/signin"];
    private static readonly string[] s_registrationPaths = ["/register", "/forgot", "/reset"];

    /// <summary>
    /// Form posts (the only requests the limiter sees) are limited per source IP address and per device. The device is the
    /// MAC in the gateway context the form carries (signed by the gateway, protected by us), so it cannot be made up.
    /// </summary>
    private static RateLimitPartition<string> Partition(HttpContext context, bool byDevice)
    {
        string path = context.Request.Path.Value ?? "";
        bool login = s_loginPaths.Contains(path, StringComparer.OrdinalIgnoreCase);
        bool registration = s_registrationPaths.Contains(path, StringComparer.OrdinalIgnoreCase);
        // The polls' other forms (a vote, a rating, a proposal) per address only: their visits carry no gateway context.
        bool polls = !login && path.StartsWith("/polls/", StringComparison.OrdinalIgnoreCase);
        if (!login && !registration && !polls)
        {
            return RateLimitPartition.GetNoLimiter("");
        }

        PortalRateLimitOptions limits = context.RequestServices.GetRequiredService<IOptions<PortalOptions>>().Value.RateLimits;
        string kind = login ? "login" : polls ? "polls" : "register";
        string? key;
        int permits;
        if (byDevice)
        {
            key = polls ? null : context.RequestServices.GetRequiredService<PortalVisit>().Uam?.Mac;
            permits = login ? limits.LoginsPerDevice : limits.RegistrationsPerDevice;
        }
        else
        {
            key = (context.Connection.RemoteIpAddress ?? IPAddress.None).ToString();
            permits = login ? limits.LoginsPerIp : polls ? limits.PollPostsPerIp : limits.RegistrationsPerIp;
        }

        return key is null
            ? RateLimitPartition.GetNoLimiter("")
            : RateLimitPartition.GetFixedWindowLimiter($"{kind}:{(byDevice ? "mac" : "ip")}:{key}", _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permits,
                Window = limits.Window,
                QueueLimit = 0,
                AutoReplenishment = true,
            });
    }

    private static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        HttpContext context = rejected.HttpContext;
        PortalVisit page = context.RequestServices.GetRequiredService<PortalVisit>();
        int seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : (int)Math.Ceiling(page.Options.RateLimits.Window.TotalSeconds);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        string back = context.Request.Path.Value ?? "/";
        await page.Message(page.T("TooManyTitle"), page.T("ErrTooManyRequests", seconds), (back, page.T("BackToStart")), StatusCodes.Status429TooManyRequests)
            .ExecuteAsync(context).ConfigureAwait(false);
    }

    private static readonly Dictionary<string, string> s_assets = new(StringComparer.Ordinal);

    private static Microsoft.AspNetCore.Http.HttpResults.ContentHttpResult Asset(string name, string contentType)
    {
        string text;
        lock (s_assets)
        {
            if (!s_assets.TryGetValue(name, out text!))
            {
                using Stream stream = typeof(PortalExtensions).Assembly.GetManifestResourceStream("Network.CaptivePortal.Portal.Assets." + name)
                    ?? throw new InvalidOperationException(name + " is not embedded");
                using var reader = new StreamReader(stream);
                text = reader.ReadToEnd();
                s_assets[name] = text;
            }
        }

        return TypedResults.Text(text, contentType);
    }
}

/// <summary>
/// The Data Protection keys in the data folder's <c>keys</c>, opened when a key is first read or written. Razor Pages
/// resolve Data Protection while the app is being built (for the metrics' page label); opening the folder then would
/// turn a bad <c>Storage:DataDirectory</c> into a crash instead of the one-line configuration error (exit 78).
/// </summary>
internal sealed class DataFolderKeyRepository(IServiceProvider services) : IXmlRepository
{
    private readonly Lazy<FileSystemXmlRepository> _folder = new(() => new FileSystemXmlRepository(
        new DirectoryInfo(Path.Combine(services.GetRequiredService<DataDirectory>().Ensure(), "keys")), services.GetRequiredService<ILoggerFactory>()));

    public IReadOnlyCollection<XElement> GetAllElements() => _folder.Value.GetAllElements();

    public void StoreElement(XElement element, string friendlyName) => _folder.Value.StoreElement(element, friendlyName);
}
