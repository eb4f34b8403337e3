using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;
using Network.Contracts;

namespace Network.Noc.Polls;

/// <summary>Why a call to the portal gave no answer the NOC can use.</summary>
public enum PortalFailure
{
    /// <summary>No connection (refused, no route, name not found, TLS failed).</summary>
    Unreachable,

    /// <summary>No answer within <see cref="PollsOptions.Timeout"/>.</summary>
    Timeout,

    /// <summary>401: the portal does not take the NOC's management token (the two sides are configured differently).</summary>
    TokenRefused,

    /// <summary>A 5xx, or an answer that is not what the API promises.</summary>
    Failed,
}

/// <summary>The polls are not configured (<see cref="PollsOptions.PortalUrl"/> is empty).</summary>
public sealed class PollsNotConfiguredException() : InvalidOperationException("the polls are not configured (Polls:PortalUrl)");

/// <summary>The portal could not be asked: the pages say so, the NOC's API answers 502.</summary>
public sealed class PortalUnavailableException(PortalFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public PortalFailure Failure { get; } = failure;
}

/// <summary>
/// The portal answered and refused (400, 404, 409, 413): <see cref="Problem"/> is its <see cref="PollProblem"/>, whose code the
/// pages turn into a message in the planner's language.
/// </summary>
public sealed class PollRefusedException(HttpStatusCode status, PollProblem problem) : Exception($"the portal refused ({(int)status} {problem.Code}): {problem.Message}")
{
    public HttpStatusCode Status { get; } = status;

    public PollProblem Problem { get; } = problem;
}

/// <summary>
/// The portal's polls management API (routes and types in <c>Network.Contracts.Polls</c>), a typed <see cref="HttpClient"/>
/// with the bearer token, the timeout of <see cref="PollsOptions.Timeout"/> and a bounded answer. Every failure is one of
/// three exceptions: <see cref="PollsNotConfiguredException"/>, <see cref="PortalUnavailableException"/>,
/// <see cref="PollRefusedException"/>. The token is never logged: the client's request logging redacts every header.
/// </summary>
public sealed class PollsClient(HttpClient http, IOptions<PollsOptions> options, ILogger<PollsClient> logger)
{
    /// <summary>The largest answer taken (the results' CSV of a poll with thousands of proposals fits many times over).</summary>
    public const long MaxAnswerBytes = 16 * 1024 * 1024;

    private const string Polls = "api/v1/polls";

    /// <summary>Whether a portal is configured (otherwise every call throws <see cref="PollsNotConfiguredException"/>).</summary>
    public bool Configured => options.Value.Configured;

    public async Task<IReadOnlyList<PollView>> ListAsync(CancellationToken cancellationToken) =>
        (await SendAsync(HttpMethod.Get, Polls, null, PollsJsonContext.Default.PollList, cancellationToken).ConfigureAwait(false)).Polls;

    public Task<PollView> GetAsync(long poll, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, PollPath(poll), null, PollsJsonContext.Default.PollView, cancellationToken);

    public Task<PollView> CreateAsync(PollDraft draft, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, Polls, JsonContent.Create(draft, PollsJsonContext.Default.PollDraft), PollsJsonContext.Default.PollView, cancellationToken);

    public Task<PollView> UpdateAsync(long poll, PollDraft draft, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, PollPath(poll), JsonContent.Create(draft, PollsJsonContext.Default.PollDraft), PollsJsonContext.Default.PollView, cancellationToken);

    /// <summary>A poll's proposals, all or those in <paramref name="state"/> (<see cref="ProposalStates"/>).</summary>
    public async Task<IReadOnlyList<ProposalView>> ProposalsAsync(long poll, string? state, CancellationToken cancellationToken)
    {
        if (state is not null && !ProposalStates.IsKnown(state))
        {
            throw new ArgumentException($"not a proposal state: {state}", nameof(state));
        }

        string path = PollPath(poll) + "/proposals" + (state is null ? "" : "?state=" + state);
        return (await SendAsync(HttpMethod.Get, path, null, PollsJsonContext.Default.ProposalList, cancellationToken).ConfigureAwait(false)).Proposals;
    }

    /// <summary>One proposal with its moderation records.</summary>
    public Task<ProposalView> ProposalAsync(long poll, long proposal, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, ProposalPath(poll, proposal), null, PollsJsonContext.Default.ProposalView, cancellationToken);

    public Task<ProposalView> ModerateAsync(long poll, long proposal, ModerationRequest decision, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, ProposalPath(poll, proposal) + "/moderation", JsonContent.Create(decision, PollsJsonContext.Default.ModerationRequest),
            PollsJsonContext.Default.ProposalView, cancellationToken);

    public Task<PollResults> ResultsAsync(long poll, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, PollPath(poll) + "/results", null, PollsJsonContext.Default.PollResults, cancellationToken);

    /// <summary>The results' CSV as the portal writes it (<see cref="PollCsv"/>).</summary>
    public async Task<byte[]> ResultsCsvAsync(long poll, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await CallAsync(HttpMethod.Get, PollPath(poll) + "/results.csv", null, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, (r, c) => r.Content.ReadAsByteArrayAsync(c), PollPath(poll) + "/results.csv", cancellationToken).ConfigureAwait(false);
    }

    private static string PollPath(long poll) => $"{Polls}/{poll}";

    private static string ProposalPath(long poll, long proposal) => $"{Polls}/{poll}/proposals/{proposal}";

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? body, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await CallAsync(method, path, body, cancellationToken).ConfigureAwait(false);
        T? value = await ReadAsync(response, (r, c) => r.Content.ReadFromJsonAsync(type, c), path, cancellationToken).ConfigureAwait(false);
        return value ?? throw Failed(path, "an empty answer");
    }

    /// <summary>Sends one request; a 2xx answer is returned, anything else becomes one of the client's exceptions.</summary>
    private async Task<HttpResponseMessage> CallAsync(HttpMethod method, string path, HttpContent? body, CancellationToken cancellationToken)
    {
        PollsOptions o = options.Value;
        if (!o.Configured)
        {
            body?.Dispose();
            throw new PollsNotConfiguredException();
        }

        using var request = new HttpRequestMessage(method, new Uri(o.BaseAddress(), path)) { Content = body };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", o.ManagementToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        HttpResponseMessage response;
        try
        {
            // The whole answer is read within the timeout and the buffer limit (HttpClient.MaxResponseContentBufferSize).
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("The portal did not answer {Method} {Path} within {Timeout}", method, path, http.Timeout);
            throw new PortalUnavailableException(PortalFailure.Timeout, $"the portal did not answer within {http.Timeout.TotalSeconds:0} s", ex);
        }
        catch (HttpRequestException ex)
        {
            logger.LogWarning("The portal is unreachable for {Method} {Path}: {Error}", method, path, ex.Message);
            throw new PortalUnavailableException(PortalFailure.Unreachable, $"the portal is unreachable: {ex.Message}", ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                logger.LogError("The portal refused the NOC's management token for {Method} {Path}: Polls:ManagementToken differs on the two sides", method, path);
                throw new PortalUnavailableException(PortalFailure.TokenRefused, "the portal refused the NOC's management token");
            }

            if ((int)response.StatusCode >= 500)
            {
                logger.LogWarning("The portal answered {Status} to {Method} {Path}", (int)response.StatusCode, method, path);
                throw Failed(path, $"status {(int)response.StatusCode}");
            }

            PollProblem? problem = null;
            try
            {
                problem = await response.Content.ReadFromJsonAsync(PollsJsonContext.Default.PollProblem, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException or HttpRequestException)
            {
                // No problem body (a proxy's page, say): the status alone.
            }

            throw new PollRefusedException(response.StatusCode, problem ?? new PollProblem("status_" + (int)response.StatusCode, response.ReasonPhrase ?? ""));
        }
    }

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, Func<HttpResponseMessage, CancellationToken, Task<T>> read, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await read(response, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or HttpRequestException)
        {
            logger.LogWarning("The portal's answer to {Path} is not what the API promises: {Error}", path, ex.Message);
            throw Failed(path, ex.Message, ex);
        }
    }

    private static PortalUnavailableException Failed(string path, string what, Exception? inner = null) =>
        new(PortalFailure.Failed, $"the portal's answer to {path} was not usable: {what}", inner);
}
