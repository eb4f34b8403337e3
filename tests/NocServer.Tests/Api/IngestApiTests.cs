using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Network.Contracts;
using Network.Noc.Ingest;
using Network.Noc.TimeSeries;

namespace Network.Noc.Tests.Api;

/// <summary>POST /api/v1/ingest: tokens, idempotency, limits, partial refusal, gzip, back-pressure.</summary>
public class IngestApiTests
{
    [Fact]
    public async Task A_batch_is_stored_and_readable_and_the_same_sequence_again_is_a_409_that_stores_nothing()
    {
        await using NocHost noc = await NocHost.StartAsync();
        DateTimeOffset at = DateTimeOffset.UtcNow.AddSeconds(-5);
        var labels = new Dictionary<string, string> { ["if"] = "ether1", ["role"] = "wan" };
        SampleBatch batch = NocHost.Batch(1, NocHost.Reading("if_in_bps", 1000, at: at, labels: labels));

        using HttpResponseMessage first = await noc.IngestAsync(batch);
        using HttpResponseMessage again = await noc.IngestAsync(batch with { Samples = [NocHost.Reading("if_in_bps", 9999, at: at, labels: labels)] });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(1, (await first.Content.ReadFromJsonAsync<IngestAnswer>())!.Accepted);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var reader = noc.Factory.Services.GetRequiredService<ITimeSeriesReader>();
        IReadOnlyList<SeriesData> series = await reader.ReadAsync(
            new SeriesQuery(NocHost.Site, "if_in_bps", at.AddMinutes(-1), at.AddMinutes(1)) { Resolution = SeriesResolution.Raw }, CancellationToken.None);
        SeriesBucket only = Assert.Single(Assert.Single(series).Buckets);
        Assert.Equal(1000, only.Last);
    }

    [Fact]
    public async Task No_token_a_wrong_token_a_revoked_token_and_another_agents_batch_are_refused()
    {
        await using NocHost noc = await NocHost.StartAsync();
        SampleBatch batch = NocHost.Batch(1, NocHost.Reading("device_reachable", 1));

        using HttpClient anonymous = noc.Anonymous();
        using HttpResponseMessage none = await anonymous.PostAsJsonAsync(new Uri("/api/v1/ingest", UriKind.Relative), batch);
        using HttpResponseMessage wrong = await noc.IngestAsync(batch, "noc_not-the-token-of-anybody-at-all");
        using HttpResponseMessage other = await noc.IngestAsync(batch with { AgentId = "someone-else" });
        await noc.Factory.Services.GetRequiredService<Agents.AgentService>().RevokeAsync(NocHost.AgentId, CancellationToken.None);
        using HttpResponseMessage revoked = await noc.IngestAsync(batch);

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Contains("Bearer", none.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
    }

    [Fact]
    public async Task An_agent_made_from_the_command_line_while_the_NOC_runs_is_known_at_once()
    {
        await using NocHost noc = await NocHost.StartAsync();
        string token = await MadeFromTheCommandLineAsync(noc, "agent-late");

        using HttpResponseMessage response = await FirstBatchAsync(noc, "agent-late", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_second_agent_made_just_after_the_first_ones_call_read_the_agents_again_is_not_refused()
    {
        await using NocHost noc = await NocHost.StartAsync();
        string first = await MadeFromTheCommandLineAsync(noc, "agent-first");
        using HttpResponseMessage firstAnswer = await FirstBatchAsync(noc, "agent-first", first);

        // Made after the read the first agent's call caused, and calling within the second that reads are held back.
        string second = await MadeFromTheCommandLineAsync(noc, "agent-second");
        Task<HttpResponseMessage> secondCall = FirstBatchAsync(noc, "agent-second", second);
        Task<HttpResponseMessage> wrongCall = FirstBatchAsync(noc, NocHost.AgentId, "noc_still-not-the-token-of-anybody");
        using HttpResponseMessage secondAnswer = await secondCall;
        using HttpResponseMessage wrongAnswer = await wrongCall;

        Assert.Equal(HttpStatusCode.OK, firstAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, secondAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongAnswer.StatusCode);
    }

    /// <summary>
    /// An agent made as the command line makes it: another process on the same file, so another AgentService, the
    /// NOC's map of tokens untouched. Returns its token.
    /// </summary>
    private static Task<string> MadeFromTheCommandLineAsync(NocHost noc, string id) =>
        new Agents.AgentService(noc.Factory.Services.GetRequiredService<Network.Storage.ServiceDatabase>(), TimeProvider.System)
            .CreateAsync(id, null, $"{id}-token-0123456789abcdef", CancellationToken.None);

    private static Task<HttpResponseMessage> FirstBatchAsync(NocHost noc, string agentId, string token) =>
        noc.IngestAsync(NocHost.Batch(1, NocHost.Reading("device_reachable", 1)) with { AgentId = agentId }, token);

    [Fact]
    public async Task Bad_samples_are_refused_one_by_one_with_reasons_while_the_good_ones_are_stored()
    {
        await using NocHost noc = await NocHost.StartAsync();
        SampleBatch batch = NocHost.Batch(1,
            NocHost.Reading("device_reachable", 1),
            NocHost.Reading("Not A Metric", 1),
            NocHost.Reading("cpu_load_percent", 5, at: DateTimeOffset.UtcNow.AddHours(2)),
            NocHost.Reading("cpu_load_percent", 5, site: "Bad Site"),
            NocHost.Reading("cpu_load_percent", 5, site: "hs-not-in-the-inventory"));

        using HttpResponseMessage response = await noc.IngestAsync(batch);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        IngestAnswer answer = (await response.Content.ReadFromJsonAsync<IngestAnswer>())!;
        Assert.Equal(2, answer.Accepted);
        Assert.Equal(3, answer.Rejected);
        Assert.Equal(3, answer.Errors.Count);
        Assert.Contains(answer.Errors, e => e.Contains("timestamp", StringComparison.Ordinal));
        Assert.Equal(["hs-not-in-the-inventory"], answer.UnknownSites);
    }

    [Fact]
    public async Task A_batch_whose_every_sample_is_refused_is_a_422_naming_the_reasons()
    {
        await using NocHost noc = await NocHost.StartAsync();

        using HttpResponseMessage response = await noc.IngestAsync(NocHost.Batch(1,
            NocHost.Reading("cpu_load_percent", 5, at: DateTimeOffset.UtcNow.AddDays(-90)), NocHost.Reading("Bad-Metric", 1)));
        using HttpResponseMessage heartbeat = await noc.IngestAsync(NocHost.Batch(2));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        IngestAnswer answer = (await response.Content.ReadFromJsonAsync<IngestAnswer>())!;
        Assert.Equal((0, 2), (answer.Accepted, answer.Rejected));
        Assert.Contains(answer.Errors, e => e.Contains("outside the accepted window", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, heartbeat.StatusCode);
    }

    [Theory]
    [InlineData("{not json", "application/json")]
    [InlineData("{\"agentId\":\"agent-test\",\"sequence\":0,\"sentAt\":\"2026-01-01T00:00:00Z\",\"samples\":[]}", "application/json")]
    [InlineData("{\"agentId\":\"agent-test\",\"sequence\":3,\"sentAt\":\"2026-01-01T00:00:00Z\"}", "application/json")]
    public async Task Something_that_is_not_a_batch_is_a_400(string body, string type)
    {
        await using NocHost noc = await NocHost.StartAsync();
        using HttpClient client = noc.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/ingest", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, type),
        };
        request.Headers.Authorization = new("Bearer", noc.AgentToken);

        using HttpResponseMessage response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_gzip_body_is_accepted_and_a_gzip_bomb_stops_at_the_decompressed_bound_with_413()
    {
        await using NocHost noc = await NocHost.StartAsync(("Ingest:MaxDecompressedBytes", "65536"));
        byte[] good = Gzip(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(NocHost.Batch(1, NocHost.Reading("device_reachable", 1)), IngestJsonContext.Default.SampleBatch));
        byte[] bomb = Gzip(Encoding.UTF8.GetBytes("{\"agentId\":\"" + new string('a', 1_000_000) + "\"}"));

        using HttpResponseMessage accepted = await PostGzipAsync(noc, good);
        using HttpResponseMessage refused = await PostGzipAsync(noc, bomb);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.True(bomb.Length < 65536, "the bomb is small on the wire");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
    }

    [Fact]
    public async Task Too_many_samples_is_a_413_and_more_than_the_store_can_queue_is_a_429_with_retry_after()
    {
        await using NocHost noc = await NocHost.StartAsync(("Ingest:MaxSamples", "1500"), ("Ingest:MaxPendingPoints", "1000"));
        Sample[] many = [.. Enumerable.Range(0, 1200).Select(i => NocHost.Reading("cpu_load_percent", i, at: DateTimeOffset.UtcNow.AddMilliseconds(-i)))];
        Sample[] tooMany = [.. Enumerable.Range(0, 1600).Select(i => NocHost.Reading("cpu_load_percent", i))];

        using HttpResponseMessage busy = await noc.IngestAsync(NocHost.Batch(1, many));
        using HttpResponseMessage large = await noc.IngestAsync(NocHost.Batch(2, tooMany));
        using HttpResponseMessage fine = await noc.IngestAsync(NocHost.Batch(3, many[..500]));

        Assert.Equal(HttpStatusCode.TooManyRequests, busy.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), busy.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    [Fact]
    public async Task The_last_sequence_survives_a_restart_so_a_replayed_batch_is_still_a_duplicate()
    {
        var data = new Network.TestSupport.TempFolder("noc-restart");
        string token;
        await using (NocHost first = await NocHost.StartAsync(("Storage:DataDirectory", data.FullPath)))
        {
            token = first.AgentToken;
            using HttpResponseMessage stored = await first.IngestAsync(NocHost.Batch(7, NocHost.Reading("device_reachable", 1)));
            Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        }

        var factory = new Network.TestSupport.ServiceFactory<Program>().With("Storage:DataDirectory", data.FullPath).With("Inventory:SeedFile", NocHost.SeedFile);
        await using (factory)
        {
            using HttpClient client = factory.CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/ingest", UriKind.Relative))
            {
                Content = JsonContent.Create(NocHost.Batch(7, NocHost.Reading("device_reachable", 1)), IngestJsonContext.Default.SampleBatch),
            };
            request.Headers.Authorization = new("Bearer", token);
            using HttpResponseMessage replay = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        }

        data.Dispose();
    }

    private static async Task<HttpResponseMessage> PostGzipAsync(NocHost noc, byte[] body)
    {
        using HttpClient client = noc.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/ingest", UriKind.Relative)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Content.Headers.ContentEncoding.Add("gzip");
        request.Headers.Authorization = new("Bearer", noc.AgentToken);
        return await client.SendAsync(request);
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }
}
