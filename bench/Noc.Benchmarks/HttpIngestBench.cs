using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Network.Contracts;
using Network.Noc.TimeSeries;

namespace Network.Noc.Benchmarks;

/// <summary>
/// The whole HTTP path of a running NOC: <c>POST /api/v1/ingest</c> with <see cref="SampleBatch"/> JSON (gzip with <c>--gzip</c>),
/// one sender per <c>--agent ID:TOKEN:SITE</c> (each agent's sequence must rise, so an agent sends one batch at a time),
/// <c>--devices × --metrics</c> series per agent, <c>--points</c> in all, <c>--batch</c> samples per request. The bodies are
/// encoded before the clock starts. A 429 is retried after its Retry-After. <c>--pid PID</c> adds the NOC's CPU time.
/// </summary>
internal static class HttpIngestBench
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        string url = options.Value("--url") ?? throw new ArgumentException("--url http://HOST:PORT is required");
        (string Id, string Token, string Site)[] agents = [.. options.All("--agent").Select(a =>
        {
            string[] parts = a.Split(':', 3);
            return parts.Length == 3 ? (parts[0], parts[1], parts[2]) : throw new ArgumentException($"--agent {a}: ID:TOKEN:SITE");
        })];
        if (agents.Length == 0)
        {
            throw new ArgumentException("at least one --agent ID:TOKEN:SITE is required");
        }

        bool gzip = options.Flag("--gzip");
        long perAgent = options.Points / agents.Length;
        var points = new SeriesPoint[agents.Length][];
        for (int a = 0; a < agents.Length; a++)
        {
            points[a] = new AgentData(1, options.Devices, options.Metrics, perAgent, siteName: agents[a].Site).Points;
        }

        List<byte[]>[] bodies = Bodies([.. agents.Select(a => a.Id)], points, options.Batch, gzip);
        long samples = points.Sum(p => (long)p.Length);
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(2) };
        int? pid = options.Value("--pid") is string p ? int.Parse(p, CultureInfo.InvariantCulture) : null;
        double cpuBefore = pid is null ? 0 : ProcessCpu.Seconds(pid.Value);
        (double seconds, long retried) = await SendAsync(http, [.. agents.Select(a => (a.Id, a.Token))], bodies, gzip);
        double? used = pid is null ? null : await ProcessCpu.UntilQuietAsync(pid.Value, cpuBefore);
        string cpu = used is null ? "" : string.Create(CultureInfo.InvariantCulture, $", NOC CPU {used:0.00} s until quiet");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"HTTP ingest: {samples:N0} samples from {agents.Length} agents in {seconds:0.000} s = {samples / seconds:N0} samples/s ({retried} retries after 429{cpu})"));
        return 0;
    }

    /// <summary>Each agent's points as <see cref="SampleBatch"/> JSON bodies (gzip or not) of <paramref name="batch"/> samples, sequences rising from now in ms.</summary>
    public static List<byte[]>[] Bodies(string[] agentIds, SeriesPoint[][] points, int batch, bool gzip)
    {
        long sequenceStart = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var bodies = new List<byte[]>[agentIds.Length];
        for (int a = 0; a < agentIds.Length; a++)
        {
            string agent = agentIds[a];
            bodies[a] = [.. AgentData.Batches(points[a], batch).Select((group, i) => Encode(new SampleBatch(agent, sequenceStart + i, DateTimeOffset.UtcNow,
                [.. group.Select(p => new Sample(p.Key.Site, p.Key.Device, p.Key.Metric, DateTimeOffset.FromUnixTimeMilliseconds(p.TimestampMs), p.Value,
                    p.Key.Labels.Length == 0 ? null : p.Key.LabelMap()))]), gzip))];
        }

        return bodies;
    }

    /// <summary>
    /// One sender per agent, each posting its bodies one after another (an agent's sequence must rise); a 429 is sent
    /// again after its Retry-After. The seconds from the first request to the last answer, and the retries.
    /// </summary>
    public static async Task<(double Seconds, long Retried)> SendAsync(HttpClient http, (string Id, string Token)[] agents, List<byte[]>[] bodies, bool gzip)
    {
        long started = Stopwatch.GetTimestamp();
        long retried = 0;
        await Task.WhenAll(agents.Select(async (agent, a) =>
        {
            foreach (byte[] body in bodies[a])
            {
                while (true)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/ingest") { Content = new ByteArrayContent(body) };
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", agent.Token);
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    if (gzip)
                    {
                        request.Content.Headers.ContentEncoding.Add("gzip");
                    }

                    using HttpResponseMessage response = await http.SendAsync(request);
                    if (response.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        Interlocked.Increment(ref retried);
                        await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromMilliseconds(100));
                        continue;
                    }

                    if (!response.IsSuccessStatusCode)
                    {
                        throw new InvalidOperationException($"{agent.Id}: the NOC answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                    }

                    break;
                }
            }
        }));
        return (Stopwatch.GetElapsedTime(started).TotalSeconds, retried);
    }

    private static byte[] Encode(SampleBatch batch, bool gzip)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(batch, IngestJsonContext.Default.SampleBatch);
        if (!gzip)
        {
            return json;
        }

        using var buffer = new MemoryStream();
        using (var zip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            zip.Write(json);
        }

        return buffer.ToArray();
    }
}
