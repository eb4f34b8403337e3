namespace Network.Noc.Sla;

/// <summary>A period the school's uplink was down, from its alarm: <see cref="EndMs"/> null while it lasts.</summary>
public sealed record DownPeriod(long StartMs, long? EndMs, long? AlarmId = null, string? AcknowledgedBy = null, DateTimeOffset? AcknowledgedAt = null,
    string? Note = null);

/// <summary>A maintenance window as the maths sees it.</summary>
public sealed record MaintenancePeriod(long Id, long StartMs, long EndMs, bool AfterTheFact);

/// <summary>One throughput test result in one direction.</summary>
public readonly record struct ThroughputResult(long AtMs, bool Download, double Mbps);

/// <summary>A probe figure over a stretch of time (an hour's mean and how many readings made it).</summary>
public readonly record struct ProbeFigure(long AtMs, double Value, long Count);

/// <summary>Everything one school's month is computed from; instants in Unix ms (UTC).</summary>
public sealed record SlaMonthInput(
    int Year,
    int Month,
    SlaDefinition Sla,
    long NowMs,
    IReadOnlyList<DownPeriod> Down,
    IReadOnlyList<TimeSpan64> NoData,
    IReadOnlyList<MaintenancePeriod> Maintenance,
    IReadOnlyList<ThroughputResult> Throughput,
    IReadOnlyList<ProbeFigure> LatencyMs,
    IReadOnlyList<ProbeFigure> LossRatio)
{
    /// <summary>When the school left the programme (retired), if it did.</summary>
    public long? ActiveUntilMs { get; init; }
}

/// <summary>Where a month's scheduled minutes went. Up + Down + NoData + Maintenance = Scheduled.</summary>
public sealed record SlaMinutes(double Scheduled, double Up, double Down, double Maintenance, double NoData);

/// <summary>One down period as the report shows it, with its minutes inside this month's schedule (maintenance excluded).</summary>
public sealed record SlaIncident(
    DateTimeOffset Start,
    DateTimeOffset? End,
    double ScheduledMinutes,
    bool Counted,
    long? AlarmId,
    string? AcknowledgedBy,
    DateTimeOffset? AcknowledgedAt,
    string? Note,
    double? TimeToAcknowledgeMinutes,
    double TimeToRepairMinutes);

/// <summary>The throughput tests of one direction: how many, how many passed, their share, the 10th percentile.</summary>
public sealed record ThroughputCompliance(double CommittedMbps, double ThresholdMbps, int Tests, int Passed, double? CompliancePercent, double? P10Mbps);

/// <summary>A maintenance window's use in the month.</summary>
public sealed record MaintenanceUse(long Id, double Minutes, bool AfterTheFact);

/// <summary>One school's month: the figures of the SLA report.</summary>
public sealed record SlaMonthFigures(
    SlaMinutes Minutes,
    double? AvailabilityPercent,
    double ObjectivePercent,
    bool? Met,
    IReadOnlyList<SlaIncident> Incidents,
    int IncidentCount,
    double? MttrMinutes,
    double? MtbfMinutes,
    ThroughputCompliance Download,
    ThroughputCompliance Upload,
    double? LatencyP50Ms,
    double? LatencyP95Ms,
    double? LossPercent,
    bool? LatencyMet,
    bool? LossMet,
    double CreditPercent,
    decimal CreditAmount,
    IReadOnlyList<MaintenanceUse> Maintenance);

/// <summary>
/// The monthly SLA maths, pure: a local month of the schedule's zone, clipped to the school's activation and to now, split
/// into maintenance (excluded), down, no data and up, in that precedence; availability is up over scheduled less
/// maintenance (and less no data when that does not count); incidents are the merged down periods (touching or
/// overlapping ones are one), counted when they have scheduled minutes outside maintenance. Percentiles are nearest-rank.
/// </summary>
public static class SlaMath
{
    private const double MsPerMinute = 60_000;

    public static SlaMonthFigures Compute(SlaMonthInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        SlaDefinition sla = input.Sla;
        SlaSchedule schedule = sla.Schedule;
        long monthStart = schedule.MonthStart(input.Year, input.Month);
        long monthEnd = schedule.MonthEnd(input.Year, input.Month);
        long activeStart = Math.Max(monthStart, sla.ActiveFrom?.ToUnixTimeMilliseconds() ?? long.MinValue);
        long activeEnd = Math.Min(Math.Min(monthEnd, input.NowMs), input.ActiveUntilMs ?? long.MaxValue);
        List<TimeSpan64> active = activeEnd > activeStart ? [new TimeSpan64(activeStart, activeEnd)] : [];

        List<TimeSpan64> scheduled = Spans.Intersect(schedule.Scheduled(input.Year, input.Month), active);
        List<TimeSpan64> windows = Spans.Union(input.Maintenance.Select(m => new TimeSpan64(m.StartMs, m.EndMs)));
        List<TimeSpan64> maintenance = Spans.Intersect(scheduled, windows);
        List<TimeSpan64> measured = Spans.Subtract(scheduled, maintenance);
        List<(TimeSpan64 Span, DownPeriod First)> downPeriods = MergeDown(input.Down);
        List<TimeSpan64> down = Spans.Intersect(measured, [.. downPeriods.Select(d => d.Span)]);
        List<TimeSpan64> rest = Spans.Subtract(measured, down);
        List<TimeSpan64> noData = Spans.Intersect(rest, Spans.Union(input.NoData));
        List<TimeSpan64> up = Spans.Subtract(rest, noData);

        var minutes = new SlaMinutes(Minutes(scheduled), Minutes(up), Minutes(down), Minutes(maintenance), Minutes(noData));
        double denominator = minutes.Scheduled - minutes.Maintenance - (sla.NoDataCountsAsDown ? 0 : minutes.NoData);
        double? availability = denominator > 0 ? minutes.Up / denominator * 100 : null;
        bool? met = availability is double a ? a >= sla.AvailabilityObjectivePercent : null;

        var incidents = new List<SlaIncident>();
        foreach ((TimeSpan64 span, DownPeriod first) in downPeriods)
        {
            if (span.End <= activeStart || span.Start >= activeEnd)
            {
                continue;
            }

            double inSchedule = Minutes(Spans.Intersect(measured, [span]));
            long? end = span.End == long.MaxValue ? null : span.End;
            long repaired = Math.Min(span.End, input.NowMs);
            DateTimeOffset? acknowledged = first.AcknowledgedAt;
            incidents.Add(new SlaIncident(
                DateTimeOffset.FromUnixTimeMilliseconds(span.Start),
                end is long e ? DateTimeOffset.FromUnixTimeMilliseconds(e) : null,
                inSchedule,
                inSchedule > 0,
                first.AlarmId,
                first.AcknowledgedBy,
                acknowledged,
                first.Note,
                acknowledged is DateTimeOffset at ? (at.ToUnixTimeMilliseconds() - span.Start) / MsPerMinute : null,
                Math.Max(0, repaired - span.Start) / MsPerMinute));
        }

        List<SlaIncident> counted = [.. incidents.Where(i => i.Counted)];
        double? mttr = counted.Count > 0 ? counted.Average(i => i.TimeToRepairMinutes) : null;
        double? mtbf = counted.Count > 0 ? minutes.Up / counted.Count : null;

        ThroughputCompliance download = Compliance(input.Throughput, true, sla.CommittedDownMbps, sla.ThroughputTolerancePercent, activeStart, activeEnd);
        ThroughputCompliance upload = Compliance(input.Throughput, false, sla.CommittedUpMbps, sla.ThroughputTolerancePercent, activeStart, activeEnd);

        List<double> latencies = [.. input.LatencyMs.Where(p => p.Count > 0 && Inside(measured, p.AtMs)).Select(p => p.Value).Order()];
        double? p50 = Percentile(latencies, 0.50);
        double? p95 = Percentile(latencies, 0.95);
        List<ProbeFigure> losses = [.. input.LossRatio.Where(p => p.Count > 0 && Inside(measured, p.AtMs))];
        double? loss = losses.Count > 0 ? losses.Sum(p => p.Value * p.Count) / losses.Sum(p => p.Count) * 100 : null;

        double credit = availability is double value ? sla.Credits.Where(c => value < c.BelowPercent).Select(c => c.CreditPercent).DefaultIfEmpty(0).Max() : 0;
        var uses = input.Maintenance.Select(m => new MaintenanceUse(m.Id, Minutes(Spans.Intersect(scheduled, [new TimeSpan64(m.StartMs, m.EndMs)])), m.AfterTheFact))
            .Where(u => u.Minutes > 0).ToList();

        return new SlaMonthFigures(minutes, availability, sla.AvailabilityObjectivePercent, met, incidents, counted.Count, mttr, mtbf, download, upload,
            p50, p95, loss, p95 is double l ? l <= sla.LatencyObjectiveMs : null, loss is double lo ? lo <= sla.LossObjectivePercent : null,
            credit, Math.Round(sla.MonthlyFee * (decimal)credit / 100, 2), uses);
    }

    /// <summary>The value at rank ⌈p·n⌉ of sorted values (nearest rank), null when there are none.</summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return null;
        }

        int rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    /// <summary>
    /// The share of a line's rate that a TCP test can carry as payload (RFC 6349's maximum achievable TCP throughput): on
    /// Ethernet with a 1500-byte MTU each 1448-byte segment (TCP timestamps on, as Linux sends them) costs 1538 bytes on
    /// the wire (preamble, header, trailer, inter-frame gap), so a perfect 100 Mbit/s line shows 94.1 Mbit/s in a test.
    /// The committed rate is the line's; a test is held against what the line can carry, less the tolerance.
    /// </summary>
    public const double TcpPayloadShare = 1448.0 / 1538;

    private static ThroughputCompliance Compliance(IReadOnlyList<ThroughputResult> results, bool download, double committed, double tolerancePercent, long from, long to)
    {
        double threshold = committed * TcpPayloadShare * (1 - tolerancePercent / 100);
        List<double> rates = [.. results.Where(r => r.Download == download && r.AtMs >= from && r.AtMs < to).Select(r => r.Mbps).Order()];
        int passed = rates.Count(r => r >= threshold);
        return new ThroughputCompliance(committed, threshold, rates.Count, passed, rates.Count > 0 ? passed * 100.0 / rates.Count : null, Percentile(rates, 0.10));
    }

    // Down periods merged (touching or overlapping ones are one incident), each with the first alarm that opened it.
    private static List<(TimeSpan64, DownPeriod)> MergeDown(IReadOnlyList<DownPeriod> periods)
    {
        var merged = new List<(TimeSpan64 Span, DownPeriod First)>();
        foreach (DownPeriod period in periods.OrderBy(p => p.StartMs))
        {
            var span = new TimeSpan64(period.StartMs, period.EndMs ?? long.MaxValue);
            if (span.End <= span.Start)
            {
                continue;
            }

            if (merged.Count > 0 && span.Start <= merged[^1].Span.End)
            {
                merged[^1] = (merged[^1].Span with { End = Math.Max(merged[^1].Span.End, span.End) }, merged[^1].First);
            }
            else
            {
                merged.Add((span, period));
            }
        }

        return merged;
    }

    private static bool Inside(List<TimeSpan64> spans, long at) => spans.Exists(s => at >= s.Start && at < s.End);

    private static double Minutes(IEnumerable<TimeSpan64> spans) => Spans.Total(spans) / MsPerMinute;
}
