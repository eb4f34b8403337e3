using System.Text.Json;
using Network.Contracts;
using Network.Noc.TimeSeries;

namespace Network.Noc.Ingest;

/// <summary>
/// A batch as read from a request body ("read a batch", before "store it"): its valid samples as points, its valid
/// events, and how many were refused with at most ten reasons. Reading checks that the batch is the caller's and
/// within the bounds; <see cref="Problem"/> says why not (400, 403 or 413), and then nothing is to be stored.
/// </summary>
internal sealed class IncomingBatch
{
    private const int MaxErrors = 10;

    private IncomingBatch(PointBatch points) => Points = points;

    public PointBatch Points { get; }

    public long Sequence { get; private set; }

    public List<DeviceEvent> Events { get; } = [];

    /// <summary>The portal's valid distinct-user sketches (the general path reads them; agents send none).</summary>
    public List<UserSketch> Sketches { get; } = [];

    public int Rejected { get; private set; }

    public List<string> Errors { get; } = [];

    /// <summary>Why the whole batch is refused, or null when it was read.</summary>
    public IResult? Problem { get; private set; }

    /// <summary>
    /// Reads <paramref name="body"/> into <paramref name="points"/> (the caller owns them): the agents' own form with every
    /// sample valid goes straight into points; anything else through the serializer and the checks one sample at a time.
    /// </summary>
    public static IncomingBatch Read(ReadOnlySpan<byte> body, string agentId, SampleWindow window, PointBatch points)
    {
        var batch = new IncomingBatch(points);
        if (SampleBatchReader.TryRead(body, window, new BatchNames(), points, out string fastAgent, out long sequence, out IReadOnlyList<DeviceEvent>? fastEvents))
        {
            batch.Sequence = sequence;
            if (batch.IsAnotherAgents(fastAgent, agentId))
            {
                return batch;
            }

            batch.AddEvents(fastEvents);
            return batch;
        }

        batch.ReadGeneral(body, agentId, window);
        return batch;
    }

    private void ReadGeneral(ReadOnlySpan<byte> body, string agentId, SampleWindow window)
    {
        SampleBatch? sent;
        try
        {
            sent = JsonSerializer.Deserialize(body, IngestJsonContext.Default.SampleBatch);
        }
        catch (JsonException ex)
        {
            Problem = TypedResults.Problem($"not a sample batch: {ex.Message}", statusCode: StatusCodes.Status400BadRequest);
            return;
        }

        if (sent is null || string.IsNullOrEmpty(sent.AgentId) || sent.Samples is null || sent.Sequence < 1)
        {
            Problem = TypedResults.Problem("a batch needs agentId, a sequence of at least 1 and a samples list", statusCode: StatusCodes.Status400BadRequest);
            return;
        }

        if (IsAnotherAgents(sent.AgentId, agentId))
        {
            return;
        }

        if (sent.Samples.Count > window.MaxSamples || sent.Events?.Count > window.MaxEvents || sent.Sketches?.Count > window.MaxEvents)
        {
            Problem = TypedResults.Problem($"at most {window.MaxSamples} samples, {window.MaxEvents} events and {window.MaxEvents} sketches per batch",
                statusCode: StatusCodes.Status413PayloadTooLarge);
            return;
        }

        Sequence = sent.Sequence;
        foreach (Sample sample in sent.Samples)
        {
            if (SampleValidation.TryConvert(sample, window.MinMs, window.MaxMs, window.MaxLabels, out SeriesPoint point) is string error)
            {
                Refuse(error);
                continue;
            }

            Points.Add(point);
        }

        AddEvents(sent.Events);
        AddSketches(sent.Sketches);
    }

    /// <summary>Valid sketches are kept (a hotspot's name as a site's, a month <c>yyyy-MM</c>, registers of a sketch); each refused one is counted.</summary>
    private void AddSketches(IReadOnlyList<UserSketch>? sketches)
    {
        foreach (UserSketch sketch in sketches ?? [])
        {
            if (sketch is null || sketch.Site is null || !SampleValidation.IsSite(sketch.Site) || !IsMonth(sketch.Month)
                || UserCountSketch.FromBase64(sketch.Registers) is null)
            {
                Refuse($"a sketch needs a site, a month yyyy-MM and {UserCountSketch.Size} registers in base64");
                continue;
            }

            Sketches.Add(sketch);
        }
    }

    private static bool IsMonth(string? text) =>
        text is { Length: 7 } && DateTime.TryParseExact(text, "yyyy-MM", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out _);

    private bool IsAnotherAgents(string batchAgent, string agentId)
    {
        if (string.Equals(batchAgent, agentId, StringComparison.Ordinal))
        {
            return false;
        }

        Problem = TypedResults.Problem($"this token belongs to another agent than '{batchAgent}'", statusCode: StatusCodes.Status403Forbidden);
        return true;
    }

    /// <summary>Valid events are kept; each refused one is counted with its reason.</summary>
    private void AddEvents(IReadOnlyList<DeviceEvent>? events)
    {
        foreach (DeviceEvent deviceEvent in events ?? [])
        {
            if (deviceEvent is null || string.IsNullOrEmpty(deviceEvent.Site) || string.IsNullOrEmpty(deviceEvent.Device) || string.IsNullOrEmpty(deviceEvent.Kind)
                || deviceEvent.Kind.Length > SampleValidation.MaxNameLength || deviceEvent.Message?.Length > 1000)
            {
                Refuse("an event needs site, device, kind (at most 64 characters) and a message of at most 1000 characters");
                continue;
            }

            Events.Add(deviceEvent);
        }
    }

    private void Refuse(string error)
    {
        Rejected++;
        if (Errors.Count < MaxErrors)
        {
            Errors.Add(error);
        }
    }
}
