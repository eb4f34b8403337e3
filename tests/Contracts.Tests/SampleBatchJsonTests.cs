using System.Text.Json;
using System.Globalization;

namespace Network.Contracts.Tests;

public class SampleBatchJsonTests
{
    [Fact]
    public void Batch_round_trips_through_the_source_generated_context_with_its_timestamps()
    {
        var batch = new SampleBatch("agent-flagey", 42, DateTimeOffset.Parse("2026-11-29T10:00:00Z", CultureInfo.InvariantCulture),
        [
            new Sample("flageyplein", "ap1", "if_in_bps", DateTimeOffset.Parse("2026-11-29T09:59:30.250+01:00", CultureInfo.InvariantCulture), 1.5e6,
                new Dictionary<string, string> { ["if"] = "wlan0" }),
            new Sample("flageyplein", "ap1", "wifi_clients", DateTimeOffset.Parse("2026-11-29T09:59:30Z", CultureInfo.InvariantCulture), 17),
        ]);

        string json = JsonSerializer.Serialize(batch, IngestJsonContext.Default.SampleBatch);
        SampleBatch? back = JsonSerializer.Deserialize(json, IngestJsonContext.Default.SampleBatch);

        Assert.NotNull(back);
        Assert.Equal("agent-flagey", back.AgentId);
        Assert.Equal(42, back.Sequence);
        Assert.Equal(2, back.Samples.Count);
        Assert.Equal(batch.Samples[0].Timestamp, back.Samples[0].Timestamp);
        Assert.Equal("wlan0", back.Samples[0].Labels!["if"]);
        Assert.Null(back.Samples[1].Labels);
        Assert.Contains("\"agentId\":\"agent-flagey\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"labels\":null", json, StringComparison.Ordinal);
    }
}
