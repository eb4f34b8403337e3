namespace Network.CaptivePortal.Portal;

/// <summary>The wifi user's pages. The welcome page stands here; registration and login come with the portal issue.</summary>
public static class PortalEndpoints
{
    private const string Page = """
        <!doctype html>
        <html lang="nl">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>Urbizone</title>
        </head>
        <body>
          <main>
            <h1>Urbizone</h1>
            <p lang="nl">Gratis wifi in het Brussels Gewest.</p>
            <p lang="fr">Wifi gratuit en Région bruxelloise.</p>
            <p lang="en">Free wifi in the Brussels Region.</p>
          </main>
        </body>
        </html>
        """;

    public static IEndpointRouteBuilder MapPortal(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", () => TypedResults.Content(Page, "text/html; charset=utf-8"));
        return endpoints;
    }
}
