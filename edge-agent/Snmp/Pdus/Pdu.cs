namespace Network.Snmp.Pdus;

/// <summary>What a message carries: a <see cref="Pdu"/> (RFC 3416) or, in SNMPv1, a <see cref="TrapV1Pdu"/> (RFC 1157).</summary>
public abstract class SnmpPdu
{
    private readonly ReadOnlyMemory<byte> _encodedVarBinds;
    private IReadOnlyList<VarBind>? _varBinds;

    private protected SnmpPdu(SnmpType type, IReadOnlyList<VarBind> varBinds)
    {
        Type = type;
        _varBinds = varBinds ?? throw new ArgumentNullException(nameof(varBinds));
        VarBindCount = varBinds.Count;
    }

    /// <summary>A PDU as received: its bindings, already checked, stay encoded until they are read.</summary>
    private protected SnmpPdu(SnmpType type, ReadOnlyMemory<byte> encodedVarBinds, int count)
    {
        Type = type;
        _encodedVarBinds = encodedVarBinds;
        VarBindCount = count;
    }

    /// <summary>The PDU tag, one of the context-specific constructed <see cref="SnmpType"/> values 0xA0 to 0xA8.</summary>
    public SnmpType Type { get; }

    /// <summary>The bindings; a received PDU decodes them on first use (<see cref="ReadVarBinds"/> reads them in place).</summary>
    public IReadOnlyList<VarBind> VarBinds => _varBinds ??= DecodeVarBinds();

    /// <summary>How many bindings the PDU carries.</summary>
    public int VarBindCount { get; }

    /// <summary>
    /// The bindings read in place, with no allocation: the names' arcs go into <paramref name="arcs"/> (room for
    /// <see cref="Oid.MaxLength"/>). A PDU made from objects rather than received is encoded first.
    /// </summary>
    public VarBindReader ReadVarBinds(Span<uint> arcs) => new(EncodedVarBinds().Span, arcs);

    private ReadOnlyMemory<byte> EncodedVarBinds() =>
        _encodedVarBinds.IsEmpty && _varBinds is { Count: > 0 } ? SnmpMessageCodec.EncodeVarBindListContent(_varBinds) : _encodedVarBinds;

    private VarBind[] DecodeVarBinds()
    {
        var varBinds = new VarBind[VarBindCount];
        VarBindReader reader = ReadVarBinds(stackalloc uint[Oid.MaxLength]);
        for (int i = 0; i < varBinds.Length && reader.TryRead(out VarBindView binding); i++)
        {
            varBinds[i] = binding.ToVarBind();
        }

        return varBinds;
    }

    private protected static bool VarBindsEqual(IReadOnlyList<VarBind> a, IReadOnlyList<VarBind> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (int i = 0; i < a.Count; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// Every PDU of RFC 3416 section 3 but the v1 trap: Get, GetNext, GetBulk, Set, Response, SNMPv2-Trap,
/// InformRequest and Report. A GetBulk carries non-repeaters and max-repetitions in the wire slots of
/// error-status and error-index; <see cref="NonRepeaters"/> and <see cref="MaxRepetitions"/> name them.
/// </summary>
/// <remarks>
/// The decoder keeps whatever numbers the agent sent (an error-status of 99 stays 99); range checks are policy.
/// Equality compares every field and the bindings in order.
/// </remarks>
public sealed class Pdu : SnmpPdu, IEquatable<Pdu>
{
    public Pdu(SnmpType type, int requestId, ErrorStatus errorStatus, int errorIndex, IReadOnlyList<VarBind> varBinds)
        : base(type, varBinds)
    {
        CheckType(type);
        RequestId = requestId;
        ErrorStatus = errorStatus;
        ErrorIndex = errorIndex;
    }

    /// <summary>A received PDU whose bindings, checked by the decoder, are decoded when first read.</summary>
    internal Pdu(SnmpType type, int requestId, ErrorStatus errorStatus, int errorIndex, ReadOnlyMemory<byte> encodedVarBinds, int count)
        : base(type, encodedVarBinds, count)
    {
        CheckType(type);
        RequestId = requestId;
        ErrorStatus = errorStatus;
        ErrorIndex = errorIndex;
    }

    public int RequestId { get; }

    /// <summary>error-status; on a GetBulk the same slot holds non-repeaters.</summary>
    public ErrorStatus ErrorStatus { get; }

    /// <summary>error-index; on a GetBulk the same slot holds max-repetitions.</summary>
    public int ErrorIndex { get; }

    /// <summary>GetBulk only (RFC 3416 section 4.2.3): the raw value of the error-status slot.</summary>
    public int NonRepeaters => (int)ErrorStatus;

    /// <summary>GetBulk only (RFC 3416 section 4.2.3): the raw value of the error-index slot.</summary>
    public int MaxRepetitions => ErrorIndex;

    public static Pdu GetRequest(int requestId, IReadOnlyList<VarBind> varBinds) =>
        new(SnmpType.GetRequestPdu, requestId, ErrorStatus.NoError, 0, varBinds);

    public static Pdu GetBulkRequest(int requestId, int nonRepeaters, int maxRepetitions, IReadOnlyList<VarBind> varBinds) =>
        new(SnmpType.GetBulkRequestPdu, requestId, (ErrorStatus)nonRepeaters, maxRepetitions, varBinds);

    public static Pdu Response(int requestId, ErrorStatus errorStatus, int errorIndex, IReadOnlyList<VarBind> varBinds) =>
        new(SnmpType.ResponsePdu, requestId, errorStatus, errorIndex, varBinds);

    private static void CheckType(SnmpType type)
    {
        if (type is < SnmpType.GetRequestPdu or > SnmpType.ReportPdu or SnmpType.TrapV1Pdu)
        {
            throw new ArgumentException($"{type} is not an RFC 3416 PDU type", nameof(type));
        }
    }

    public bool Equals(Pdu? other) =>
        other is not null
        && Type == other.Type
        && RequestId == other.RequestId
        && ErrorStatus == other.ErrorStatus
        && ErrorIndex == other.ErrorIndex
        && VarBindsEqual(VarBinds, other.VarBinds);

    public override bool Equals(object? obj) => Equals(obj as Pdu);

    public override int GetHashCode() => HashCode.Combine(Type, RequestId, ErrorStatus, ErrorIndex, VarBindCount);

    public override string ToString() => $"{Type} request-id {RequestId}, {ErrorStatus}/{ErrorIndex}, {VarBindCount} bindings";
}

/// <summary>generic-trap of RFC 1157 section 4.1.6.</summary>
public enum GenericTrap
{
    ColdStart = 0,
    WarmStart = 1,
    LinkDown = 2,
    LinkUp = 3,
    AuthenticationFailure = 4,
    EgpNeighborLoss = 5,
    EnterpriseSpecific = 6,
}

/// <summary>
/// The SNMPv1 Trap-PDU (RFC 1157 section 4.1.6). <see cref="AgentAddress"/> keeps the IpAddress octets as sent.
/// </summary>
public sealed class TrapV1Pdu : SnmpPdu, IEquatable<TrapV1Pdu>
{
    public TrapV1Pdu(Oid enterprise, ReadOnlyMemory<byte> agentAddress, GenericTrap genericTrap, int specificTrap, uint timeStamp, IReadOnlyList<VarBind> varBinds)
        : base(SnmpType.TrapV1Pdu, varBinds)
    {
        Enterprise = enterprise ?? throw new ArgumentNullException(nameof(enterprise));
        AgentAddress = agentAddress;
        GenericTrap = genericTrap;
        SpecificTrap = specificTrap;
        TimeStamp = timeStamp;
    }

    public Oid Enterprise { get; }

    /// <summary>agent-addr, NetworkAddress ::= CHOICE { internet IpAddress }: four octets from a correct agent.</summary>
    public ReadOnlyMemory<byte> AgentAddress { get; }

    public GenericTrap GenericTrap { get; }

    public int SpecificTrap { get; }

    /// <summary>time-stamp, TimeTicks: hundredths of a second since the agent (re)started.</summary>
    public uint TimeStamp { get; }

    public bool Equals(TrapV1Pdu? other) =>
        other is not null
        && Enterprise.Equals(other.Enterprise)
        && AgentAddress.Span.SequenceEqual(other.AgentAddress.Span)
        && GenericTrap == other.GenericTrap
        && SpecificTrap == other.SpecificTrap
        && TimeStamp == other.TimeStamp
        && VarBindsEqual(VarBinds, other.VarBinds);

    public override bool Equals(object? obj) => Equals(obj as TrapV1Pdu);

    public override int GetHashCode() => HashCode.Combine(Enterprise, GenericTrap, SpecificTrap, TimeStamp, VarBindCount);

    public override string ToString() => $"Trap {Enterprise} {GenericTrap}/{SpecificTrap} at {TimeStamp}, {VarBindCount} bindings";
}
