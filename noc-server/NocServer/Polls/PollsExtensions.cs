using Network.Contracts;
using Network.Hosting;
using Network.Noc.Users;

namespace Network.Noc.Polls;

/// <summary>
/// The citizens' polls, the planners' side: the client of the portal's management API (the portal stores the polls;
/// the NOC stores nothing of them) and a read-only pass-through for programs, <c>GET /api/v1/polls</c> and
/// <c>GET /api/v1/polls/{id}/results</c>. The pages are in <c>Pages/Polls</c>.
/// </summary>
public static class PollsExtensions
{
    public static IHostApplicationBuilder AddPolls(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PollsOptions>().BindConfiguration(PollsOptions.Section)
            .ValidateOnStartNamingKeys(PollsOptions.Section, new PollsOptionsValidator());
        builder.Services.AddHttpClient<PollsClient>((services, http) =>
            {
                http.Timeout = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PollsOptions>>().Value.Timeout;
                http.MaxResponseContentBufferSize = PollsClient.MaxAnswerBytes;
            })
            // The request log never shows a header's value (the bearer token is one).
            .RedactLoggedHeaders(_ => true);
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Add(PollsJsonContext.Default));
        return builder;
    }

    /// <summary>The polls for programs, to anyone signed in: 503 while not configured, 502 while the portal cannot be asked.</summary>
    public static IEndpointRouteBuilder MapPolls(this IEndpointRouteBuilder endpoints)
    {
        RouteGroupBuilder polls = endpoints.MapGroup("/api/v1/polls").RequireAuthorization(NocPolicies.Viewer);
        polls.MapGet("/", (PollsClient client, CancellationToken cancellationToken) =>
            Relay(async () => TypedResults.Ok(new PollList(await client.ListAsync(cancellationToken).ConfigureAwait(false)))));
        polls.MapGet("/{id:long}/results", (long id, PollsClient client, CancellationToken cancellationToken) =>
            Relay(async () => TypedResults.Ok(await client.ResultsAsync(id, cancellationToken).ConfigureAwait(false))));
        return endpoints;
    }

    private static async Task<IResult> Relay(Func<Task<IResult>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (PollsNotConfiguredException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (PortalUnavailableException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status502BadGateway);
        }
        catch (PollRefusedException ex) when (ex.Status == System.Net.HttpStatusCode.NotFound)
        {
            return TypedResults.Problem(ex.Problem.Message, statusCode: StatusCodes.Status404NotFound);
        }
        catch (PollRefusedException ex)
        {
            return TypedResults.Problem($"the portal refused: {ex.Problem.Code}", statusCode: StatusCodes.Status502BadGateway);
        }
    }
}
