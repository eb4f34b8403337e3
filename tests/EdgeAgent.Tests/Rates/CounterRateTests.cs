using CsCheck;
using Network.EdgeAgent.Rates;

namespace Network.EdgeAgent.Tests.Rates;

/// <summary>Counter to rate: invariants over seeded random readings (wrap, reboot, reset), then the edge cases by name.</summary>
public class CounterRateTests
{
    private const long Iterations = 20_000;

    // Elapsed time between polls: 1 s to 1 h; sysUpTime at the first poll: anything that leaves room to grow without wrapping.
    private static readonly Gen<long> s_elapsedMs = Gen.Long[1_000, 3_600_000];
    private static readonly Gen<uint> s_upTime = Gen.UInt[0, uint.MaxValue - 400_000_000];

    private static (CounterReading Previous, CounterReading Current) Readings(ulong p, ulong c, CounterWidth width, uint up0, long elapsedMs, long at0 = 1_700_000_000_000) =>
        (new CounterReading(p, width, up0, at0), new CounterReading(c, width, (uint)(up0 + (elapsedMs / 10)), at0 + elapsedMs));

    [Fact]
    public void Any_two_readings_give_no_rate_or_a_finite_non_negative_one()
    {
        Gen.Select(Gen.ULong, Gen.ULong, Gen.UInt, Gen.UInt, Gen.Long[-10_000, 10_000_000], Gen.Bool, Gen.Bool).Sample(t =>
        {
            var (p, c, u0, u1, dt, wide, wideBefore) = t;
            var previous = new CounterReading(p, wideBefore ? CounterWidth.Bits64 : CounterWidth.Bits32, u0, 1_000_000);
            var current = new CounterReading(c, wide ? CounterWidth.Bits64 : CounterWidth.Bits32, u1, 1_000_000 + dt);
            RateResult r = CounterRate.Compute(previous, current);
            return r.HasRate ? double.IsFinite(r.PerSecond) && r.PerSecond >= 0 : r.PerSecond == 0;
        }, iter: Iterations);
    }

    [Fact]
    public void A_32_bit_counter_that_wrapped_once_gives_the_true_rate()
    {
        Gen.Select(Gen.UInt, Gen.UInt, s_upTime, s_elapsedMs).Sample(t =>
        {
            var (p, delta, up0, dt) = t;
            ulong c = unchecked(p + delta); // uint arithmetic: wraps at 2^32
            var (previous, current) = Readings(p, (uint)c, CounterWidth.Bits32, up0, dt);
            RateResult r = CounterRate.Compute(previous, current);
            return r.HasRate && Math.Abs(r.PerSecond - (delta * 1000.0 / dt)) <= 1e-6 * Math.Max(1, r.PerSecond);
        }, iter: Iterations);
    }

    [Fact]
    public void A_64_bit_counter_gives_the_exact_rate_and_one_that_went_back_gives_none()
    {
        Gen.Select(Gen.ULong[0, ulong.MaxValue / 2], Gen.ULong[0, ulong.MaxValue / 2], s_upTime, s_elapsedMs).Sample(t =>
        {
            var (p, delta, up0, dt) = t;
            var (previous, current) = Readings(p, p + delta, CounterWidth.Bits64, up0, dt);
            RateResult r = CounterRate.Compute(previous, current);
            RateResult back = CounterRate.Compute(current, previous with { UpTimeTicks = current.UpTimeTicks + 1000, AtMs = current.AtMs + 10_000 });
            return r.HasRate && Math.Abs(r.PerSecond - (delta * 1000.0 / dt)) <= 1e-9 * Math.Max(1, r.PerSecond)
                && (delta == 0 ? back.HasRate && back.PerSecond == 0 : back.Reason == NoRateReason.Reset);
        }, iter: Iterations);
    }

    [Fact]
    public void A_reboot_between_readings_never_gives_a_rate_whatever_the_counters_did()
    {
        // sysUpTime went back (up0 is above anything upAfter reaches): rebooted, however the counters moved.
        Gen.Select(Gen.ULong, Gen.ULong, Gen.UInt[400_000, uint.MaxValue / 2], s_elapsedMs, Gen.Bool, Gen.Double[0, 0.9]).Sample(t =>
        {
            var (p, c, up0, dt, wide, share) = t;
            CounterWidth width = wide ? CounterWidth.Bits64 : CounterWidth.Bits32;
            var previous = new CounterReading(wide ? p : (uint)p, width, up0, 5_000_000);
            var current = new CounterReading(wide ? c : (uint)c, width, (uint)(dt / 10 * share), 5_000_000 + dt);
            return CounterRate.Compute(previous, current).Reason == NoRateReason.Rebooted;
        }, iter: Iterations);
    }

    [Fact]
    public void A_reboot_hidden_in_a_long_gap_is_seen_even_when_sysUpTime_grew()
    {
        // Polls 100 s to 1 h apart; sysUpTime grew, but is shorter than the gap: the device restarted in between.
        Gen.Select(Gen.ULong, Gen.ULong, Gen.UInt[0, 1000], Gen.Long[100_000, 3_600_000], Gen.Double[0, 0.999]).Sample(t =>
        {
            var (p, c, up0, dt, share) = t;
            uint upAfter = up0 + (uint)(((dt / 10) - up0 - 201) * share);
            var previous = new CounterReading(p, CounterWidth.Bits64, up0, 5_000_000);
            var current = new CounterReading(c, CounterWidth.Bits64, upAfter, 5_000_000 + dt);
            return CounterRate.Compute(previous, current).Reason == NoRateReason.Rebooted;
        }, iter: Iterations);
    }

    [Fact]
    public void No_rate_is_ever_above_the_bound_given()
    {
        Gen.Select(Gen.UInt, Gen.UInt, s_upTime, s_elapsedMs, Gen.Double[1, 1e9]).Sample(t =>
        {
            var (p, c, up0, dt, max) = t;
            var (previous, current) = Readings(p, c, CounterWidth.Bits32, up0, dt);
            RateResult r = CounterRate.Compute(previous, current, max);
            return !r.HasRate || r.PerSecond <= max;
        }, iter: Iterations);
    }

    [Theory]
    [InlineData("wrap of a 32-bit counter near the top", 4_294_967_000UL, 704UL, CounterWidth.Bits32, 100.0)]
    [InlineData("no change", 12_345UL, 12_345UL, CounterWidth.Bits64, 0.0)]
    [InlineData("64-bit at 10 Gb/s for 10 s", 1UL << 40, (1UL << 40) + 12_500_000_000UL, CounterWidth.Bits64, 1_250_000_000.0)]
    public void Named_cases_give_the_expected_rate(string description, ulong previous, ulong current, CounterWidth width, double expected)
    {
        var (p, c) = Readings(previous, current, width, 100_000, 10_000);

        RateResult r = CounterRate.Compute(p, c);

        Assert.True(r.HasRate, description);
        Assert.Equal(expected, r.PerSecond, 6);
    }

    [Fact]
    public void A_counter_reset_without_a_reboot_gives_no_spike_when_the_interface_speed_is_known()
    {
        // A 32-bit counter cleared to 0 from 3,000,000,000 looks like a wrap of 1.29 GB in 30 s: impossible on 100 Mb/s.
        var (p, c) = Readings(3_000_000_000UL, 1_000UL, CounterWidth.Bits32, 500_000, 30_000);

        Assert.Equal(NoRateReason.Implausible, CounterRate.Compute(p, c, maxPerSecond: 100e6 / 8 * 1.5).Reason);
    }

    [Fact]
    public void SysUpTime_wrapping_after_497_days_is_not_a_reboot_but_going_back_is()
    {
        Assert.False(CounterRate.Rebooted(uint.MaxValue - 1000, 2000, 30_000)); // 2^32 ticks passed while up: wrapped
        Assert.True(CounterRate.Rebooted(500_000, 400_000, 30_000));
        Assert.True(CounterRate.Rebooted(500_000, 1_000, 30_000));
        Assert.False(CounterRate.Rebooted(500_000, 503_000, 30_000));
    }

    [Fact]
    public void A_width_change_or_no_elapsed_time_gives_no_rate()
    {
        var p = new CounterReading(10, CounterWidth.Bits32, 1000, 1000);

        Assert.Equal(NoRateReason.WidthChanged, CounterRate.Compute(p, new CounterReading(20, CounterWidth.Bits64, 2000, 11_000)).Reason);
        Assert.Equal(NoRateReason.NoElapsedTime, CounterRate.Compute(p, p).Reason);
    }

    [Fact]
    public void The_tracker_gives_no_rate_for_the_first_reading_and_forgets_counters_not_seen()
    {
        var tracker = new RateTracker<int>();

        Assert.False(tracker.Next(1, new CounterReading(0, CounterWidth.Bits64, 100, 0)).HasRate);
        Assert.Equal(100, tracker.Next(1, new CounterReading(1000, CounterWidth.Bits64, 1100, 10_000)).PerSecond);
        tracker.RetainOnly(new HashSet<int> { 2 });
        Assert.Equal(0, tracker.Count);
    }
}
