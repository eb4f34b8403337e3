using Network.Radius.Codec;
using Network.Radius.Packets;

namespace Network.Radius.Dictionary;

/// <summary>
/// Attribute definitions by number and by name. <see cref="Default"/> holds <see cref="RadiusAttributes.All"/>; a
/// dictionary of one's own takes any definitions (later ones win on a clash).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "A RADIUS dictionary, the protocol's own term for attribute definitions.")]
public sealed class RadiusDictionary
{
    private readonly Dictionary<uint, RadiusAttributeDefinition> _byKey = [];
    private readonly Dictionary<string, RadiusAttributeDefinition> _byName = new(StringComparer.OrdinalIgnoreCase);

    public RadiusDictionary(IEnumerable<RadiusAttributeDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        foreach (RadiusAttributeDefinition definition in definitions)
        {
            _byKey[Key(definition.VendorId, definition.Type)] = definition;
            _byName[definition.Name] = definition;
        }
    }

    public static RadiusDictionary Default { get; } = new(RadiusAttributes.All);

    /// <summary>A standard attribute by type.</summary>
    public bool TryGet(byte type, out RadiusAttributeDefinition definition) => _byKey.TryGetValue(Key(0, type), out definition!);

    /// <summary>A vendor attribute by vendor and vendor type.</summary>
    public bool TryGet(uint vendorId, byte vendorType, out RadiusAttributeDefinition definition) =>
        _byKey.TryGetValue(Key(vendorId, vendorType), out definition!);

    /// <summary>Any attribute by name, case-insensitive ("WISPr-Bandwidth-Max-Down").</summary>
    public bool TryGet(string name, out RadiusAttributeDefinition definition) => _byName.TryGetValue(name, out definition!);

    /// <summary>
    /// A readable line per attribute (<c>User-Name = "alice"</c>, vendor attributes unpacked, unknown ones as
    /// <c>Attr-N = 0x...</c>), for logs and test failures. User-Password and Message-Authenticator values are not shown.
    /// </summary>
    public string Format(RadiusPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var text = new System.Text.StringBuilder();
        text.Append(packet.Code).Append(" Id ").Append(packet.Identifier).AppendLine();
        foreach (RadiusAttribute attribute in packet.Attributes)
        {
            if (attribute.Type == VendorSpecific.AttributeType && VendorSpecific.TryDecode(attribute, out VendorAttribute[] vendorAttributes))
            {
                foreach (VendorAttribute v in vendorAttributes)
                {
                    string name = TryGet(v.VendorId, v.VendorType, out RadiusAttributeDefinition? d) ? d.Name : $"Vendor-{v.VendorId}-Attr-{v.VendorType}";
                    text.Append("  ").Append(name).Append(" = ").AppendLine(RadiusValues.Format(d, v.Value.Span));
                }
            }
            else if (TryGet(attribute.Type, out RadiusAttributeDefinition? d))
            {
                bool secret = attribute.Type is Crypto.UserPassword.AttributeType or Crypto.MessageAuthenticator.AttributeType;
                text.Append("  ").Append(d.Name).Append(" = ").AppendLine(secret ? "<hidden>" : RadiusValues.Format(d, attribute.Value.Span));
            }
            else
            {
                text.Append("  Attr-").Append(attribute.Type).Append(" = ").AppendLine(RadiusValues.Format(null, attribute.Value.Span));
            }
        }

        return text.ToString();
    }

    private static uint Key(uint vendorId, byte type) => (vendorId << 8) | type;
}
