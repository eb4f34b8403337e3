namespace Network.FleetSimulator;

/// <summary>
/// An octet counter: the integral since the last boot of a traffic rate that follows a
/// <see cref="DailyCurve"/>, times a noise factor drawn per hour, and zero while the link is down.
/// </summary>
/// <remarks>
/// Each hour's total is computed once, in whole octets, from the curve's exact integral over the hour
/// (the rate is linear within an hour). Inside an hour the total is spread in proportion to the exact
/// integral up to that instant, in integer arithmetic, so the counter never moves backwards between
/// two reboots, not even by an octet of rounding, and reaches each hour's total exactly at its end.
/// Two counters that share a stream (a radio's out and the uplink's in) see the same noise.
/// </remarks>
internal sealed class TrafficCounter(ulong streamKey, double peakOctetsPerSecond, DailyCurve curve, FlapSchedule flaps)
{
    private const long L = SimTime.HourMs;

    /// <summary>Octets counted from <paramref name="bootMs"/> to <paramref name="nowMs"/>.</summary>
    public ulong OctetsSinceBoot(long bootMs, long nowMs)
    {
        if (nowMs <= bootMs)
        {
            return 0;
        }

        long bootHour = SimTime.HourOf(bootMs);
        long nowHour = SimTime.HourOf(nowMs);
        HourSlice first = Slice(bootHour);
        if (bootHour == nowHour)
        {
            return first.Cumulative(nowMs - (nowHour * L)) - first.Cumulative(bootMs - (bootHour * L));
        }

        ulong total = first.Total - first.Cumulative(bootMs - (bootHour * L));
        for (long hour = bootHour + 1; hour < nowHour; hour++)
        {
            total += Slice(hour).Total;
        }

        return total + Slice(nowHour).Cumulative(nowMs - (nowHour * L));
    }

    private HourSlice Slice(long hour)
    {
        (int start, int end, double dayFactor) = curve.Hour(hour);
        long downFrom = L;
        long downTo = L;
        if (flaps.TryGetOutage(hour, out Outage outage))
        {
            downFrom = outage.StartMs - (hour * L);
            downTo = outage.EndMs - (hour * L);
        }

        var slice = new HourSlice(start, end, downFrom, downTo, 0);
        double noise = Noise.Between(Noise.Hash(streamKey, (ulong)Draw.Traffic, hour), 0.75, 1.25);

        // G is the integral of the level (per mille) over milliseconds, times 2L: octets = peak * G / (2L * 1000 * 1000).
        double octets = peakOctetsPerSecond * dayFactor * noise * slice.UpIntegral(L) / (2.0 * L * 1000.0 * 1000.0);
        return slice with { Total = (ulong)Math.Floor(octets) };
    }

    private readonly record struct HourSlice(int Start, int End, long DownFrom, long DownTo, ulong Total)
    {
        /// <summary>The octets of this hour counted by <paramref name="offset"/> milliseconds into it.</summary>
        public ulong Cumulative(long offset)
        {
            long whole = UpIntegral(L);
            return whole == 0 ? 0 : (ulong)((Int128)Total * UpIntegral(offset) / whole);
        }

        /// <summary>2L times the integral of the level from the start of the hour to <paramref name="x"/>, outage excluded.</summary>
        public long UpIntegral(long x) => G(x) - (G(Math.Min(x, DownTo)) - G(Math.Min(x, DownFrom)));

        // Exact: the largest value, 2L * 1000 * L, is about 2.6e16.
        private long G(long x) => (2 * L * Start * x) + ((long)(End - Start) * x * x);
    }
}
