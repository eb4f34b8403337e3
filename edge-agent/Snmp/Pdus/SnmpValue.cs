using System.Net;
using System.Text;

namespace Network.Snmp.Pdus;

/// <summary>
/// One value of a variable binding: any SMIv2 type (RFC 2578) or one of the exceptions of RFC 3416
/// (noSuchObject, noSuchInstance, endOfMibView). Immutable; equal when type and content are equal.
/// </summary>
public readonly struct SnmpValue : IEquatable<SnmpValue>
{
    private readonly ulong _number;
    private readonly object? _reference; // byte[] for octet types, Oid for OBJECT IDENTIFIER

    private SnmpValue(SnmpType type, ulong number, object? reference)
    {
        Type = type;
        _number = number;
        _reference = reference;
    }

    public SnmpType Type { get; }

    /// <summary>The number slot as stored: INTEGER sign-extended, the unsigned types as they are, 0 for the rest.</summary>
    internal ulong RawNumber => _number;

    public static SnmpValue Null { get; } = new(SnmpType.Null, 0, null);

    public static SnmpValue NoSuchObject { get; } = new(SnmpType.NoSuchObject, 0, null);

    public static SnmpValue NoSuchInstance { get; } = new(SnmpType.NoSuchInstance, 0, null);

    public static SnmpValue EndOfMibView { get; } = new(SnmpType.EndOfMibView, 0, null);

    /// <summary>True for noSuchObject, noSuchInstance and endOfMibView.</summary>
    public bool IsException => Type is SnmpType.NoSuchObject or SnmpType.NoSuchInstance or SnmpType.EndOfMibView;

    public static SnmpValue Integer(int value) => new(SnmpType.Integer, unchecked((ulong)value), null);

    public static SnmpValue OctetString(byte[] value) => new(SnmpType.OctetString, 0, value ?? throw new ArgumentNullException(nameof(value)));

    public static SnmpValue OctetString(string value) => OctetString(Encoding.UTF8.GetBytes(value));

    public static SnmpValue ObjectIdentifier(Oid value) => new(SnmpType.ObjectIdentifier, 0, value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>IpAddress: exactly four octets, IPv4 only (RFC 2578 section 7.1.5).</summary>
    public static SnmpValue IpAddress(IPAddress address)
    {
        byte[] bytes = address.GetAddressBytes();
        return bytes.Length == 4
            ? new(SnmpType.IpAddress, 0, bytes)
            : throw new ArgumentException("IpAddress holds an IPv4 address only", nameof(address));
    }

    /// <summary>IpAddress from its raw content; decoders keep what the agent sent, even when it is not four bytes.</summary>
    public static SnmpValue IpAddress(byte[] raw) => new(SnmpType.IpAddress, 0, raw);

    public static SnmpValue Counter32(uint value) => new(SnmpType.Counter32, value, null);

    public static SnmpValue Gauge32(uint value) => new(SnmpType.Gauge32, value, null);

    /// <summary>UInteger32 (RFC 1442, application 7): decoded like Gauge32, kept apart so it re-encodes the same.</summary>
    public static SnmpValue UInteger32(uint value) => new(SnmpType.UInteger32, value, null);

    public static SnmpValue TimeTicks(uint hundredths) => new(SnmpType.TimeTicks, hundredths, null);

    public static SnmpValue Opaque(byte[] value) => new(SnmpType.Opaque, 0, value ?? throw new ArgumentNullException(nameof(value)));

    public static SnmpValue NsapAddress(byte[] value) => new(SnmpType.NsapAddress, 0, value ?? throw new ArgumentNullException(nameof(value)));

    public static SnmpValue Counter64(ulong value) => new(SnmpType.Counter64, value, null);

    /// <summary>The value of INTEGER.</summary>
    public int AsInt32() => Type == SnmpType.Integer ? unchecked((int)_number) : throw WrongType("INTEGER");

    /// <summary>The value of Counter32, Gauge32, UInteger32 or TimeTicks.</summary>
    public uint AsUInt32() => Type is SnmpType.Counter32 or SnmpType.Gauge32 or SnmpType.UInteger32 or SnmpType.TimeTicks
        ? (uint)_number
        : throw WrongType("an unsigned 32-bit type");

    /// <summary>The value of Counter64 or of any unsigned 32-bit type, widened.</summary>
    public ulong AsUInt64() => Type == SnmpType.Counter64 ? _number : AsUInt32();

    /// <summary>The content of OCTET STRING, IpAddress, Opaque and NsapAddress.</summary>
    public ReadOnlyMemory<byte> AsBytes() => _reference is byte[] bytes ? bytes : throw WrongType("an octet type");

    public Oid AsOid() => _reference as Oid ?? throw WrongType("OBJECT IDENTIFIER");

    /// <summary>OCTET STRING as text (UTF-8, as DisplayString allows ASCII and most agents send UTF-8).</summary>
    public string AsString() => Encoding.UTF8.GetString(AsBytes().Span);

    public bool Equals(SnmpValue other)
    {
        if (Type != other.Type || _number != other._number)
        {
            return false;
        }

        return (_reference, other._reference) switch
        {
            (null, null) => true,
            (byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b),
            (Oid a, Oid b) => a.Equals(b),
            _ => false,
        };
    }

    public override bool Equals(object? obj) => obj is SnmpValue other && Equals(other);

    public override int GetHashCode() => _reference switch
    {
        byte[] bytes => HashCode.Combine(Type, bytes.Length, bytes.Length > 0 ? bytes[0] : 0),
        Oid oid => HashCode.Combine(Type, oid),
        _ => HashCode.Combine(Type, _number),
    };

    public override string ToString() => _reference switch
    {
        byte[] bytes => $"{Type}: {Convert.ToHexString(bytes)}",
        Oid oid => $"{Type}: {oid}",
        _ when Type is SnmpType.Integer => $"{Type}: {AsInt32()}",
        _ => $"{Type}: {_number}",
    };

    public static bool operator ==(SnmpValue left, SnmpValue right) => left.Equals(right);

    public static bool operator !=(SnmpValue left, SnmpValue right) => !left.Equals(right);

    private InvalidOperationException WrongType(string wanted) => new($"the value is {Type}, not {wanted}");
}

/// <summary>A variable binding: a name and its value (RFC 3416 section 3, VarBind).</summary>
public readonly record struct VarBind(Oid Oid, SnmpValue Value)
{
    /// <summary>A binding with a NULL value, as requests carry (RFC 3416 section 4.2).</summary>
    public static VarBind Request(Oid oid) => new(oid, SnmpValue.Null);
}
