namespace Network.Radius.Packets;

/// <summary>
/// A RADIUS packet (RFC 2865 section 3): Code, Identifier, the 16-octet Authenticator and the attributes in order.
/// </summary>
/// <remarks>
/// A decoded packet keeps its bytes (up to the Length field, padding dropped) in <see cref="Raw"/>: authenticators are
/// checked over those bytes, never over a re-encoding. A built packet has an empty <see cref="Raw"/>. Equality compares
/// Code, Identifier, Authenticator and the attributes in order, not <see cref="Raw"/>.
/// </remarks>
public sealed class RadiusPacket : IEquatable<RadiusPacket>
{
    /// <summary>RFC 2865 section 3: the Authenticator field is sixteen octets.</summary>
    public const int AuthenticatorLength = 16;

    /// <summary>RFC 2865 section 3: Code (1), Identifier (1), Length (2), Authenticator (16).</summary>
    public const int HeaderLength = 20;

    private ReadOnlyMemory<byte> _authenticator;

    /// <summary>A packet to build: an all-zero Authenticator and no attributes.</summary>
    public RadiusPacket(RadiusCode code, byte identifier)
    {
        Code = code;
        Identifier = identifier;
        _authenticator = new byte[AuthenticatorLength];
        Attributes = [];
    }

    /// <summary>A packet with the given Authenticator (copied) and attributes.</summary>
    public RadiusPacket(RadiusCode code, byte identifier, ReadOnlySpan<byte> authenticator, IEnumerable<RadiusAttribute> attributes)
    {
        Code = code;
        Identifier = identifier;
        Authenticator = authenticator.ToArray();
        Attributes = [.. attributes];
    }

    private RadiusPacket(RadiusCode code, byte identifier, List<RadiusAttribute> attributes, ReadOnlyMemory<byte> raw)
    {
        Code = code;
        Identifier = identifier;
        _authenticator = raw.Slice(4, AuthenticatorLength);
        Raw = raw;
        Attributes = attributes;
    }

    /// <summary>The decoder's constructor: the packet's bytes and attributes that are slices of them, no copy.</summary>
    internal static RadiusPacket FromDecoded(RadiusCode code, byte identifier, ReadOnlyMemory<byte> raw, List<RadiusAttribute> attributes) =>
        new(code, identifier, attributes, raw);

    public RadiusCode Code { get; set; }

    public byte Identifier { get; set; }

    /// <summary>The Request or Response Authenticator: always sixteen octets.</summary>
    public ReadOnlyMemory<byte> Authenticator
    {
        get => _authenticator;
        set => _authenticator = value.Length == AuthenticatorLength
            ? value
            : throw new ArgumentException($"the Authenticator is {AuthenticatorLength} octets, not {value.Length}", nameof(value));
    }

    /// <summary>The attributes in packet order; the order matters (RFC 2865 section 5) and is kept.</summary>
#pragma warning disable CA1002 // A list on purpose: replies are built by adding, inserting and removing attributes.
    public List<RadiusAttribute> Attributes { get; }
#pragma warning restore CA1002

    /// <summary>The decoded bytes, Code to the last octet counted by Length; empty for a built packet.</summary>
    public ReadOnlyMemory<byte> Raw { get; }

    /// <summary>The first attribute of <paramref name="type"/>, if any.</summary>
    public bool TryGetAttribute(byte type, out RadiusAttribute attribute)
    {
        foreach (RadiusAttribute a in Attributes)
        {
            if (a.Type == type)
            {
                attribute = a;
                return true;
            }
        }

        attribute = default;
        return false;
    }

    /// <summary>How many attributes of <paramref name="type"/> the packet has.</summary>
    public int CountAttributes(byte type)
    {
        int count = 0;
        foreach (RadiusAttribute a in Attributes)
        {
            if (a.Type == type)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Removes every attribute of <paramref name="type"/>; returns how many there were.</summary>
    public int RemoveAttributes(byte type)
    {
        int kept = 0;
        for (int i = 0; i < Attributes.Count; i++)
        {
            if (Attributes[i].Type != type)
            {
                Attributes[kept++] = Attributes[i];
            }
        }

        int removed = Attributes.Count - kept;
        Attributes.RemoveRange(kept, removed);
        return removed;
    }

    public bool Equals(RadiusPacket? other)
    {
        if (other is null)
        {
            return false;
        }

        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (Code != other.Code || Identifier != other.Identifier || !Authenticator.Span.SequenceEqual(other.Authenticator.Span)
            || Attributes.Count != other.Attributes.Count)
        {
            return false;
        }

        for (int i = 0; i < Attributes.Count; i++)
        {
            if (!Attributes[i].Equals(other.Attributes[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as RadiusPacket);

    public override int GetHashCode() => HashCode.Combine(Code, Identifier, Attributes.Count);

    public override string ToString() =>
        $"{Code} id={Identifier} auth={Convert.ToHexString(Authenticator.Span)} [{string.Join(", ", Attributes)}]";
}
