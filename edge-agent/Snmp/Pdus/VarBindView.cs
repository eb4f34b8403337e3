using Network.Snmp.Ber;

namespace Network.Snmp.Pdus;

/// <summary>
/// A variable binding read in place from a received message: the name's arcs in a buffer the reader owns and the
/// value's content octets in the message. Nothing is allocated; a view is valid until the next binding is read.
/// <see cref="ToVarBind"/> makes the <see cref="VarBind"/> the decoder would have made.
/// </summary>
public readonly ref struct VarBindView
{
    internal VarBindView(ReadOnlySpan<uint> oid, SnmpValueView value)
    {
        Oid = oid;
        Value = value;
    }

    /// <summary>The name's sub-identifiers.</summary>
    public ReadOnlySpan<uint> Oid { get; }

    public SnmpValueView Value { get; }

    /// <summary>The binding as objects (an <see cref="Pdus.Oid"/> and an <see cref="SnmpValue"/>), for keeping.</summary>
    public VarBind ToVarBind() => new(new Oid(Oid), Value.ToSnmpValue());
}

/// <summary>
/// A value read in place (<see cref="BerReader.ReadValueView"/>): checked as the decoder checks it, numbers decoded,
/// octet and OBJECT IDENTIFIER contents left in the message.
/// </summary>
public readonly ref struct SnmpValueView
{
    private readonly ulong _number;

    internal SnmpValueView(SnmpType type, ulong number, ReadOnlySpan<byte> content)
    {
        Type = type;
        _number = number;
        Content = content;
    }

    public SnmpType Type { get; }

    /// <summary>The content octets as sent (for OBJECT IDENTIFIER, its BER sub-identifiers).</summary>
    public ReadOnlySpan<byte> Content { get; }

    /// <summary>True for noSuchObject, noSuchInstance and endOfMibView.</summary>
    public bool IsException => Type is SnmpType.NoSuchObject or SnmpType.NoSuchInstance or SnmpType.EndOfMibView;

    /// <summary>The value of INTEGER.</summary>
    public int AsInt32() => Type == SnmpType.Integer ? unchecked((int)_number) : throw WrongType("INTEGER");

    /// <summary>The value of Counter32, Gauge32, UInteger32 or TimeTicks.</summary>
    public uint AsUInt32() => Type is SnmpType.Counter32 or SnmpType.Gauge32 or SnmpType.UInteger32 or SnmpType.TimeTicks
        ? (uint)_number
        : throw WrongType("an unsigned 32-bit type");

    /// <summary>The value of Counter64 or of any unsigned 32-bit type, widened.</summary>
    public ulong AsUInt64() => Type == SnmpType.Counter64 ? _number : AsUInt32();

    /// <summary>The content of OCTET STRING, IpAddress, Opaque and NsapAddress.</summary>
    public ReadOnlySpan<byte> AsBytes() => Type is SnmpType.OctetString or SnmpType.IpAddress or SnmpType.Opaque or SnmpType.NsapAddress
        ? Content
        : throw WrongType("an octet type");

    /// <summary>An OBJECT IDENTIFIER value's arcs, written into <paramref name="arcs"/> (room for <see cref="Oid.MaxLength"/>).</summary>
    public int ReadOid(scoped Span<uint> arcs) => Type == SnmpType.ObjectIdentifier
        ? BerReader.DecodeOid(Content, 0, arcs)
        : throw WrongType("OBJECT IDENTIFIER");

    /// <summary>The value as <see cref="SnmpValue"/>: what <see cref="BerReader.ReadValue"/> returns for the same bytes.</summary>
    public SnmpValue ToSnmpValue() => Type switch
    {
        SnmpType.Integer => SnmpValue.Integer(AsInt32()),
        SnmpType.OctetString => SnmpValue.OctetString(Content.ToArray()),
        SnmpType.Null => SnmpValue.Null,
        SnmpType.NoSuchObject => SnmpValue.NoSuchObject,
        SnmpType.NoSuchInstance => SnmpValue.NoSuchInstance,
        SnmpType.EndOfMibView => SnmpValue.EndOfMibView,
        SnmpType.ObjectIdentifier => SnmpValue.ObjectIdentifier(BerReader.DecodeOid(Content, 0)),
        SnmpType.IpAddress => SnmpValue.IpAddress(Content.ToArray()),
        SnmpType.Counter32 => SnmpValue.Counter32((uint)_number),
        SnmpType.Gauge32 => SnmpValue.Gauge32((uint)_number),
        SnmpType.TimeTicks => SnmpValue.TimeTicks((uint)_number),
        SnmpType.UInteger32 => SnmpValue.UInteger32((uint)_number),
        SnmpType.Opaque => SnmpValue.Opaque(Content.ToArray()),
        SnmpType.NsapAddress => SnmpValue.NsapAddress(Content.ToArray()),
        SnmpType.Counter64 => SnmpValue.Counter64(_number),
        _ => throw new InvalidOperationException($"{Type} is not a value type"),
    };

    private InvalidOperationException WrongType(string wanted) => new($"the value is {Type}, not {wanted}");
}

/// <summary>
/// Reads the bindings of a VarBindList's content one at a time, in place (RFC 3416 section 3):
/// <code>
/// VarBindList ::= SEQUENCE (SIZE (0..max-bindings)) OF VarBind
/// VarBind ::= SEQUENCE { name ObjectName, CHOICE { value ObjectSyntax, ... } }
/// </code>
/// The checks are the decoder's (<see cref="SnmpMessageCodec"/>): a malformed binding throws <see cref="SnmpDecodeException"/>.
/// </summary>
public ref struct VarBindReader
{
    private readonly Span<uint> _arcs;
    private BerReader _list;

    /// <param name="list">The content of the VarBindList SEQUENCE (after its tag and length).</param>
    /// <param name="arcs">Where each name's arcs are written: room for <see cref="Oid.MaxLength"/>, reused for every binding.</param>
    /// <param name="maxDepth">The nesting bound of the decoder (<see cref="SnmpDecodeLimits.MaxDepth"/>).</param>
    public VarBindReader(ReadOnlySpan<byte> list, Span<uint> arcs, int maxDepth = SnmpDecodeLimits.DefaultMaxDepth)
    {
        if (arcs.Length < Oid.MaxLength)
        {
            throw new ArgumentException($"room for {Oid.MaxLength} sub-identifiers is needed", nameof(arcs));
        }

        _arcs = arcs;
        _list = new BerReader(list, maxDepth);
    }

    /// <summary>The next binding, or false at the end of the list; the view before it is no longer valid.</summary>
    public bool TryRead(out VarBindView binding)
    {
        if (!_list.HasData)
        {
            binding = default;
            return false;
        }

        BerReader varBind = _list.ReadSequence();
        int length = varBind.ReadOid(_arcs);
        SnmpValueView value = varBind.ReadValueView();
        varBind.ThrowIfNotEnd("a variable binding's value");
        binding = new VarBindView(_arcs[..length], value);
        return true;
    }
}
