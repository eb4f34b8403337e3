using System.Buffers;
using System.IO.Compression;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Network.Noc.Agents;
using Network.Contracts;

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

    private static async Task<IResult> IngestAsync(HttpContext context, AgentService agents, IngestPipeline pipeline, IKnownSites sites,
        IOptions<IngestOptions> options, TimeProvider time, UnknownSites unknown, IEnumerable<IAgentRequests> requests, CancellationToken cancellationToken)
    {
        IngestOptions limits = options.Value;
        string? agentId = await AuthenticateAsync(context, agents, cancellationToken);
        if (agentId is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"noc-ingest\"";
            return TypedResults.Problem("a valid agent token is required (Authorization: Bearer ...)", statusCode: StatusCodes.Status401Unauthorized);
        }

        (PooledBody? body, IResult? unread) = await ReceiveAsync(context, limits, cancellationToken);
        if (body is null)
        {
            return unread!;
        }

        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var window = new SampleWindow(now - (long)limits.MaxAge.TotalMilliseconds, now + (long)limits.MaxFutureSkew.TotalMilliseconds,
            limits.MaxLabels, limits.MaxSamples, limits.MaxEvents);
        // Agents send about 130 bytes a sample; the array comes from the pool and goes back once the batch is stored.
        var points = new PointBatch((int)Math.Min(body.Length / 96, limits.MaxSamples));
        bool submitted = false;
        try
        {
            IncomingBatch batch;
            using (body)
            {
                batch = IncomingBatch.Read(body.Span, agentId, window, points);
            }

            if (batch.Problem is IResult problem)
            {
                return problem;
            }

            if (points.Count == 0 && batch.Events.Count == 0 && batch.Sketches.Count == 0 && batch.Rejected > 0)
            {
                // Nothing to store and something refused: a clear 4xx, not a 200 that stores nothing.
                return TypedResults.Json(new IngestAnswer(0, batch.Rejected, batch.Errors, []), statusCode: StatusCodes.Status422UnprocessableEntity);
            }

            if (Refusal(context, pipeline.Admit(agentId, batch.Sequence, points.Count)) is IResult refused)
            {
                return refused;
            }

            // Counted before the pipeline takes the points: once stored, they go back to the pool.
            int accepted = points.Count;
            (HashSet<string>? unknownSites, int unknownSamples) = UnknownSites.Find(points.Span, sites);
            string[] asked = [.. requests.SelectMany(r => r.Take(points.Span))];
            try
            {
                // From here on the pipeline owns the points.
                submitted = true;
                await pipeline.SubmitAsync(new IngestWork(agentId, batch.Sequence, points, batch.Events) { Sketches = batch.Sketches }, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                context.Response.Headers.RetryAfter = "5";
                return TypedResults.Problem("the store failed; send this batch again", statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            if (unknownSites is not null)
            {
                unknown.Report(agentId, unknownSites, unknownSamples);
            }

            if (asked.Length > 0)
            {
                context.Response.Headers[AgentRequests.Header] = string.Join(", ", asked);
            }

            return TypedResults.Ok(new IngestAnswer(accepted, batch.Rejected, batch.Errors, unknownSites is null ? [] : [.. unknownSites.Order(StringComparer.Ordinal)]));
        }
        finally
        {
            if (!submitted)
            {
                points.Dispose();
            }
        }
    }

    /// <summary>What a batch the pipeline does not admit gets: a copy 409, a full pipeline 429; null when admitted.</summary>
    private static IResult? Refusal(HttpContext context, Admission admission)
    {
        switch (admission)
        {
            case Admission.Duplicate:
            case Admission.InFlight:
                return TypedResults.Json(new IngestAnswer(0, 0, [], [], Duplicate: true), statusCode: StatusCodes.Status409Conflict);
            case Admission.Busy:
                context.Response.Headers.RetryAfter = "1";
                return TypedResults.Problem("the store is behind; send this batch again after Retry-After", statusCode: StatusCodes.Status429TooManyRequests);
            default:
                return null;
        }
    }

    /// <summary>The request's body within the bounds, decompressed; or why not (413, 400).</summary>
    private static async Task<(PooledBody? Body, IResult? Refused)> ReceiveAsync(HttpContext context, IngestOptions limits, CancellationToken cancellationToken)
    {
        if (context.Request.ContentLength > limits.MaxBodyBytes)
        {
            return (null, TooLarge($"body over {limits.MaxBodyBytes} bytes"));
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limits.MaxBodyBytes;
        }

        try
        {
            return (await ReadBodyAsync(context.Request, limits, cancellationToken), null);
        }
        catch (BodyTooLargeException ex)
        {
            return (null, TooLarge(ex.Message));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge($"body over {limits.MaxBodyBytes} bytes"));
        }
        catch (Exception ex) when (ex is InvalidDataException or NotSupportedException)
        {
            return (null, TypedResults.Problem($"not a sample batch: {ex.Message}", statusCode: StatusCodes.Status400BadRequest));
        }
    }

    /// <summary>The agent whose bearer token the request carries, or null: the one token check of every agent-facing endpoint.</summary>
    internal static async ValueTask<string?> AuthenticateAsync(HttpContext context, AgentService agents, CancellationToken cancellationToken)
    {
        string? header = context.Request.Headers.Authorization;
        const string Scheme = "Bearer ";
        return header is not null && header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            ? await agents.AuthenticateAsync(header[Scheme.Length..].Trim(), cancellationToken)
            : null;
    }

    /// <summary>
    /// The whole body, decompressed, in a pooled buffer (without a UTF-8 byte order mark, as the serializer's stream reading
    /// skips it). Throws <see cref="BodyTooLargeException"/> past <see cref="IngestOptions.MaxDecompressedBytes"/>.
    /// </summary>
    private static async Task<PooledBody> ReadBodyAsync(HttpRequest request, IngestOptions limits, CancellationToken cancellationToken)
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
            long expected = gzip is null && request.ContentLength is long length and > 0 ? length + 1 : 64 * 1024;
            byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Min(expected, limits.MaxDecompressedBytes + 1), Array.MaxLength));
            int used = 0;
            try
            {
                while (true)
                {
                    if (used == buffer.Length)
                    {
                        if (buffer.Length == Array.MaxLength)
                        {
                            throw new BodyTooLargeException(Array.MaxLength);
                        }

                        byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(buffer.Length * 2L, Array.MaxLength));
                        buffer.AsSpan(0, used).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    int read = await limited.ReadAsync(buffer.AsMemory(used), cancellationToken);
                    if (read == 0)
                    {
                        return new PooledBody(buffer, used);
                    }

                    used += read;
                }
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }
        }
    }

    /// <summary>A request body in a buffer rented from the shared pool, returned on dispose.</summary>
    private sealed class PooledBody(byte[] buffer, int length) : IDisposable
    {
        private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

        private byte[]? _buffer = buffer;

        public int Length => length;

        public ReadOnlySpan<byte> Span
        {
            get
            {
                ReadOnlySpan<byte> span = (_buffer ?? throw new ObjectDisposedException(nameof(PooledBody))).AsSpan(0, length);
                return span.StartsWith(Utf8Bom) ? span[Utf8Bom.Length..] : span;
            }
        }

        public void Dispose()
        {
            if (_buffer is byte[] rented)
            {
                _buffer = null;
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static ProblemHttpResult TooLarge(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status413PayloadTooLarge);
}
