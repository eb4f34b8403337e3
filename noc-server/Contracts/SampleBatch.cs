using System.Text.Json;
using System.Text.Json.Serialization;

namespace Network.Contracts;

/// <summary>
/// One batch of samples from an agent (or the portal) to the NOC's ingest API.
/// <see cref="Sequence"/> rises strictly per <see cref="AgentId"/>, so the NOC can drop a batch it already has.
/// </summary>
public sealed record SampleBatch(string AgentId, long Sequence, DateTimeOffset SentAt, IReadOnlyList<Sample> Samples)
{
    /// <summary>Things that happened rather than values measured (a reboot, a committed rate missed, samples lost); may be absent.</summary>
    public IReadOnlyList<DeviceEvent>? Events { get; init; }

    /// <summary>The portal's distinct users per hotspot and month as HyperLogLog sketches; may be absent.</summary>
    public IReadOnlyList<UserSketch>? Sketches { get; init; }
}

/// <summary>
/// The distinct users of one hotspot (<see cref="Site"/>) in one month (<see cref="Month"/>, <c>yyyy-MM</c> in the region's
/// zone) so far, as the registers of a <see cref="UserCountSketch"/> in base64. Sketches, not counts, because distinct
/// users cannot be added up: a person at two hotspots is one user of the commune and of the network, and two sketches
/// merge into the sketch of the union.
/// </summary>
public sealed record UserSketch(string Site, string Month, string Registers);

/// <summary>One measured value of one metric of one device at one site, with its original timestamp.</summary>
public sealed record Sample(
    string Site,
    string Device,
    string Metric,
    DateTimeOffset Timestamp,
    double Value,
    IReadOnlyDictionary<string, string>? Labels = null);

/// <summary>
/// Something an agent saw happen at one device, with its original timestamp: <see cref="Kind"/> is a short
/// snake_case name (<c>device_rebooted</c>, <c>committed_rate_below</c>, <c>committed_rate_restored</c>, <c>samples_dropped</c>).
/// </summary>
public sealed record DeviceEvent(
    string Site,
    string Device,
    string Kind,
    DateTimeOffset Timestamp,
    string Message,
    IReadOnlyDictionary<string, string>? Labels = null);

/// <summary>Source-generated JSON for the ingest types: no reflection, so the Native AOT agent can use it.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SampleBatch))]
public sealed partial class IngestJsonContext : JsonSerializerContext;
