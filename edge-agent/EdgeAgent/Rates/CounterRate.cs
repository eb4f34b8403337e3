namespace Network.EdgeAgent.Rates;

/// <summary>How wide a counter is: a Counter32 wraps at 2^32 (RFC 2578 section 7.1.6), a Counter64 in practice never does.</summary>
public enum CounterWidth
{
    Bits32,
    Bits64,
}

/// <summary>
/// One reading of a counter: its value, its width, the device's sysUpTime (hundredths of a second, RFC 3418) read in the
/// same request, and when the agent took it (Unix milliseconds of the agent's clock).
/// </summary>
public readonly record struct CounterReading(ulong Value, CounterWidth Width, uint UpTimeTicks, long AtMs);

/// <summary>Why two readings gave no rate.</summary>
public enum NoRateReason
{
    None,

    /// <summary>The agent's clock did not move forward between the readings.</summary>
    NoElapsedTime,

    /// <summary>One reading is 32-bit and the other 64-bit (the agent switched between ifInOctets and ifHCInOctets).</summary>
    WidthChanged,

    /// <summary>sysUpTime went back, or is shorter than the time between the readings: the device restarted in between.</summary>
    Rebooted,

    /// <summary>A 64-bit counter went back, or a 32-bit one went back further than a single wrap explains.</summary>
    Reset,

    /// <summary>The rate is above what the interface can carry: a discontinuity that sysUpTime did not show.</summary>
    Implausible,
}

/// <summary>A rate per second, or the reason there is none. A rate is always finite and never negative.</summary>
public readonly record struct RateResult(double PerSecond, NoRateReason Reason)
{
    public bool HasRate => Reason == NoRateReason.None;

    public static RateResult Of(double perSecond) => new(perSecond, NoRateReason.None);

    public static RateResult None(NoRateReason reason) => new(0, reason);
}

/// <summary>
/// Counter to rate: pure functions. Counters are monotonic between discontinuities (RFC 2863 section 3.1.6); a restart
/// of the agent shows as a smaller sysUpTime, and then no rate is reported for that interval rather than a spike or a
/// negative value. A 32-bit counter that went back is taken as one wrap when the implied rate is plausible.
/// </summary>
public static class CounterRate
{
    /// <summary>The clocks of agent and device differ a little, and the request takes time: this much slack is allowed.</summary>
    public const long ClockSlackMs = 2_000;

    private const double Wrap32 = 4_294_967_296.0;

    /// <param name="previous">The earlier reading.</param>
    /// <param name="current">The later reading.</param>
    /// <param name="maxPerSecond">The highest believable rate (for octets, the interface speed in bytes/s with headroom), or null for no bound.</param>
    public static RateResult Compute(CounterReading previous, CounterReading current, double? maxPerSecond = null)
    {
        long elapsedMs = current.AtMs - previous.AtMs;
        if (elapsedMs <= 0)
        {
            return RateResult.None(NoRateReason.NoElapsedTime);
        }

        if (previous.Width != current.Width)
        {
            return RateResult.None(NoRateReason.WidthChanged);
        }

        if (Rebooted(previous.UpTimeTicks, current.UpTimeTicks, elapsedMs))
        {
            return RateResult.None(NoRateReason.Rebooted);
        }

        double delta;
        if (current.Value >= previous.Value)
        {
            delta = current.Value - previous.Value;
        }
        else if (current.Width == CounterWidth.Bits32 && previous.Value <= uint.MaxValue && current.Value <= uint.MaxValue)
        {
            delta = Wrap32 - previous.Value + current.Value; // one wrap (RFC 2578 section 7.1.6)
        }
        else
        {
            return RateResult.None(NoRateReason.Reset);
        }

        double rate = delta * 1000.0 / elapsedMs;
        if (maxPerSecond is double max && rate > max)
        {
            return RateResult.None(NoRateReason.Implausible);
        }

        return RateResult.Of(rate);
    }

    /// <summary>
    /// Whether the device restarted between two readings <paramref name="elapsedMs"/> apart. sysUpTime wraps after 497 days:
    /// going back is a reboot unless the previous value plus the elapsed time crossed 2^32 ticks.
    /// </summary>
    public static bool Rebooted(uint previousTicks, uint currentTicks, long elapsedMs)
    {
        long slackTicks = ClockSlackMs / 10;
        long elapsedTicks = elapsedMs / 10;
        if (currentTicks < previousTicks)
        {
            long expected = (long)previousTicks + elapsedTicks;
            bool wrapped = expected >= (1L << 32) && Math.Abs(expected - (1L << 32) - currentTicks) <= slackTicks + (elapsedTicks / 100);
            return !wrapped;
        }

        // Up for less time than has passed since the previous reading: it booted in between, even if sysUpTime is
        // now larger than it was (a long gap between polls).
        return currentTicks + slackTicks < elapsedTicks;
    }
}

/// <summary>
/// The previous reading of each counter, so each poll turns counters into rates. Keyed by whatever identifies a
/// counter (device, ifIndex, column). Not thread-safe: one poller owns it.
/// </summary>
public sealed class RateTracker<TKey>
    where TKey : notnull
{
    private readonly Dictionary<TKey, CounterReading> _previous = [];

    public int Count => _previous.Count;

    /// <summary>Stores <paramref name="current"/> and returns the rate since the previous reading of <paramref name="key"/>.</summary>
    public RateResult Next(TKey key, CounterReading current, double? maxPerSecond = null)
    {
        bool had = _previous.TryGetValue(key, out CounterReading previous);
        _previous[key] = current;
        return had ? CounterRate.Compute(previous, current, maxPerSecond) : RateResult.None(NoRateReason.NoElapsedTime);
    }

    /// <summary>Forgets counters not seen in the last poll (an interface removed), so the table stays bounded.</summary>
    public void RetainOnly(IReadOnlySet<TKey> seen)
    {
        foreach (TKey key in _previous.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            _previous.Remove(key);
        }
    }
}
