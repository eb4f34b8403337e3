using Network.Noc.Sla;

namespace Network.Noc.Tests;

/// <summary>
/// The monthly SLA maths against figures worked out by hand (the comments show the sums), in Europe/Brussels: CET is
/// UTC+1, CEST UTC+2; in 2026 the clocks go forward on 29 March (02:00 to 03:00) and back on 25 October (03:00 to 02:00).
/// </summary>
public sealed class SlaMathTests
{
    private static readonly TimeZoneInfo s_brussels = TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels");
    private static readonly long s_later = At("2027-01-01T00:00:00Z");

    private static long At(string utc) => DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    private static SlaDefinition Sla(SlaSchedule? schedule = null, bool noDataCounts = true, DateTimeOffset? activeFrom = null, decimal fee = 0) =>
        new(100, 100, 99.5, schedule ?? SlaSchedule.AllHours(s_brussels), 50, 1, [new CreditStep(99.5, 10), new CreditStep(98, 25)], fee, 5, noDataCounts, activeFrom);

    private static SlaMonthFigures Month(int year, int month, SlaDefinition sla, IReadOnlyList<DownPeriod>? down = null, IReadOnlyList<TimeSpan64>? noData = null,
        IReadOnlyList<MaintenancePeriod>? maintenance = null, IReadOnlyList<ThroughputResult>? throughput = null, IReadOnlyList<ProbeFigure>? latency = null,
        IReadOnlyList<ProbeFigure>? loss = null, long? now = null) =>
        SlaMath.Compute(new SlaMonthInput(year, month, sla, now ?? s_later, down ?? [], noData ?? [], maintenance ?? [], throughput ?? [], latency ?? [], loss ?? []));

    [Fact]
    public void An_outage_across_midnight_at_the_end_of_a_month_is_split_between_the_two_months()
    {
        // 31 Jan 23:00 CET (22:00Z) to 1 Feb 01:30 CET (00:30Z): 60 minutes in January, 90 in February.
        DownPeriod outage = new(At("2026-01-31T22:00:00Z"), At("2026-02-01T00:30:00Z"), AlarmId: 7);

        SlaMonthFigures january = Month(2026, 1, Sla(), [outage]);
        SlaMonthFigures february = Month(2026, 2, Sla(), [outage]);

        Assert.Equal(new SlaMinutes(44_640, 44_580, 60, 0, 0), january.Minutes); // 31 × 1,440
        Assert.Equal(new SlaMinutes(40_320, 40_230, 90, 0, 0), february.Minutes); // 28 × 1,440
        Assert.Equal(44_580.0 / 44_640 * 100, january.AvailabilityPercent!.Value, 9);
        Assert.Equal(40_230.0 / 40_320 * 100, february.AvailabilityPercent!.Value, 9);
        Assert.Equal(60, Assert.Single(january.Incidents).ScheduledMinutes);
        Assert.Equal(90, Assert.Single(february.Incidents).ScheduledMinutes);
        Assert.Equal(150, january.MttrMinutes); // the repair took 150 minutes, whichever month looks at it
        Assert.Equal(7, january.Incidents[0].AlarmId);
    }

    [Fact]
    public void March_has_743_hours_and_an_outage_across_the_spring_change_counts_its_real_minutes()
    {
        // 29 March 01:30 CET (00:30Z) to 03:30 CEST (01:30Z): the clock shows two hours, one passed.
        SlaMonthFigures march = Month(2026, 3, Sla(), [new DownPeriod(At("2026-03-29T00:30:00Z"), At("2026-03-29T01:30:00Z"))]);

        Assert.Equal(743 * 60, march.Minutes.Scheduled);
        Assert.Equal(60, march.Minutes.Down);
        Assert.Equal((44_580.0 - 60) / 44_580 * 100, march.AvailabilityPercent!.Value, 9);
    }

    [Fact]
    public void October_has_745_hours_and_an_outage_across_the_autumn_change_counts_its_real_minutes()
    {
        // 25 October 01:30 CEST (24 Oct 23:30Z) to 02:30 CET (01:30Z): the clock shows one hour, two passed.
        SlaMonthFigures october = Month(2026, 10, Sla(), [new DownPeriod(At("2026-10-24T23:30:00Z"), At("2026-10-25T01:30:00Z"))]);

        Assert.Equal(745 * 60, october.Minutes.Scheduled);
        Assert.Equal(120, october.Minutes.Down);
        Assert.Equal(120, october.MttrMinutes);
        Assert.Equal((44_700.0 - 120) / 44_700 * 100, october.AvailabilityPercent!.Value, 9);
    }

    [Fact]
    public void Overlapping_maintenance_windows_are_excluded_once()
    {
        // 10:00-12:00Z and 11:00-13:00Z on 10 April: three hours of maintenance, not four; April has 720 hours.
        SlaMonthFigures april = Month(2026, 4, Sla(), maintenance:
        [
            new MaintenancePeriod(1, At("2026-04-10T10:00:00Z"), At("2026-04-10T12:00:00Z"), false),
            new MaintenancePeriod(2, At("2026-04-10T11:00:00Z"), At("2026-04-10T13:00:00Z"), true),
        ]);

        Assert.Equal(new SlaMinutes(43_200, 43_020, 0, 180, 0), april.Minutes);
        Assert.Equal(100, april.AvailabilityPercent);
        Assert.Equal([new MaintenanceUse(1, 120, false), new MaintenanceUse(2, 120, true)], april.Maintenance);
    }

    [Fact]
    public void An_outage_partly_inside_a_window_counts_only_outside_it()
    {
        // Window 10:00-12:00Z, outage 11:00-13:30Z: 60 minutes excluded, 90 down.
        SlaMonthFigures april = Month(2026, 4, Sla(),
            [new DownPeriod(At("2026-04-10T11:00:00Z"), At("2026-04-10T13:30:00Z"))],
            maintenance: [new MaintenancePeriod(1, At("2026-04-10T10:00:00Z"), At("2026-04-10T12:00:00Z"), false)]);

        Assert.Equal(new SlaMinutes(43_200, 42_990, 90, 120, 0), april.Minutes);
        Assert.Equal(42_990.0 / 43_080 * 100, april.AvailabilityPercent!.Value, 9);
        Assert.Equal(90, Assert.Single(april.Incidents).ScheduledMinutes);
        Assert.Equal(150, april.MttrMinutes);
    }

    [Fact]
    public void School_hours_count_only_weekdays_from_seven_to_six_less_the_holidays_and_an_outage_outside_them_is_no_incident()
    {
        // May 2026: 21 weekdays (Friday the 1st, then four full weeks), less Thursday 14 and Friday 15 (excluded): 19 × 11 h = 12,540 minutes.
        SlaSchedule school = SlaSchedule.Parse(["Mon-Fri 07:00-18:00"], ["2026-05-14/2026-05-15 Hemelvaart"], "Europe/Brussels");
        SlaMonthFigures may = Month(2026, 5, Sla(school),
        [
            new DownPeriod(At("2026-05-09T08:00:00Z"), At("2026-05-09T10:00:00Z")), // Saturday: outside the schedule
            new DownPeriod(At("2026-05-12T06:00:00Z"), At("2026-05-12T07:00:00Z")), // Tuesday 08:00-09:00 CEST: 60 minutes
            new DownPeriod(At("2026-05-13T15:30:00Z"), At("2026-05-13T17:00:00Z")), // Wednesday 17:30-19:00 CEST: 30 of its 90 minutes
            new DownPeriod(At("2026-05-14T08:00:00Z"), At("2026-05-14T09:00:00Z")), // a holiday
        ]);

        Assert.Equal(new SlaMinutes(12_540, 12_450, 90, 0, 0), may.Minutes);
        Assert.Equal(4, may.Incidents.Count);
        Assert.Equal([false, true, true, false], may.Incidents.Select(i => i.Counted));
        Assert.Equal(2, may.IncidentCount);
        Assert.Equal(75, may.MttrMinutes); // (60 + 90) / 2: time to repair is the whole outage
        Assert.Equal(12_450.0 / 2, may.MtbfMinutes);
    }

    [Fact]
    public void A_month_without_data_counts_against_availability_unless_the_setting_says_otherwise()
    {
        TimeSpan64 june = new(At("2026-05-31T22:00:00Z"), At("2026-06-30T22:00:00Z"));

        SlaMonthFigures counted = Month(2026, 6, Sla(fee: 800), noData: [june]);
        SlaMonthFigures apart = Month(2026, 6, Sla(noDataCounts: false, fee: 800), noData: [june]);

        Assert.Equal(new SlaMinutes(43_200, 0, 0, 0, 43_200), counted.Minutes);
        Assert.Equal(0, counted.AvailabilityPercent);
        Assert.False(counted.Met);
        Assert.Equal(25, counted.CreditPercent);
        Assert.Equal(200m, counted.CreditAmount);
        Assert.Equal(counted.Minutes, apart.Minutes);
        Assert.Null(apart.AvailabilityPercent);
        Assert.Null(apart.Met);
        Assert.Equal(0, apart.CreditPercent);
    }

    [Fact]
    public void A_flapping_link_makes_one_incident_per_down_period_not_per_reading()
    {
        // Readings down 10:00-10:05 and 10:05-10:12 (one period), up, then 10:20-10:25 and 10:22-10:30 (another).
        SlaMonthFigures july = Month(2026, 7, Sla(),
        [
            new DownPeriod(At("2026-07-01T10:00:00Z"), At("2026-07-01T10:05:00Z"), AlarmId: 1),
            new DownPeriod(At("2026-07-01T10:05:00Z"), At("2026-07-01T10:12:00Z"), AlarmId: 2),
            new DownPeriod(At("2026-07-01T10:20:00Z"), At("2026-07-01T10:25:00Z"), AlarmId: 3),
            new DownPeriod(At("2026-07-01T10:22:00Z"), At("2026-07-01T10:30:00Z"), AlarmId: 4),
        ]);

        Assert.Equal(2, july.IncidentCount);
        Assert.Equal([1L, 3L], july.Incidents.Select(i => i.AlarmId!.Value));
        Assert.Equal([12.0, 10.0], july.Incidents.Select(i => i.TimeToRepairMinutes));
        Assert.Equal(22, july.Minutes.Down);
    }

    [Fact]
    public void A_school_added_in_the_middle_of_a_month_is_counted_from_its_activation()
    {
        // Active from 16 September 00:00 CEST (15 Sep 22:00Z): 15 days, 21,600 minutes; an outage on the 10th is not its.
        SlaMonthFigures september = Month(2026, 9, Sla(activeFrom: DateTimeOffset.Parse("2026-09-15T22:00:00Z", System.Globalization.CultureInfo.InvariantCulture)),
        [
            new DownPeriod(At("2026-09-10T08:00:00Z"), At("2026-09-10T09:00:00Z")),
            new DownPeriod(At("2026-09-20T08:00:00Z"), At("2026-09-20T08:30:00Z")),
        ]);

        Assert.Equal(new SlaMinutes(21_600, 21_570, 30, 0, 0), september.Minutes);
        Assert.Equal(1, september.IncidentCount);
    }

    [Fact]
    public void A_month_in_progress_counts_up_to_now_and_an_open_outage_up_to_now()
    {
        // Now: 3 August 12:00Z; August began 31 July 22:00Z: 2 days 14 hours = 3,720 minutes; down since 11:00Z.
        SlaMonthFigures august = Month(2026, 8, Sla(), [new DownPeriod(At("2026-08-03T11:00:00Z"), null)], now: At("2026-08-03T12:00:00Z"));

        Assert.Equal(new SlaMinutes(3_720, 3_660, 60, 0, 0), august.Minutes);
        SlaIncident incident = Assert.Single(august.Incidents);
        Assert.Null(incident.End);
        Assert.Equal(60, incident.TimeToRepairMinutes);
    }

    [Fact]
    public void Throughput_tests_pass_at_the_committed_rate_less_the_tolerance_and_the_tenth_percentile_is_nearest_rank()
    {
        long night = At("2026-11-10T02:00:00Z");
        double[] downloads = [100, 96, 89.5, 89.4, 60, 120, 99, 101, 97, 50, 98];
        SlaMonthFigures november = Month(2026, 11, Sla(), throughput:
        [
            .. downloads.Select((mbps, i) => new ThroughputResult(night + i * 86_400_000L, true, mbps)),
            new ThroughputResult(night, false, 40),
            new ThroughputResult(At("2026-12-01T02:00:00Z"), true, 10), // next month
        ]);

        // Threshold: a 100 Mbit/s line carries 100 × 1448 / 1538 = 94.148 Mbit/s of TCP payload (RFC 6349), less 5 %:
        // 89.44. 100, 96, 89.5, 120, 99, 101, 97, 98 pass (8 of 11); sorted 50, 60, 89.4, ...: rank ⌈1.1⌉ = 2 is 60.
        Assert.Equal(89.44, november.Download.ThresholdMbps, 2);
        Assert.Equal(new ThroughputCompliance(100, november.Download.ThresholdMbps, 11, 8, 8 * 100.0 / 11, 60), november.Download);
        Assert.Equal(new ThroughputCompliance(100, november.Download.ThresholdMbps, 1, 0, 0, 40), november.Upload);
    }

    [Fact]
    public void Probe_latency_percentiles_and_loss_come_from_the_scheduled_hours_and_the_credit_from_the_table()
    {
        // Twenty hourly means 10, 20, ... 200 ms: p50 is rank 10 (100 ms), p95 rank 19 (190 ms). Loss 1 % over 10 readings
        // and 3 % over 30: 2.5 %. Down 648 minutes of 43,200: 98.5 %, below 99.5 (10 %) but not 98: 10 % of 500 euros.
        long first = At("2026-11-02T00:00:00Z");
        SlaMonthFigures november = Month(2026, 11, Sla(fee: 500),
            [new DownPeriod(At("2026-11-20T00:00:00Z"), At("2026-11-20T10:48:00Z"))],
            latency: [.. Enumerable.Range(1, 20).Select(i => new ProbeFigure(first + i * 3_600_000L, i * 10, 120))],
            loss: [new ProbeFigure(first, 0.01, 10), new ProbeFigure(first + 3_600_000, 0.03, 30), new ProbeFigure(At("2026-10-01T00:00:00Z"), 1, 1000)]);

        Assert.Equal(100, november.LatencyP50Ms);
        Assert.Equal(190, november.LatencyP95Ms);
        Assert.False(november.LatencyMet);
        Assert.Equal(2.5, november.LossPercent!.Value, 9);
        Assert.False(november.LossMet);
        Assert.Equal(98.5, november.AvailabilityPercent!.Value, 9);
        Assert.Equal(10, november.CreditPercent);
        Assert.Equal(50m, november.CreditAmount);
    }

    [Theory]
    [InlineData("Mon-Fri 07:00-18:00", "Mon,Tue,Wed,Thu,Fri 07:00-18:00")]
    [InlineData("sat,Sun 00:00-24:00", "Sun,Sat 00:00-24:00")]
    [InlineData("Fri-Mon 08:00-12:00", "Sun,Mon,Fri,Sat 08:00-12:00")]
    public void Weekly_hours_are_read_from_their_text(string text, string expected) => Assert.Equal(expected, WeeklyHours.Parse(text).ToString());

    [Theory]
    [InlineData("Mon-Fri 7-18")]
    [InlineData("Monday-Fri 18:00-07:00")]
    [InlineData("Xyz 07:00-18:00")]
    [InlineData("Mon-Fri")]
    public void Bad_weekly_hours_are_refused_with_what_they_should_be(string text) =>
        Assert.Contains(text, Assert.Throws<FormatException>(() => WeeklyHours.Parse(text)).Message, StringComparison.Ordinal);

    [Fact]
    public void Spans_add_and_take_away_as_sets()
    {
        List<TimeSpan64> a = Spans.Union([new(0, 10), new(5, 20), new(30, 40), new(40, 45)]);
        Assert.Equal([new TimeSpan64(0, 20), new TimeSpan64(30, 45)], a);
        Assert.Equal([new TimeSpan64(0, 3), new TimeSpan64(8, 20), new TimeSpan64(44, 45)], Spans.Subtract(a, [new(3, 8), new(25, 44)]));
        Assert.Equal([new TimeSpan64(15, 20), new TimeSpan64(30, 35)], Spans.Intersect(a, [new(15, 35)]));
    }
}
