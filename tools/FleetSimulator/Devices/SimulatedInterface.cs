namespace Network.FleetSimulator;

/// <summary>
/// One interface of a simulated device: its fixed ifTable/ifXTable attributes, its link flaps and its
/// two octet counters. Every reading is a pure function of the boot time and the instant.
/// </summary>
internal sealed class SimulatedInterface
{
    public required uint Index { get; init; }

    public required string Descr { get; init; }

    public required string Name { get; init; }

    public required string Alias { get; init; }

    public required int IfType { get; init; }

    public int Mtu { get; init; } = 1500;

    /// <summary>ifHighSpeed, in Mb/s; ifSpeed is this in b/s, capped at 2^32-1 (RFC 2863 section 6).</summary>
    public required uint HighSpeedMbps { get; init; }

    public required byte[] PhysAddress { get; init; }

    public required FlapSchedule Flaps { get; init; }

    public required TrafficCounter In { get; init; }

    public required TrafficCounter Out { get; init; }

    /// <summary>One ifInErrors per this many octets received (radio links lose far more than fibre).</summary>
    public required ulong OctetsPerInError { get; init; }

    /// <summary>One ifOutDiscards per this many octets sent.</summary>
    public required ulong OctetsPerOutDiscard { get; init; }

    public uint SpeedBitsPerSecond => (uint)Math.Min(HighSpeedMbps * 1_000_000UL, uint.MaxValue);

    /// <summary>Cut by hand (the simulator's <c>down</c> command): operationally down until <c>up</c>, whatever the flap schedule says.</summary>
    public bool Cut
    {
        get => Volatile.Read(ref _cut);
        set => Volatile.Write(ref _cut, value);
    }

    private bool _cut;

    public bool IsUp(long nowMs) => !Cut && !Flaps.IsDown(nowMs);

    public ulong InOctets(long bootMs, long nowMs) => In.OctetsSinceBoot(bootMs, nowMs);

    public ulong OutOctets(long bootMs, long nowMs) => Out.OctetsSinceBoot(bootMs, nowMs);

    public uint InErrors(long bootMs, long nowMs) => (uint)(InOctets(bootMs, nowMs) / OctetsPerInError);

    public uint OutErrors(long bootMs, long nowMs) => (uint)(OutOctets(bootMs, nowMs) / (OctetsPerInError * 16));

    public uint InDiscards(long bootMs, long nowMs) => (uint)(InOctets(bootMs, nowMs) / (OctetsPerOutDiscard * 4));

    public uint OutDiscards(long bootMs, long nowMs) => (uint)(OutOctets(bootMs, nowMs) / OctetsPerOutDiscard);
}
