using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace Network.Noc.Pages;

/// <summary>What every page and every file under <c>/lib</c>, <c>/css</c> and <c>/js</c> is sent with.</summary>
internal static class SecurityHeaders
{
    /// <summary>
    /// Scripts, styles and connections only from this origin, no inline script or style element, no plugin, no
    /// framing, forms only to this origin. SignalR's WebSocket is covered by <c>'self'</c> (CSP Level 3).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>Headers of an HTML page. A page carries the user's name and an antiforgery token: never cached.</summary>
    public static void ForPage(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        response.Headers["Referrer-Policy"] = "same-origin";
        response.Headers.CacheControl = "no-store";
    }

    /// <summary>
    /// Serves the files of <c>wwwroot/lib</c>, <c>wwwroot/css</c> and <c>wwwroot/js</c> and <c>/favicon.ico</c>, and nothing
    /// else of the web root,
    /// to anyone (they hold no secret; the login page needs the style sheet).
    /// </summary>
    public static void UsePageFiles(this WebApplication app)
    {
        var types = new FileExtensionContentTypeProvider();
        foreach (string folder in new[] { "lib", "css", "js" })
        {
            string path = Path.Combine(app.Environment.ContentRootPath, "wwwroot", folder);
            if (!Directory.Exists(path))
            {
                app.Logger.LogWarning("The pages' folder {Folder} is missing: the dashboard will not work (build the NOC with npm reachable)", path);
                continue;
            }

            app.UseStaticFiles(Files("/" + folder, new PhysicalFileProvider(path), types));
        }

        // The icon browsers ask for at /favicon.ico (wwwroot/favicon.ico), and no other file of the web root.
        string webRoot = Path.Combine(app.Environment.ContentRootPath, "wwwroot");
        if (File.Exists(Path.Combine(webRoot, "favicon.ico")))
        {
            app.UseWhen(context => context.Request.Path.Equals("/favicon.ico", StringComparison.Ordinal),
                branch => branch.UseStaticFiles(Files("", new PhysicalFileProvider(webRoot), types)));
        }
    }

    private static StaticFileOptions Files(string requestPath, IFileProvider files, IContentTypeProvider types) => new()
    {
        RequestPath = requestPath,
        FileProvider = files,
        ContentTypeProvider = types,
        ServeUnknownFileTypes = false,
        OnPrepareResponse = context =>
        {
            context.Context.Response.Headers.XContentTypeOptions = "nosniff";
            // Revalidate every time: the files change with a deployment and have no fingerprint in their name.
            context.Context.Response.Headers.CacheControl = "no-cache";
        },
    };
}
