namespace Network.FleetSimulator;

/// <summary>A link outage: ifOperStatus is down from <see cref="StartMs"/> (inclusive) to <see cref="EndMs"/> (exclusive).</summary>
internal readonly record struct Outage(long StartMs, long EndMs)
{
    public bool Contains(long ms) => StartMs <= ms && ms < EndMs;
}

/// <summary>
/// When a link flaps: in each hour, with a per-link probability, one outage of 20 seconds to 15
/// minutes that starts and ends inside that hour.
/// </summary>
internal sealed class FlapSchedule(ulong linkKey, double probabilityPerHour)
{
    private const long MinOutageMs = 20 * SimTime.SecondMs;
    private const long MaxOutageMs = 15 * SimTime.MinuteMs;

    public bool TryGetOutage(long hour, out Outage outage)
    {
        ulong draw = Noise.Hash(linkKey, (ulong)Draw.Flap, hour);
        if (Noise.Unit(draw) >= probabilityPerHour)
        {
            outage = default;
            return false;
        }

        long length = MinOutageMs + (long)(Noise.Unit(Noise.Hash(draw, 1)) * (MaxOutageMs - MinOutageMs));
        long start = (hour * SimTime.HourMs) + (long)(Noise.Unit(Noise.Hash(draw, 2)) * (SimTime.HourMs - length));
        outage = new Outage(start, start + length);
        return true;
    }

    public bool IsDown(long ms) => TryGetOutage(SimTime.HourOf(ms), out Outage outage) && outage.Contains(ms);

    /// <summary>
    /// The last time the link went down or came up after <paramref name="bootMs"/> and at or before
    /// <paramref name="nowMs"/>, or <paramref name="bootMs"/> when it has not changed since the boot.
    /// </summary>
    public long LastChange(long bootMs, long nowMs)
    {
        for (long hour = SimTime.HourOf(nowMs); hour >= SimTime.HourOf(bootMs); hour--)
        {
            if (!TryGetOutage(hour, out Outage outage))
            {
                continue;
            }

            if (outage.EndMs <= nowMs && outage.EndMs > bootMs)
            {
                return outage.EndMs;
            }

            if (outage.StartMs <= nowMs && outage.StartMs > bootMs)
            {
                return outage.StartMs;
            }
        }

        return bootMs;
    }
}
