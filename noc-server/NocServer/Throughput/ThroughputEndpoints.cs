using System.Buffers;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Network.Contracts;
using Network.Hosting;
using Network.Noc.Agents;
using Network.Noc.Ingest;
using Network.Noc.Users;

namespace Network.Noc.Throughput;

/// <summary>What an upload test answers: the bytes the NOC read and over how long.</summary>
public sealed record UploadAnswer(long Bytes, double Seconds);

/// <summary>
/// The NOC's throughput endpoint for the agents' committed-rate tests, with the agent's bearer token (ingest's check):
/// <list type="bullet">
/// <item><c>GET /api/v1/throughput/download?seconds=N</c>: bytes from memory (one random 64 KiB block, sent again and
/// again) for N seconds, at most <see cref="ThroughputOptions.MaxDuration"/> and <see cref="ThroughputOptions.MaxBytes"/>.</item>
/// <item><c>POST /api/v1/throughput/upload</c>: reads the body and discards it; 200 with <see cref="UploadAnswer"/>;
/// 413 past <see cref="ThroughputOptions.MaxBytes"/>; the connection is cut past <see cref="ThroughputOptions.MaxDuration"/>.</item>
/// <item>401 without a valid token; 503 with Retry-After when <see cref="ThroughputOptions.MaxConcurrentTests"/> run already.</item>
/// </list>
/// And for engineers and admins, <c>POST /api/v1/sites/{site}/throughput-test</c>: 202, the site's agent runs its test
/// when its next batch is answered (<see cref="ThroughputRequests"/>); 404 for a site not in the inventory.
/// </summary>
public static class ThroughputEndpoints
{
    private const int BlockBytes = 64 * 1024;

    private static readonly byte[] s_block = RandomNumberGenerator.GetBytes(BlockBytes);

    private static readonly Counter<long> s_tests = NocMetrics.Counter(NocMetricNames.ThroughputTests,
        "Agents' throughput tests against the NOC, by direction and result (done, busy, unauthorized, too_large, too_long, aborted).");
    private static readonly Counter<long> s_bytes = NocMetrics.Counter(NocMetricNames.ThroughputBytes, "Payload bytes of throughput tests, by direction.");
    private static readonly Gauge<long> s_running = NocMetrics.Gauge(NocMetricNames.ThroughputTestsRunning, "Throughput tests running now.");

    public static IHostApplicationBuilder AddThroughput(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ThroughputOptions>().BindConfiguration(ThroughputOptions.Section)
            .ValidateOnStartNamingKeys(ThroughputOptions.Section, new ThroughputOptionsValidator());
        builder.Services.AddSingleton<ThroughputSlots>();
        builder.Services.AddSingleton<ThroughputRequests>();
        builder.Services.AddSingleton<IAgentRequests>(services => services.GetRequiredService<ThroughputRequests>());
        return builder;
    }

    public static IEndpointRouteBuilder MapThroughput(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ThroughputPaths.Download, DownloadAsync);
        endpoints.MapPost(ThroughputPaths.Upload, UploadAsync);
        endpoints.MapPost("/api/v1/sites/{site}/throughput-test", Results<Accepted, NotFound> (string site, IKnownSites sites, ThroughputRequests requests) =>
        {
            if (!sites.IsKnown(site))
            {
                return TypedResults.NotFound();
            }

            requests.Request(site);
            return TypedResults.Accepted((string?)null);
        }).RequireAuthorization(NocPolicies.Engineer);
        return endpoints;
    }

    private static async Task DownloadAsync(HttpContext context, int? seconds, AgentService agents, ThroughputSlots slots,
        IOptions<ThroughputOptions> options, TimeProvider time)
    {
        const string Direction = "download";
        ThroughputOptions limits = options.Value;
        if (await RefusedAsync(context, agents, slots, limits, Direction) is IResult refused)
        {
            await refused.ExecuteAsync(context);
            return;
        }

        try
        {
            TimeSpan wanted = TimeSpan.FromSeconds(seconds is > 0 ? seconds.Value : limits.MaxDuration.TotalSeconds);
            TimeSpan bound = wanted < limits.MaxDuration ? wanted : limits.MaxDuration;
            context.Response.ContentType = "application/octet-stream";
            context.Response.Headers.CacheControl = "no-store";
            long start = time.GetTimestamp();
            long sent = 0;
            string result = "done";
            try
            {
                await context.Response.StartAsync(context.RequestAborted);
                while (sent < limits.MaxBytes && time.GetElapsedTime(start) < bound)
                {
                    int size = (int)Math.Min(BlockBytes, limits.MaxBytes - sent);
                    await context.Response.Body.WriteAsync(s_block.AsMemory(0, size), context.RequestAborted);
                    sent += size;
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException)
            {
                result = "aborted"; // the agent stops reading when it has measured enough
            }

            s_bytes.Add(sent, NocMetrics.Tag("direction", Direction));
            s_tests.Add(1, NocMetrics.Tag("direction", Direction), NocMetrics.Tag("result", result));
        }
        finally
        {
            slots.Leave();
        }
    }

    private static async Task<IResult> UploadAsync(HttpContext context, AgentService agents, ThroughputSlots slots,
        IOptions<ThroughputOptions> options, TimeProvider time)
    {
        const string Direction = "upload";
        ThroughputOptions limits = options.Value;
        if (await RefusedAsync(context, agents, slots, limits, Direction) is IResult refused)
        {
            return refused;
        }

        if (context.Request.ContentLength > limits.MaxBytes)
        {
            slots.Leave();
            s_tests.Add(1, NocMetrics.Tag("direction", Direction), NocMetrics.Tag("result", "too_large"));
            return TooLarge(limits);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limits.MaxBytes;
        }

        long start = time.GetTimestamp();
        long read = 0;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BlockBytes);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(limits.MaxDuration);
        string result = "done";
        try
        {
            int n;
            while ((n = await context.Request.Body.ReadAsync(buffer, timeout.Token)) > 0)
            {
                read += n;
                if (read > limits.MaxBytes)
                {
                    result = "too_large";
                    return TooLarge(limits);
                }
            }

            return TypedResults.Ok(new UploadAnswer(read, time.GetElapsedTime(start).TotalSeconds));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            result = "too_large";
            return TooLarge(limits);
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            result = "too_long";
            context.Abort(); // the agent is still sending: an answer would not be read
            return TypedResults.Empty;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            result = "aborted";
            return TypedResults.Empty;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            slots.Leave();
            s_bytes.Add(read, NocMetrics.Tag("direction", Direction));
            s_tests.Add(1, NocMetrics.Tag("direction", Direction), NocMetrics.Tag("result", result));
        }
    }

    /// <summary>401 without a valid agent token, 503 with Retry-After when every slot is taken; null when the test may run (a slot is held).</summary>
    private static async Task<IResult?> RefusedAsync(HttpContext context, AgentService agents, ThroughputSlots slots, ThroughputOptions limits, string direction)
    {
        if (await IngestEndpoints.AuthenticateAsync(context, agents, context.RequestAborted) is null)
        {
            s_tests.Add(1, NocMetrics.Tag("direction", direction), NocMetrics.Tag("result", "unauthorized"));
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"noc-throughput\"";
            return TypedResults.Problem("a valid agent token is required (Authorization: Bearer ...)", statusCode: StatusCodes.Status401Unauthorized);
        }

        if (!slots.TryEnter())
        {
            s_tests.Add(1, NocMetrics.Tag("direction", direction), NocMetrics.Tag("result", "busy"));
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(limits.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem($"{limits.MaxConcurrentTests} throughput tests run already; try again after Retry-After",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return null;
    }

    private static ProblemHttpResult TooLarge(ThroughputOptions limits) =>
        TypedResults.Problem($"an upload test sends at most {limits.MaxBytes} bytes", statusCode: StatusCodes.Status413PayloadTooLarge);

    /// <summary>The tests running at once, at most <see cref="ThroughputOptions.MaxConcurrentTests"/>.</summary>
    public sealed class ThroughputSlots(IOptions<ThroughputOptions> options)
    {
        private readonly int _max = options.Value.MaxConcurrentTests;
        private int _running;

        public bool TryEnter()
        {
            int running = Interlocked.Increment(ref _running);
            if (running <= _max)
            {
                s_running.Record(running);
                return true;
            }

            Interlocked.Decrement(ref _running);
            return false;
        }

        public void Leave() => s_running.Record(Interlocked.Decrement(ref _running));
    }
}
