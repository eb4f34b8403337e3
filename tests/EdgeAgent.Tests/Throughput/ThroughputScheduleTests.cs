using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Network.Contracts;
using Network.EdgeAgent.Forwarding;
using Network.EdgeAgent.Queue;
using Network.EdgeAgent.Tests.Forwarding;
using Network.EdgeAgent.Throughput;
using Network.TestSupport;

namespace Network.EdgeAgent.Tests.Throughput;

/// <summary>When the nightly test runs (a fake clock throughout), what the NOC's request does, and what the samples say.</summary>
public sealed class ThroughputScheduleTests : IDisposable
{
    private static readonly TimeZoneInfo s_brussels = TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels");
    private static readonly string[] s_schools = [.. Enumerable.Range(1, 140).Select(i => $"school-{i:000}")];

    private readonly TempFolder _folder = new("agent-throughput");

    public void Dispose() => _folder.Dispose();

    private static ThroughputSchedule Nightly(string site, int jitterMinutes = 10, int seed = 1) =>
        new(TimeSpan.FromHours(1), TimeSpan.FromHours(5), s_brussels, site, TimeSpan.FromMinutes(jitterMinutes), new Random(seed));

    private static DateTime Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, s_brussels).DateTime;

    [Fact]
    public void Every_start_of_140_schools_is_inside_the_window_after_now_and_within_a_day()
    {
        var now = new DateTimeOffset(2026, 5, 12, 14, 3, 0, TimeSpan.FromHours(2));
        foreach (string site in s_schools)
        {
            DateTimeOffset next = Nightly(site).Next(now);
            TimeSpan local = Local(next).TimeOfDay;
            Assert.InRange(local, TimeSpan.FromHours(1), TimeSpan.FromHours(5));
            Assert.True(next > now && next - now < TimeSpan.FromDays(1), $"{site}: {next:o}");
        }
    }

    [Fact]
    public void The_140_schools_spread_over_the_window_so_no_ten_minutes_hold_many_tests()
    {
        var now = new DateTimeOffset(2026, 5, 12, 12, 0, 0, TimeSpan.Zero);
        var buckets = new int[24];
        for (int i = 0; i < s_schools.Length; i++)
        {
            TimeSpan local = Local(Nightly(s_schools[i], seed: i).Next(now)).TimeOfDay - TimeSpan.FromHours(1);
            buckets[(int)(local.TotalMinutes / 10)]++;
        }

        // 140 tests over 24 ten-minute buckets: 5.8 each on average. All at once would be 140 in one.
        Assert.True(buckets.Max() <= 14, string.Join(",", buckets));
        Assert.True(buckets.Count(b => b > 0) >= 20, string.Join(",", buckets));
    }

    [Fact]
    public void A_site_keeps_its_slot_night_after_night_give_or_take_the_jitter()
    {
        var now = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
        ThroughputSchedule schedule = Nightly("school-042", jitterMinutes: 10, seed: 9);
        TimeSpan slot = TimeSpan.FromHours(1) + schedule.SlotOffset;
        var starts = new List<TimeSpan>();
        for (int night = 0; night < 30; night++)
        {
            DateTimeOffset next = schedule.Next(now);
            starts.Add(Local(next).TimeOfDay);
            now = next;
        }

        Assert.All(starts, s => Assert.True(Math.Abs((s - slot).TotalMinutes) <= 10 || Math.Abs((s - slot).TotalMinutes) >= 230, $"{s} against {slot}"));
        Assert.True(starts.Distinct().Count() > 20, "the jitter moves the start from night to night");
        Assert.Equal(ThroughputSchedule.SlotOf("school-042"), ThroughputSchedule.SlotOf("school-042"));
        Assert.NotEqual(ThroughputSchedule.SlotOf("school-042"), ThroughputSchedule.SlotOf("school-043"));
    }

    [Fact]
    public void A_window_across_midnight_and_the_night_the_clocks_go_forward_still_give_a_real_start_in_the_window()
    {
        var acrossMidnight = new ThroughputSchedule(TimeSpan.FromHours(22), TimeSpan.FromHours(2), s_brussels, "school-007", TimeSpan.Zero);
        // 29 March 2026: at 02:00 Brussels goes to 03:00; a window of 02:00-03:00 does not exist that night.
        var skipped = new ThroughputSchedule(TimeSpan.FromHours(2), TimeSpan.FromHours(3), s_brussels, "school-007", TimeSpan.Zero);
        var saturday = new DateTimeOffset(2026, 3, 28, 12, 0, 0, TimeSpan.FromHours(1));

        TimeSpan late = Local(acrossMidnight.Next(saturday)).TimeOfDay;
        DateTimeOffset springNight = skipped.Next(saturday);

        Assert.True(late >= TimeSpan.FromHours(22) || late < TimeSpan.FromHours(2), late.ToString());
        Assert.Equal(new DateTime(2026, 3, 29), Local(springNight).Date);
        Assert.Equal(3, Local(springNight).Hour); // an hour later: the skipped hour moved forward
        Assert.Equal(TimeSpan.FromHours(2), TimeZoneInfo.ConvertTime(springNight, s_brussels).Offset);
    }

    [Fact]
    public async Task The_service_tests_at_the_scheduled_time_and_at_once_when_the_NOC_asks_and_queues_the_samples()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 4, 20, 10, 0, 0, TimeSpan.Zero));
        using SegmentStore queue = SegmentStore.Open(new SegmentStoreSettings(_folder.FullPath, 1 << 20, 64 * 1024), NullLogger.Instance);
        var requests = new NocRequests();
        var runner = new FakeRunner();
        var options = new ThroughputOptions { Targets = [new ThroughputTargetOptions { Name = "core", Kind = ThroughputTargetKind.Iperf3, Host = "10.0.0.1" }] };
        using var service = new ThroughputService(options, "school-001", queue, requests, runner, NullLogger.Instance, time, new Random(3));

        await service.StartAsync(CancellationToken.None);
        await Peers.WaitUntilAsync(() => Task.FromResult(service.NextRun is not null), TimeSpan.FromSeconds(10), "the first start scheduled");
        DateTimeOffset scheduled = service.NextRun!.Value;
        time.Advance(scheduled - time.GetUtcNow() - TimeSpan.FromSeconds(1));
        Assert.Equal(0, service.Completed); // a second early: nothing yet
        time.Advance(TimeSpan.FromSeconds(1));
        await Peers.WaitUntilAsync(() => Task.FromResult(service.Completed == 1), TimeSpan.FromSeconds(10), "the scheduled test");

        DateTimeOffset asked = time.GetUtcNow();
        requests.Offer("something-else");
        requests.Offer(AgentRequests.ThroughputTest);
        await Peers.WaitUntilAsync(() => Task.FromResult(service.Completed == 2), TimeSpan.FromSeconds(10), "the test the NOC asked for");
        await service.StopAsync(CancellationToken.None);

        Assert.Equal([true, false, true, false], runner.Directions);
        Assert.Equal(asked, time.GetUtcNow()); // the asked-for test did not wait for the clock
        List<Sample> samples = [];
        queue.Scan(0, queue.LastId, (_, payload) =>
        {
            samples.AddRange(AgentReport.FromBytes(payload).Samples);
            return true;
        });
        Assert.Equal(8, samples.Count);
        Sample down = samples.First(s => s.Metric == MetricNames.ThroughputDownloadMbps);
        Assert.Equal(("school-001", DeviceNames.UplinkProbe, 100.0, scheduled), (down.Site, down.Device, down.Value, down.Timestamp));
        Assert.Equal("core", down.Labels![LabelNames.Target]);
        Assert.Equal(LabelNames.MethodIperf3, down.Labels[LabelNames.Method]);
        Assert.Equal(50.0, samples.First(s => s.Metric == MetricNames.ThroughputUploadMbps).Value);
        Assert.Equal(["download", "upload", "download", "upload"],
            samples.Where(s => s.Metric == MetricNames.ThroughputTestSeconds).Select(s => s.Labels![LabelNames.Direction]));
    }

    [Fact]
    public async Task A_busy_NOC_is_tried_again_after_its_Retry_After_on_the_clock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 4, 20, 10, 0, 0, TimeSpan.Zero));
        using SegmentStore queue = SegmentStore.Open(new SegmentStoreSettings(_folder.FullPath, 1 << 20, 64 * 1024), NullLogger.Instance);
        var runner = new FakeRunner() { BusyFirst = true };
        var options = new ThroughputOptions { Targets = [new ThroughputTargetOptions { Name = "noc" }] };
        using var service = new ThroughputService(options, "school-001", queue, new NocRequests(), runner, NullLogger.Instance, time, new Random(3));

        Task run = service.RunAllAsync(CancellationToken.None);
        await Peers.WaitUntilAsync(() => Task.FromResult(runner.Directions.Count == 1), TimeSpan.FromSeconds(10), "the refused first try");
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Single(runner.Directions); // Retry-After is 30 s
        time.Advance(TimeSpan.FromSeconds(62)); // plus up to a minute at random
        await run;

        Assert.Equal([true, true, false], runner.Directions);
        Assert.Equal(1, service.Completed);
        Assert.Equal(1, queue.PendingRecords);
    }

    [Fact]
    public async Task The_forwarder_hands_the_NOCs_request_from_an_ingest_answer_to_the_throughput_feature()
    {
        await using NocReceiver noc = await NocReceiver.StartAsync();
        noc.Respond = _ => new Answer(200, AgentRequest: AgentRequests.ThroughputTest);
        using SegmentStore queue = SegmentStore.Open(new SegmentStoreSettings(_folder.FullPath, 1 << 20, 64 * 1024), NullLogger.Instance);
        queue.Append([new AgentReport([new Sample("school-001", "cpe", MetricNames.DeviceReachable, DateTimeOffset.UtcNow, 1)]).ToBytes()]);
        var options = new ForwardingOptions { Url = noc.Url.ToString(), Token = "s3cret-agent-token", CaCertificateFile = noc.CaFile };
        var requests = new NocRequests();
        using var forwarder = new Forwarder(queue, _folder.FullPath, options, "agent-school-001", Forwarder.CreateHandler(options), TimeProvider.System,
            NullLogger.Instance, requests: requests);

        ForwardOutcome outcome = await forwarder.ForwardOnceAsync(CancellationToken.None);
        using var within = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await requests.WaitForAsync(AgentRequests.ThroughputTest, within.Token);

        Assert.Equal(ForwardResult.Delivered, outcome.Result);
    }

    [Fact]
    public void A_rate_is_payload_bits_over_the_measured_seconds()
    {
        Assert.Equal(100, new ThroughputMeasurement(25_000_000, TimeSpan.FromSeconds(2)).Mbps, 9);
        Assert.Equal(0, new ThroughputMeasurement(0, TimeSpan.Zero).Mbps);
    }

    /// <summary>100 Mbit/s down and 50 up, each "measured" over 10 s of the fake clock; optionally busy (Retry-After 30 s) at first.</summary>
    private sealed class FakeRunner : IThroughputRunner
    {
        public List<bool> Directions { get; } = [];

        public bool BusyFirst { get; set; }

        public Task<ThroughputMeasurement> RunAsync(ThroughputTargetOptions target, bool download, TimeSpan omit, TimeSpan duration, CancellationToken cancellationToken)
        {
            lock (Directions)
            {
                Directions.Add(download);
            }

            if (BusyFirst)
            {
                BusyFirst = false;
                throw new ThroughputBusyException("busy", TimeSpan.FromSeconds(30));
            }

            return Task.FromResult(new ThroughputMeasurement(download ? 125_000_000 : 62_500_000, TimeSpan.FromSeconds(10)));
        }
    }
}
