using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Network.Contracts;
using Network.Noc.Agents;
using Network.Noc.Ingest;
using Network.Noc.TimeSeries;
using Network.TestSupport;

namespace Network.Noc.Tests.Ingest;

/// <summary>The ingest writer when the store fails: the agent hears 503, nothing stays counted as waiting, and the batch sent again is stored.</summary>
public sealed class IngestWriterFailureTests
{
    [Fact]
    public async Task A_batch_the_store_fails_is_a_503_that_leaves_nothing_waiting_and_the_same_batch_again_is_stored()
    {
        var failOnce = new FailingOnce();
        await using var factory = new ServiceFactory<Program>().With("Inventory:SeedFile", NocHost.SeedFile)
            .WithServices(services =>
            {
                services.RemoveAll<ITimeSeriesSink>();
                services.AddSingleton<ITimeSeriesSink>(provider =>
                {
                    failOnce.Store = provider.GetRequiredService<EmbeddedTimeSeriesStore>();
                    return failOnce;
                });
            });
        _ = factory.Server;
        string token = await factory.Services.GetRequiredService<AgentService>().CreateAsync(NocHost.AgentId, null, null, CancellationToken.None);
        using HttpClient client = factory.CreateClient();
        SampleBatch batch = NocHost.Batch(1, NocHost.Reading("cpu_load_percent", 42), NocHost.Reading("device_reachable", 1));

        using HttpResponseMessage failed = await PostAsync(client, token, batch);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), failed.Headers.RetryAfter?.Delta);
        Assert.Equal(0, factory.Services.GetRequiredService<IngestPipeline>().PendingPoints);

        using HttpResponseMessage again = await PostAsync(client, token, batch);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(2, (await again.Content.ReadFromJsonAsync<IngestAnswer>())!.Accepted);
        Assert.Equal(0, factory.Services.GetRequiredService<IngestPipeline>().PendingPoints);
        using HttpResponseMessage copy = await PostAsync(client, token, batch);
        Assert.Equal(HttpStatusCode.Conflict, copy.StatusCode);
        Assert.Equal(2, failOnce.Writes);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string token, SampleBatch batch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/ingest", UriKind.Relative))
        {
            Content = JsonContent.Create(batch, IngestJsonContext.Default.SampleBatch),
        };
        request.Headers.Authorization = new("Bearer", token);
        return await client.SendAsync(request);
    }

    /// <summary>The embedded store, whose first write fails.</summary>
    private sealed class FailingOnce : ITimeSeriesSink
    {
        private int _writes;

        public EmbeddedTimeSeriesStore? Store { get; set; }

        public int Writes => Volatile.Read(ref _writes);

        public string Name => "embedded";

        public ValueTask WriteAsync(IReadOnlyList<SeriesPoint> points, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _writes) == 1
                ? ValueTask.FromException(new IOException("disk full"))
                : Store!.WriteAsync(points, cancellationToken);
    }
}
