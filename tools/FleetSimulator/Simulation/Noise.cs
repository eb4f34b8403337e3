namespace Network.FleetSimulator;

/// <summary>
/// Stateless pseudo-randomness: every "random" quantity of the simulation is a hash of the fleet seed,
/// the device, what is drawn and the time slot, so a value is a pure function of (seed, device, time)
/// and two runs, or two threads, always agree.
/// </summary>
internal static class Noise
{
    /// <summary>The SplitMix64 finaliser: a bijection that spreads every input bit over the output.</summary>
    public static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    public static ulong Hash(ulong a, ulong b) => Mix(a ^ Mix(b));

    public static ulong Hash(ulong a, ulong b, long c) => Hash(Hash(a, b), unchecked((ulong)c));

    /// <summary>A double in [0, 1) from the top 53 bits of <paramref name="hash"/>.</summary>
    public static double Unit(ulong hash) => (hash >> 11) * (1.0 / (1UL << 53));

    /// <summary>A double in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static double Between(ulong hash, double low, double high) => low + ((high - low) * Unit(hash));
}

/// <summary>What a hash draws; keeps the streams of one device independent of each other.</summary>
internal enum Draw : ulong
{
    Kind = 1,
    Boot,
    BootPeriod,
    BootPhase,
    Popularity,
    Speed,
    Flap,
    Traffic,
    Clients,
    Capacity,
    Cpu,
    Memory,
    Mac,
}

/// <summary>Simulated time: milliseconds since the Unix epoch, in slots of one hour.</summary>
internal static class SimTime
{
    public const long SecondMs = 1_000;
    public const long MinuteMs = 60 * SecondMs;
    public const long HourMs = 60 * MinuteMs;
    public const long DayMs = 24 * HourMs;

    public static long FloorDiv(long value, long divisor)
    {
        long quotient = value / divisor;
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient;
    }

    public static long HourOf(long ms) => FloorDiv(ms, HourMs);

    /// <summary>sysUpTime-style TimeTicks (hundredths of a second) of an interval, wrapping like the counter does.</summary>
    public static uint Ticks(long fromMs, long toMs) => unchecked((uint)(ulong)((toMs - fromMs) / 10));
}
