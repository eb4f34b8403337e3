using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Network.Contracts;

namespace Network.CaptivePortal.Polls;

/// <summary>
/// The polls' management API for the NOC's planners (<c>noc-server/Contracts/Polls.cs</c> has its types and routes): the
/// bearer token of <see cref="PollsOptions.ManagementToken"/>, compared in constant time; without a token configured every
/// route answers 404, as if the API were not there. Bodies are source-generated JSON of at most
/// <see cref="PollLimits.RequestBodyBytes"/>.
/// </summary>
public static class PollsApi
{
    public const string Prefix = "/api/v1/polls";

    public static IEndpointRouteBuilder MapPollsApi(this IEndpointRouteBuilder endpoints)
    {
        RouteGroupBuilder api = endpoints.MapGroup(Prefix).AddEndpointFilter(AuthenticateAsync).DisableAntiforgery();
        api.MapGet("", ListAsync);
        api.MapPost("", CreateAsync);
        api.MapGet("/{id:long}", GetAsync);
        api.MapPut("/{id:long}", UpdateAsync);
        api.MapGet("/{id:long}/proposals", ProposalsAsync);
        api.MapGet("/{id:long}/proposals/{pid:long}", ProposalAsync);
        api.MapPost("/{id:long}/proposals/{pid:long}/moderation", ModerateAsync);
        api.MapGet("/{id:long}/results", ResultsAsync);
        api.MapGet("/{id:long}/results.csv", ResultsCsvAsync);
        // Anything else under the prefix: 404 after the token check, never the pages' fallback.
        api.Map("/{**rest}", () => Problem(StatusCodes.Status404NotFound, "not_found", "no such route"));
        return endpoints;
    }

    private static async ValueTask<object?> AuthenticateAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        HttpContext http = context.HttpContext;
        string configured = http.RequestServices.GetRequiredService<IOptions<PollsOptions>>().Value.ManagementToken;
        if (configured.Length == 0)
        {
            return Problem(StatusCodes.Status404NotFound, "not_found", "no such route");
        }

        string header = http.Request.Headers.Authorization.ToString();
        string given = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
        // Hashes of equal length, so the comparison takes the same time whatever was sent.
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(configured))))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"portal-polls\"";
            return Problem(StatusCodes.Status401Unauthorized, "token_required", "a valid management token is required (Authorization: Bearer ...)");
        }

        return await next(context).ConfigureAwait(false);
    }

    private static async Task<IResult> ListAsync(PollService polls, CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredPoll> all = await polls.Store.PollsAsync(cancellationToken).ConfigureAwait(false);
        var views = new List<PollView>(all.Count);
        foreach (StoredPoll poll in all)
        {
            views.Add(await ViewAsync(polls, poll, cancellationToken).ConfigureAwait(false));
        }

        return TypedResults.Json(new PollList(views), PollsJsonContext.Default.PollList);
    }

    private static async Task<IResult> CreateAsync(HttpContext http, PollService polls, CancellationToken cancellationToken)
    {
        (PollDraft? draft, IResult? bad) = await ReadAsync(http, PollsJsonContext.Default.PollDraft, cancellationToken).ConfigureAwait(false);
        if (bad is not null)
        {
            return bad;
        }

        if (PollRules.CheckDraft(draft) is string problem)
        {
            return Problem(StatusCodes.Status400BadRequest, problem, "the poll is not valid: " + problem);
        }

        long id = await polls.Store.CreatePollAsync(draft!, polls.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        StoredPoll poll = (await polls.Store.PollAsync(id, cancellationToken).ConfigureAwait(false))!;
        return TypedResults.Json(await ViewAsync(polls, poll, cancellationToken).ConfigureAwait(false), PollsJsonContext.Default.PollView,
            statusCode: StatusCodes.Status201Created).WithLocation($"{Prefix}/{id}");
    }

    private static async Task<IResult> GetAsync(long id, PollService polls, CancellationToken cancellationToken) =>
        await polls.Store.PollAsync(id, cancellationToken).ConfigureAwait(false) is StoredPoll poll
            ? TypedResults.Json(await ViewAsync(polls, poll, cancellationToken).ConfigureAwait(false), PollsJsonContext.Default.PollView)
            : NoSuchPoll();

    private static async Task<IResult> UpdateAsync(long id, HttpContext http, PollService polls, CancellationToken cancellationToken)
    {
        (PollDraft? draft, IResult? bad) = await ReadAsync(http, PollsJsonContext.Default.PollDraft, cancellationToken).ConfigureAwait(false);
        if (bad is not null)
        {
            return bad;
        }

        if (PollRules.CheckDraft(draft) is string problem)
        {
            return Problem(StatusCodes.Status400BadRequest, problem, "the poll is not valid: " + problem);
        }

        return await polls.Store.UpdatePollAsync(id, draft!, polls.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false) switch
        {
            PollChange.NotFound => NoSuchPoll(),
            PollChange.OptionsFixed => Problem(StatusCodes.Status409Conflict, "options_fixed", "the poll has opened: its options no longer change"),
            _ => await GetAsync(id, polls, cancellationToken).ConfigureAwait(false),
        };
    }

    private static async Task<IResult> ProposalsAsync(long id, string? state, PollService polls, CancellationToken cancellationToken)
    {
        if (state is not null && !ProposalStates.IsKnown(state))
        {
            return Problem(StatusCodes.Status400BadRequest, "state_unknown", "state is one of new, approved, merged, refused");
        }

        if (await polls.Store.PollAsync(id, cancellationToken).ConfigureAwait(false) is null)
        {
            return NoSuchPoll();
        }

        return TypedResults.Json(new ProposalList(await polls.Store.ProposalsAsync(id, state, cancellationToken).ConfigureAwait(false)),
            PollsJsonContext.Default.ProposalList);
    }

    private static async Task<IResult> ProposalAsync(long id, long pid, PollService polls, CancellationToken cancellationToken) =>
        await polls.Store.ProposalAsync(id, pid, cancellationToken).ConfigureAwait(false) is ProposalView proposal
            ? TypedResults.Json(proposal, PollsJsonContext.Default.ProposalView)
            : Problem(StatusCodes.Status404NotFound, "no_such_proposal", "no such proposal in this poll");

    private static async Task<IResult> ModerateAsync(long id, long pid, HttpContext http, PollService polls, CancellationToken cancellationToken)
    {
        (ModerationRequest? request, IResult? bad) = await ReadAsync(http, PollsJsonContext.Default.ModerationRequest, cancellationToken).ConfigureAwait(false);
        if (bad is not null)
        {
            return bad;
        }

        if (PollRules.CheckModeration(request) is string problem)
        {
            return Problem(StatusCodes.Status400BadRequest, problem, "the decision is not valid: " + problem);
        }

        ModerationRequest clean = request! with { Moderator = request!.Moderator.Trim(), Note = PollRules.Clean(request.Note) is { Length: > 0 } note ? note : null };
        string expected = request.ExpectedState ?? ProposalStates.New;
        switch (await polls.Store.ModerateAsync(id, pid, clean, expected, polls.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            case ModerationOutcome.NotFound:
                return Problem(StatusCodes.Status404NotFound, "no_such_proposal", "no such proposal in this poll");
            case ModerationOutcome.BadTarget:
                return Problem(StatusCodes.Status400BadRequest, "merge_target_invalid", "merge into a new or approved proposal of the same poll, not itself");
            case ModerationOutcome.StateChanged:
                ProposalView? now = await polls.Store.ProposalAsync(id, pid, cancellationToken).ConfigureAwait(false);
                return Problem(StatusCodes.Status409Conflict, "state_changed", $"the proposal is {now?.State ?? "gone"}, not {expected}: decided meanwhile");
            default:
                return TypedResults.Json((await polls.Store.ProposalAsync(id, pid, cancellationToken).ConfigureAwait(false))!, PollsJsonContext.Default.ProposalView);
        }
    }

    private static async Task<IResult> ResultsAsync(long id, PollService polls, CancellationToken cancellationToken) =>
        await polls.ResultsAsync(id, cancellationToken).ConfigureAwait(false) is PollResults results
            ? TypedResults.Json(results, PollsJsonContext.Default.PollResults)
            : NoSuchPoll();

    private static async Task<IResult> ResultsCsvAsync(long id, PollService polls, CancellationToken cancellationToken) =>
        await polls.ResultsAsync(id, cancellationToken).ConfigureAwait(false) is PollResults results
            ? TypedResults.Text(PollService.Csv(results), "text/csv; charset=utf-8")
            : NoSuchPoll();

    private static async Task<PollView> ViewAsync(PollService polls, StoredPoll poll, CancellationToken cancellationToken)
    {
        (long votes, long waiting, long approved) = await polls.Store.TalliesAsync(poll.Id, cancellationToken).ConfigureAwait(false);
        return new PollView(poll.Id, poll.Draft, poll.StateAt(polls.Time.GetUtcNow()), votes, waiting, approved, poll.CreatedAt, poll.UpdatedAt);
    }

    // A JSON body of at most PollLimits.RequestBodyBytes, or the answer that says what is wrong with it.
    private static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpContext http, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        if (http.Request.ContentLength > PollLimits.RequestBodyBytes)
        {
            return (null, Problem(StatusCodes.Status413PayloadTooLarge, "body_too_large", $"bodies are at most {PollLimits.RequestBodyBytes} bytes"));
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = PollLimits.RequestBodyBytes;
        }

        try
        {
            T? value = await JsonSerializer.DeserializeAsync(http.Request.Body, type, cancellationToken).ConfigureAwait(false);
            return value is null ? (null, Problem(StatusCodes.Status400BadRequest, "body_missing", "a JSON body is required")) : (value, null);
        }
        catch (JsonException)
        {
            return (null, Problem(StatusCodes.Status400BadRequest, "json_invalid", "the body is not the JSON this route takes"));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problem(StatusCodes.Status413PayloadTooLarge, "body_too_large", $"bodies are at most {PollLimits.RequestBodyBytes} bytes"));
        }
    }

    private static JsonHttpResult<PollProblem> NoSuchPoll() => Problem(StatusCodes.Status404NotFound, "no_such_poll", "no such poll");

    private static JsonHttpResult<PollProblem> Problem(int status, string code, string message) =>
        TypedResults.Json(new PollProblem(code, message), PollsJsonContext.Default.PollProblem, statusCode: status);
}

internal static class LocationResult
{
    /// <summary>The same JSON answer with a <c>Location</c> header.</summary>
    public static IResult WithLocation(this IResult result, string location) => new Located(result, location);

    private sealed class Located(IResult inner, string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
