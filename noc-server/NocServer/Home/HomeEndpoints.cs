namespace Network.Noc.Home;

/// <summary>The NOC's front page: where an engineer starts. The live dashboard grows here with the NOC issue.</summary>
public static class HomeEndpoints
{
    private const string Page = """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>NOC · Urbizone and Fiber to the School</title>
        </head>
        <body>
          <main>
            <h1>Network operations centre</h1>
            <p>Urbizone hotspots and Fiber to the School links.</p>
            <ul>
              <li><a href="/healthz">Liveness</a></li>
              <li><a href="/readyz">Readiness</a></li>
              <li><a href="/metrics">Prometheus metrics</a></li>
            </ul>
          </main>
        </body>
        </html>
        """;

    public static IEndpointRouteBuilder MapHome(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", () => TypedResults.Content(Page, "text/html; charset=utf-8"));
        return endpoints;
    }
}
