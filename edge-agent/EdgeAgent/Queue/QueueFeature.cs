using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Network.Contracts;
using Network.EdgeAgent.Hosting;
using Network.EdgeAgent.Metrics;

namespace Network.EdgeAgent.Queue;

/// <summary>The on-disk queue. Keys under <c>Agent:Queue</c>.</summary>
public sealed class QueueOptions
{
    public const string Section = "Agent:Queue";

    /// <summary>Folder of the segment files and the acknowledgement file (systemd: <c>/var/lib/edge-agent/queue</c>).</summary>
    [Required(AllowEmptyStrings = false)]
    public string Folder { get; set; } = "";

    /// <summary>Bound of the queue on disk; past it the oldest segment is dropped (and counted).</summary>
    [Range(64 * 1024, 1L << 40)]
    public long MaxBytes { get; set; } = 64L << 20;

    /// <summary>Size at which a segment file is closed and the next begun.</summary>
    [Range(4 * 1024, 1L << 30)]
    public long SegmentBytes { get; set; } = 1L << 20;
}

[OptionsValidator]
public sealed partial class QueueOptionsValidator : IValidateOptions<QueueOptions>;

/// <summary>What one record of the queue holds: the samples and events of one poll of one device, or of one probe round.</summary>
public sealed record AgentReport(IReadOnlyList<Sample> Samples, IReadOnlyList<DeviceEvent>? Events = null)
{
    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, AgentReportJsonContext.Default.AgentReport);

    /// <summary>Writes the report's JSON (the bytes of <see cref="ToBytes"/>) into <paramref name="writer"/>.</summary>
    public void WriteTo(Utf8JsonWriter writer) => JsonSerializer.Serialize(writer, this, AgentReportJsonContext.Default.AgentReport);

    public static AgentReport FromBytes(ReadOnlySpan<byte> bytes) =>
        JsonSerializer.Deserialize(bytes, AgentReportJsonContext.Default.AgentReport) ?? new AgentReport([]);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AgentReport))]
internal sealed partial class AgentReportJsonContext : JsonSerializerContext;

public static class QueueFeature
{
    private static readonly Counter<long> s_dropped = AgentMeter.Meter.CreateCounter<long>(
        "edge_agent_queue_dropped_records_total", description: "Records lost because the on-disk queue reached its bound (oldest dropped first).");

    private static readonly Counter<long> s_truncated = AgentMeter.Meter.CreateCounter<long>(
        "edge_agent_queue_truncated_bytes_total", description: "Bytes of corrupt or torn segment tails truncated when the queue was opened.");

    /// <summary>The queue the gauges read at a scrape (the last one opened: one a process).</summary>
    private static SegmentStore? s_queue;

    public static AgentHostBuilder AddAgentQueue(this AgentHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        QueueOptions o = builder.AddOptions(QueueOptions.Section, static (c, o) => c.Bind(o), new QueueOptionsValidator(),
            new ValidateOptions<QueueOptions>(Options.DefaultName, o => o.SegmentBytes <= o.MaxBytes,
                $"{QueueOptions.Section}:SegmentBytes: must not be larger than {QueueOptions.Section}:MaxBytes"));
        builder.AddSingleton(b =>
        {
            SegmentStore queue = SegmentStore.Open(new SegmentStoreSettings(o.Folder, o.MaxBytes, o.SegmentBytes), b.Logger("Network.EdgeAgent.Queue"));
            s_truncated.Add(queue.TruncatedBytes);
            queue.Dropped += lost => s_dropped.Add(lost);
            Volatile.Write(ref s_queue, queue);
            return queue;
        });
        return builder;
    }

    private static readonly ObservableGauge<long> s_pending = AgentMeter.Meter.CreateObservableGauge("edge_agent_queue_pending_records",
        static () => Volatile.Read(ref s_queue)?.PendingRecords ?? 0, description: "Records in the queue not yet acknowledged by the NOC.");

    private static readonly ObservableGauge<long> s_bytes = AgentMeter.Meter.CreateObservableGauge("edge_agent_queue_bytes",
        static () => Volatile.Read(ref s_queue)?.Bytes ?? 0, description: "Bytes of the queue's segment files.");
}
