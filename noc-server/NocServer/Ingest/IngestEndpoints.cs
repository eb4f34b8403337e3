using System.IO.Compression;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Network.Contracts;
using Network.Noc.Agents;
using Network.Noc.Inventory;
using Network.Noc.TimeSeries;

namespace Network.Noc.Ingest;

/// <summary>What ingest answers: how many samples were stored, which were refused and why (at most ten reasons).</summary>
public sealed record IngestAnswer(int Accepted, int Rejected, IReadOnlyList<string> Errors, IReadOnlyList<string> UnknownSites, bool Duplicate = false);

/// <summary>
/// <c>POST /api/v1/ingest</c>: a <see cref="SampleBatch"/> as JSON, gzip or not, with the agent's bearer token.
/// <list type="bullet">
/// <item>200: stored (some samples may be refused one by one: invalid names, a timestamp outside the window; the answer says which).</item>
/// <item>422: every sample and event of the batch was refused (the answer says why); nothing was stored.</item>
/// <item>400: not a batch (bad JSON, no agent id, a sequence below 1); 403: the batch names another agent than the token's; 401: no or bad token.</item>
/// <item>409: this agent's batch with this sequence is stored already (the agent treats it as delivered).</item>
/// <item>413: body, decompressed body, samples or events over their bounds; 429 with Retry-After: the store is behind; 503: the store failed.</item>
/// </list>
/// </summary>
public static class IngestEndpoints
{
    public static IEndpointRouteBuilder MapIngest(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/v1/ingest", IngestAsync);
        return endpoints;
    }

    private static async Task<IResult> IngestAsync(HttpContext context, AgentService agents, IngestPipeline pipeline, InventoryService inventory,
        IOptions<IngestOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        IngestOptions limits = options.Value;
        string? agentId = await AuthenticateAsync(context, agents, cancellationToken);
        if (agentId is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"noc-ingest\"";
            return TypedResults.Problem("a valid agent token is required (Authorization: Bearer ...)", statusCode: StatusCodes.Status401Unauthorized);
        }

        if (context.Request.ContentLength > limits.MaxBodyBytes)
        {
            return TooLarge($"body over {limits.MaxBodyBytes} bytes");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limits.MaxBodyBytes;
        }

        SampleBatch? batch;
        try
        {
            batch = await ReadBatchAsync(context.Request, limits, cancellationToken);
        }
        catch (BodyTooLargeException ex)
        {
            return TooLarge(ex.Message);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge($"body over {limits.MaxBodyBytes} bytes");
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or NotSupportedException)
        {
            return TypedResults.Problem($"not a sample batch: {ex.Message}", statusCode: StatusCodes.Status400BadRequest);
        }

        if (batch is null || string.IsNullOrEmpty(batch.AgentId) || batch.Samples is null || batch.Sequence < 1)
        {
            return TypedResults.Problem("a batch needs agentId, a sequence of at least 1 and a samples list", statusCode: StatusCodes.Status400BadRequest);
        }

        if (!string.Equals(batch.AgentId, agentId, StringComparison.Ordinal))
        {
            return TypedResults.Problem($"this token belongs to another agent than '{batch.AgentId}'", statusCode: StatusCodes.Status403Forbidden);
        }

        if (batch.Samples.Count > limits.MaxSamples || batch.Events?.Count > limits.MaxEvents)
        {
            return TooLarge($"at most {limits.MaxSamples} samples and {limits.MaxEvents} events per batch");
        }

        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        long minMs = now - (long)limits.MaxAge.TotalMilliseconds;
        long maxMs = now + (long)limits.MaxFutureSkew.TotalMilliseconds;
        var points = new List<SeriesPoint>(batch.Samples.Count);
        var errors = new List<string>();
        int rejected = 0;
        HashSet<string>? unknownSites = null;
        string? lastSite = null;
        foreach (Sample sample in batch.Samples)
        {
            if (SampleValidation.TryConvert(sample, minMs, maxMs, limits.MaxLabels, out SeriesPoint point) is string error)
            {
                rejected++;
                if (errors.Count < 10)
                {
                    errors.Add(error);
                }

                continue;
            }

            points.Add(point);
            if (!ReferenceEquals(sample.Site, lastSite) && sample.Site != lastSite)
            {
                lastSite = sample.Site;
                if (inventory.Find(sample.Site) is null)
                {
                    (unknownSites ??= new(StringComparer.Ordinal)).Add(sample.Site);
                }
            }
        }

        var events = new List<DeviceEvent>(batch.Events?.Count ?? 0);
        foreach (DeviceEvent deviceEvent in batch.Events ?? [])
        {
            if (deviceEvent is null || string.IsNullOrEmpty(deviceEvent.Site) || string.IsNullOrEmpty(deviceEvent.Device) || string.IsNullOrEmpty(deviceEvent.Kind)
                || deviceEvent.Kind.Length > SampleValidation.MaxNameLength || deviceEvent.Message?.Length > 1000)
            {
                rejected++;
                if (errors.Count < 10)
                {
                    errors.Add("an event needs site, device, kind (at most 64 characters) and a message of at most 1000 characters");
                }

                continue;
            }

            events.Add(deviceEvent);
        }

        if (points.Count == 0 && events.Count == 0 && rejected > 0)
        {
            // Nothing to store and something refused: a clear 4xx, not a 200 that stores nothing.
            return TypedResults.Json(new IngestAnswer(0, rejected, errors, []), statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        switch (pipeline.Admit(agentId, batch.Sequence, points.Count))
        {
            case Admission.Duplicate:
            case Admission.InFlight:
                return TypedResults.Json(new IngestAnswer(0, 0, [], [], Duplicate: true), statusCode: StatusCodes.Status409Conflict);
            case Admission.Busy:
                context.Response.Headers.RetryAfter = "1";
                return TypedResults.Problem("the store is behind; send this batch again after Retry-After", statusCode: StatusCodes.Status429TooManyRequests);
            default:
                break;
        }

        try
        {
            await pipeline.SubmitAsync(new IngestWork(agentId, batch.Sequence, points, events), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            context.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem("the store failed; send this batch again", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return TypedResults.Ok(new IngestAnswer(points.Count, rejected, errors, unknownSites is null ? [] : [.. unknownSites.Order(StringComparer.Ordinal)]));
    }

    private static async ValueTask<string?> AuthenticateAsync(HttpContext context, AgentService agents, CancellationToken cancellationToken)
    {
        string? header = context.Request.Headers.Authorization;
        const string Scheme = "Bearer ";
        return header is not null && header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            ? await agents.AuthenticateAsync(header[Scheme.Length..].Trim(), cancellationToken)
            : null;
    }

    private static async Task<SampleBatch?> ReadBatchAsync(HttpRequest request, IngestOptions limits, CancellationToken cancellationToken)
    {
        Stream body = request.Body;
        string? encoding = request.Headers.ContentEncoding;
        GZipStream? gzip = null;
        if (!string.IsNullOrEmpty(encoding))
        {
            if (!string.Equals(encoding, "gzip", StringComparison.OrdinalIgnoreCase))
            {
                throw new NotSupportedException($"Content-Encoding '{encoding}' (gzip or none)");
            }

            gzip = new GZipStream(body, CompressionMode.Decompress, leaveOpen: true);
            body = gzip;
        }

        await using (gzip)
        {
            await using var limited = new BoundedReadStream(body, limits.MaxDecompressedBytes);
            return await JsonSerializer.DeserializeAsync(limited, IngestJsonContext.Default.SampleBatch, cancellationToken);
        }
    }

    private static ProblemHttpResult TooLarge(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status413PayloadTooLarge);
}
