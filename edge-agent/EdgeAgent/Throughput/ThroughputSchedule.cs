using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Network.EdgeAgent.Throughput;

/// <summary>
/// When a site's nightly test starts, so that 140 schools do not test at once: each site has its own slot in the window,
/// the first 8 bytes of SHA-256(site id) as a fraction of the window (the same every night, spread evenly over the
/// fleet, with nothing to configure), and each night's start is moved a random amount of up to
/// <c>jitter</c> either way (so two sites whose slots fall close do not meet every night), wrapping inside the window.
/// Local time in the window's time zone: on the night the clocks go forward, a start in the skipped hour moves an hour
/// later; in the repeated hour of the autumn night it is the first of the two.
/// </summary>
public sealed class ThroughputSchedule
{
    private readonly TimeSpan _start;
    private readonly TimeSpan _length;
    private readonly TimeZoneInfo _zone;
    private readonly double _slot;
    private readonly TimeSpan _jitter;
    private readonly Random _random;

    public ThroughputSchedule(TimeSpan windowStart, TimeSpan windowEnd, TimeZoneInfo zone, string siteId, TimeSpan jitter, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(zone);
        _start = windowStart;
        TimeSpan length = windowEnd - windowStart;
        _length = length <= TimeSpan.Zero ? length + TimeSpan.FromDays(1) : length;
        _zone = zone;
        _slot = SlotOf(siteId);
        _jitter = jitter;
        _random = random ?? Random.Shared;
    }

    /// <summary>The site's place in the window, 0 (its start) to 1 (its end): SHA-256 of the site id, its first 8 bytes over 2^64.</summary>
    public static double SlotOf(string siteId)
    {
        ArgumentNullException.ThrowIfNull(siteId);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(siteId), hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash) / 18446744073709551616.0;
    }

    /// <summary>The site's offset into the window before the night's jitter.</summary>
    public TimeSpan SlotOffset => _length * _slot;

    /// <summary>The next start after <paramref name="now"/>, with a new random jitter.</summary>
    public DateTimeOffset Next(DateTimeOffset now)
    {
        double shift = ((_random.NextDouble() * 2) - 1) * _jitter.Ticks;
        long offset = ((long)(SlotOffset.Ticks + shift) % _length.Ticks + _length.Ticks) % _length.Ticks;
        DateTime today = TimeZoneInfo.ConvertTime(now, _zone).Date;
        for (int day = -1; day <= 2; day++)
        {
            DateTimeOffset start = AtLocal(today.AddDays(day) + _start + TimeSpan.FromTicks(offset));
            if (start > now)
            {
                return start;
            }
        }

        throw new InvalidOperationException("no start within two days"); // cannot happen: the window repeats daily
    }

    private DateTimeOffset AtLocal(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (_zone.IsInvalidTime(local))
        {
            local = local.AddHours(1); // the hour the clocks skip
        }

        TimeSpan offset = _zone.IsAmbiguousTime(local) ? _zone.GetAmbiguousTimeOffsets(local).Max() : _zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }
}
