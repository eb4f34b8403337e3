using System.Diagnostics.Metrics;

namespace Network.Noc;

/// <summary>
/// The names of the NOC's instruments, the one place they are written: each is the Prometheus name on /metrics
/// (common/Metrics writes a counter's name with <c>_total</c>, which these carry already).
/// </summary>
public static class NocMetricNames
{
    public const string Sites = "noc_sites";
    public const string SiteState = "noc_site_state";
    public const string HubConnections = "noc_hub_connections";
    public const string HubMessages = "noc_hub_messages_total";
    public const string HubCoalesced = "noc_hub_coalesced_total";
    public const string IngestBatches = "noc_ingest_batches_total";
    public const string IngestPointsStored = "noc_ingest_points_stored_total";
    public const string IngestPendingPoints = "noc_ingest_pending_points";
    public const string IngestWrite = "noc_ingest_write_seconds";
    public const string IngestUnknownSiteSamples = "noc_ingest_unknown_site_samples_total";
    public const string MirrorDroppedPoints = "noc_timeseries_mirror_dropped_points_total";
    public const string MirrorFailures = "noc_timeseries_mirror_failures_total";
    public const string MirrorQueueWrites = "noc_timeseries_mirror_queue_writes";
    public const string TimeSeriesPointsWritten = "noc_timeseries_points_written_total";
    public const string TimeSeriesWrite = "noc_timeseries_write_duration_seconds";
    public const string TimeSeriesSeries = "noc_timeseries_series_total";
    public const string TimeSeriesPointsDropped = "noc_timeseries_points_dropped_total";
    public const string TimeSeriesRetentionDeleted = "noc_timeseries_retention_deleted_total";
    public const string AlarmWebhook = "noc_alarm_webhook_total";
    public const string AlarmsActive = "noc_alarms_active";
    public const string AlarmsOpened = "noc_alarms_opened_total";
    public const string ThroughputTests = "noc_throughput_tests_total";
    public const string ThroughputBytes = "noc_throughput_bytes_total";
    public const string ThroughputTestsRunning = "noc_throughput_tests_running";
}

/// <summary>The NOC's process-wide meter (the time-series layer's comes from the host's <see cref="IMeterFactory"/>).</summary>
internal static class NocMetrics
{
    public const string MeterName = "Network.Noc";

    public static Meter Meter { get; } = new(MeterName);

    public static Counter<long> Counter(string name, string description) => Meter.CreateCounter<long>(name, description: description);

    /// <summary>A gauge that keeps the last value set for each tag set.</summary>
    public static Gauge<long> Gauge(string name, string description) => Meter.CreateGauge<long>(name, description: description);

    /// <summary>A tag for a measurement; a struct, so adding it to a counter allocates nothing.</summary>
    public static KeyValuePair<string, object?> Tag(string name, string value) => new(name, value);
}
