namespace Network.FleetSimulator;

/// <summary>
/// When a device reboots: time is cut into periods of 7 to 28 days (per device) and the device reboots
/// once in each, at a drawn moment. The last boot before any instant is found in constant time.
/// </summary>
internal sealed class BootSchedule
{
    private readonly ulong _key;
    private readonly long _period;
    private readonly long _phase;

    public BootSchedule(ulong deviceKey)
    {
        _key = Noise.Hash(deviceKey, (ulong)Draw.Boot);
        _period = (7 + (long)(Noise.Hash(deviceKey, (ulong)Draw.BootPeriod) % 22)) * SimTime.DayMs;
        _phase = (long)(Noise.Unit(Noise.Hash(deviceKey, (ulong)Draw.BootPhase)) * _period);
    }

    /// <summary>The last boot at or before <paramref name="nowMs"/>.</summary>
    public long LastBoot(long nowMs)
    {
        long period = SimTime.FloorDiv(nowMs - _phase, _period);
        long boot = BootIn(period);
        return boot <= nowMs ? boot : BootIn(period - 1);
    }

    /// <summary>The first boot after <paramref name="nowMs"/>.</summary>
    public long NextBoot(long nowMs)
    {
        long period = SimTime.FloorDiv(nowMs - _phase, _period);
        long boot = BootIn(period);
        return boot > nowMs ? boot : BootIn(period + 1);
    }

    private long BootIn(long period)
    {
        double at = Noise.Between(Noise.Hash(_key, 0, period), 0.02, 0.98);
        return _phase + (period * _period) + (long)(at * _period);
    }
}
