using System.Diagnostics.Metrics;
using System.Globalization;
using Network.TestSupport;

namespace Network.Metrics.Tests;

/// <summary>The text format 0.0.4 as common/Metrics writes it, checked line by line and by promtool.</summary>
public sealed class PrometheusExporterTests : IDisposable
{
    // A meter of its own per test: the exporter takes only it, so other tests' measurements never show here.
    private readonly Meter _meter = new("Network.Tests." + Guid.NewGuid().ToString("N"));
    private readonly List<PrometheusExporter> _exporters = [];

    public void Dispose()
    {
        _exporters.ForEach(e => e.Dispose());
        _meter.Dispose();
    }

    [Fact]
    public void A_counter_is_written_with_total_its_help_escaped_and_its_label_values_escaped()
    {
        PrometheusExporter exporter = Exporter();
        Counter<long> batches = _meter.CreateCounter<long>("edge_agent_test_batches", description: "Batches\\sent,\nby result.");

        batches.Add(1, Tag("result", "delivered"), Tag("site", "a"));
        batches.Add(2, Tag("result", "delivered"), Tag("site", "a"));
        batches.Add(5, Tag("result", "say \"hi\"\\\n"), Tag("site", "a"));
        batches.Add(-4, Tag("result", "delivered"), Tag("site", "a")); // a counter never goes down

        Assert.Equal(
            "# HELP edge_agent_test_batches_total Batches\\\\sent,\\nby result.\n" +
            "# TYPE edge_agent_test_batches_total counter\n" +
            "edge_agent_test_batches_total{result=\"delivered\",site=\"a\"} 3\n" +
            "edge_agent_test_batches_total{result=\"say \\\"hi\\\"\\\\\\n\",site=\"a\"} 5\n",
            Family(exporter.Collect(), "edge_agent_test_batches_total"));
    }

    [Fact]
    public void A_counter_not_measured_yet_reads_zero_and_one_named_total_keeps_its_name()
    {
        PrometheusExporter exporter = Exporter();
        _meter.CreateCounter<long>("noc_test_points_total", description: "Points.");

        Assert.Equal("# HELP noc_test_points_total Points.\n# TYPE noc_test_points_total counter\nnoc_test_points_total 0\n",
            Family(exporter.Collect(), "noc_test_points_total"));
    }

    [Fact]
    public void A_histogram_has_cumulative_buckets_up_to_Inf_equal_to_its_count_and_its_sum()
    {
        PrometheusExporter exporter = Exporter();
        Histogram<double> duration = _meter.CreateHistogram("test_request_duration", "s", "Time from receipt to reply.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.01, 0.1] });

        foreach (double seconds in new[] { 0.0005, 0.001, 0.002, 0.05, 0.05, 3 })
        {
            duration.Record(seconds, Tag("client", "gw"));
        }

        Assert.Equal(
            "# HELP test_request_duration_seconds Time from receipt to reply.\n" +
            "# TYPE test_request_duration_seconds histogram\n" +
            "test_request_duration_seconds_bucket{client=\"gw\",le=\"0.001\"} 2\n" +
            "test_request_duration_seconds_bucket{client=\"gw\",le=\"0.01\"} 3\n" +
            "test_request_duration_seconds_bucket{client=\"gw\",le=\"0.1\"} 5\n" +
            "test_request_duration_seconds_bucket{client=\"gw\",le=\"+Inf\"} 6\n" +
            "test_request_duration_seconds_sum{client=\"gw\"} " + (0.0005 + 0.001 + 0.002 + 0.05 + 0.05 + 3).ToString("R", CultureInfo.InvariantCulture) + "\n" +
            "test_request_duration_seconds_count{client=\"gw\"} 6\n",
            Family(exporter.Collect(), "test_request_duration_seconds"));
    }

    [Fact]
    public void An_instrument_stops_taking_new_tag_sets_at_its_limit_and_counts_what_it_refused()
    {
        PrometheusExporter exporter = Exporter(maxSeries: 2);
        Counter<long> requests = _meter.CreateCounter<long>("test_requests", description: "Requests.");

        requests.Add(1, Tag("client", "a"));
        requests.Add(1, Tag("client", "b"));
        requests.Add(1, Tag("client", "stranger-1"));
        requests.Add(1, Tag("client", "stranger-2"));
        requests.Add(1, Tag("client", "a")); // a series it has keeps counting

        string text = exporter.Collect();
        Assert.Equal(
            "# HELP test_requests_total Requests.\n# TYPE test_requests_total counter\n" +
            "test_requests_total{client=\"a\"} 2\ntest_requests_total{client=\"b\"} 1\n",
            Family(text, "test_requests_total"));
        Assert.Contains("\nmetrics_series_limit_dropped_total{metric=\"test_requests_total\"} 2\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Equal_tags_count_in_one_series_whether_or_not_they_are_the_same_objects()
    {
        PrometheusExporter exporter = Exporter();
        Counter<long> answers = _meter.CreateCounter<long>("test_answers", description: "Answers.");

        // More tag sets than the few compared before the dictionary, each given as new strings and new boxes every time.
        for (int round = 0; round < 3; round++)
        {
            for (int client = 0; client < 10; client++)
            {
                answers.Add(1, Tag("code", new string("AccessAccept".AsSpan())), Tag("client", $"gw-{client}"), Tag("status", 200));
            }
        }

        string family = Family(exporter.Collect(), "test_answers_total");
        Assert.Equal(10, family.Split('\n').Count(l => l.StartsWith("test_answers_total{", StringComparison.Ordinal)));
        for (int client = 0; client < 10; client++)
        {
            Assert.Contains($"test_answers_total{{code=\"AccessAccept\",client=\"gw-{client}\",status=\"200\"}} 3\n", family, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Families_come_in_name_order_and_series_in_label_order_whatever_order_they_came_in()
    {
        PrometheusExporter exporter = Exporter();
        Counter<long> zebra = _meter.CreateCounter<long>("test_zebra", description: "Z.");
        UpDownCounter<long> alpha = _meter.CreateUpDownCounter<long>("test_alpha", description: "A.");
        zebra.Add(1, Tag("k", "y"));
        zebra.Add(1, Tag("k", "x"));
        alpha.Add(5);
        alpha.Add(-2);

        string text = exporter.Collect();

        Assert.True(text.IndexOf("# HELP test_alpha ", StringComparison.Ordinal) < text.IndexOf("# HELP test_zebra_total ", StringComparison.Ordinal), text);
        Assert.Equal("# HELP test_alpha A.\n# TYPE test_alpha gauge\ntest_alpha 3\n", Family(text, "test_alpha"));
        Assert.Equal("# HELP test_zebra_total Z.\n# TYPE test_zebra_total counter\ntest_zebra_total{k=\"x\"} 1\ntest_zebra_total{k=\"y\"} 1\n",
            Family(text, "test_zebra_total"));
        Assert.Equal(text, exporter.Collect());
    }

    [Fact]
    public void Observable_instruments_are_read_at_each_scrape_and_a_series_no_longer_reported_leaves()
    {
        PrometheusExporter exporter = Exporter();
        var sites = new Dictionary<string, long> { ["a"] = 1, ["b"] = 3 };
        _meter.CreateObservableGauge("test_site_state", () => sites.Select(s => new Measurement<long>(s.Value, Tag("site", s.Key))), description: "State.");
        long cpu = 7;
        _meter.CreateObservableCounter("test_cpu", () => cpu, "s", "CPU.");

        Assert.Equal("# HELP test_site_state State.\n# TYPE test_site_state gauge\ntest_site_state{site=\"a\"} 1\ntest_site_state{site=\"b\"} 3\n",
            Family(exporter.Collect(), "test_site_state"));

        sites.Remove("a");
        sites["b"] = 2;
        cpu = 9;
        string text = exporter.Collect();
        Assert.Equal("# HELP test_site_state State.\n# TYPE test_site_state gauge\ntest_site_state{site=\"b\"} 2\n", Family(text, "test_site_state"));
        Assert.Equal("# HELP test_cpu_seconds_total CPU.\n# TYPE test_cpu_seconds_total counter\ntest_cpu_seconds_total 9\n", Family(text, "test_cpu_seconds_total"));
    }

    [Fact]
    public void Instrument_and_tag_names_become_Prometheus_names_and_only_the_chosen_meters_are_written()
    {
        PrometheusExporter exporter = Exporter();
        using var other = new Meter("Network.Tests.Other." + Guid.NewGuid().ToString("N"));
        Histogram<double> http = _meter.CreateHistogram<double>("http.server.request.duration", "s", "Duration of HTTP server requests.");
        other.CreateCounter<long>("test_not_exported").Add(1);

        http.Record(0.002, Tag("http.request.method", "GET"), Tag("http.route", "/login"), Tag("http.response.status_code", 200));

        string text = exporter.Collect();
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("\nhttp_server_request_duration_seconds_count{http_request_method=\"GET\",http_route=\"/login\",http_response_status_code=\"200\"} 1\n",
            text, StringComparison.Ordinal);
        Assert.DoesNotContain("test_not_exported", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_name_on_two_meters_is_one_family_whose_series_add_up()
    {
        PrometheusExporter exporter = Exporter();
        using var second = new Meter(_meter.Name);
        _meter.CreateCounter<long>("test_points", description: "Points.").Add(2, Tag("sink", "embedded"));
        second.CreateCounter<long>("test_points", description: "Points.").Add(3, Tag("sink", "embedded"));

        Assert.Equal("# HELP test_points_total Points.\n# TYPE test_points_total counter\ntest_points_total{sink=\"embedded\"} 5\n",
            Family(exporter.Collect(), "test_points_total"));
    }

    [Fact]
    public void A_disposed_meter_leaves_the_text()
    {
        PrometheusExporter exporter = Exporter();
        _meter.CreateCounter<long>("test_gone").Add(1);
        Assert.Contains("test_gone_total 1", exporter.Collect(), StringComparison.Ordinal);

        _meter.Dispose();

        Assert.DoesNotContain("test_gone", exporter.Collect(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_process_metrics_are_there_with_live_values()
    {
        using var exporter = new PrometheusExporter();

        string text = exporter.Collect();

        Assert.Contains("# TYPE process_cpu_seconds_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE process_start_time_seconds gauge\n", text, StringComparison.Ordinal);
        Assert.True(Sample(text, "process_resident_memory_bytes") > 1_000_000, text);
        Assert.True(Sample(text, "process_open_fds") > 2, text);
        Assert.True(Sample(text, "process_start_time_seconds") > 1_700_000_000, text);
        Assert.True(Sample(text, "process_cpu_seconds_total") > 0, text);
        Assert.Contains("\ndotnet_collection_count_total{generation=\"0\"} ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promtool_reads_every_kind_of_family_the_exporter_writes_without_a_complaint()
    {
        PrometheusExporter exporter = new(new PrometheusExporterOptions { Meters = [_meter.Name, ProcessMetrics.MeterName], MaxSeriesPerInstrument = 3 });
        _exporters.Add(exporter);
        Counter<long> counter = _meter.CreateCounter<long>("test_batches", description: "Batches \"sent\" \\ by\nresult.");
        for (int i = 0; i < 5; i++)
        {
            counter.Add(i, Tag("result", $"r{i} \"q\" \\ \n"));
        }

        _meter.CreateCounter<double>("test_seconds_spent", "s", "Seconds.").Add(0.25);
        _meter.CreateUpDownCounter<int>("test_in_flight", description: "In flight.").Add(-3);
        _meter.CreateGauge<double>("test_temperature", description: "Temperature.").Record(double.NaN, Tag("room", "a"));
        _meter.CreateHistogram<long>("test_sizes", "By", "Sizes.").Record(3000);
        _meter.CreateHistogram<double>("test_wait", "s", "Waits.").Record(0.3, Tag("queue", "x"));
        _meter.CreateObservableGauge("test_open", () => 4L, description: "Open.");

        await Promtool.AssertValidAsync(exporter.Collect());
    }

    private PrometheusExporter Exporter(int maxSeries = PrometheusExporterOptions.DefaultMaxSeriesPerInstrument)
    {
        var exporter = new PrometheusExporter(new PrometheusExporterOptions { Meters = [_meter.Name], MaxSeriesPerInstrument = maxSeries });
        _exporters.Add(exporter);
        return exporter;
    }

    private static KeyValuePair<string, object?> Tag(string name, object? value) => new(name, value);

    /// <summary>The lines of one family: its HELP, TYPE and samples.</summary>
    private static string Family(string text, string name)
    {
        string[] lines = text.Split('\n');
        return string.Concat(lines
            .Where(l => l.StartsWith($"# HELP {name} ", StringComparison.Ordinal) || l.StartsWith($"# TYPE {name} ", StringComparison.Ordinal)
                || l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal)
                || l.StartsWith(name + "_bucket{", StringComparison.Ordinal) || l.StartsWith(name + "_sum", StringComparison.Ordinal)
                || l.StartsWith(name + "_count", StringComparison.Ordinal))
            .Select(l => l + "\n"));
    }

    private static double Sample(string text, string name) =>
        double.Parse(text.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal))[(name.Length + 1)..], CultureInfo.InvariantCulture);
}
