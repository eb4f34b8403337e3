namespace Network.Radius.Dictionary;

/// <summary>
/// Attribute data types (RFC 8044 section 3). RFC 8044 calls UTF-8 text "text" and opaque octets "string"; the names
/// here follow what the values hold, as FreeRADIUS's dictionaries do ("string" for text, "octets" for bytes).
/// </summary>
public enum RadiusDataType
{
    /// <summary>RFC 8044 section 3.4 "text": UTF-8, 1 to 253 octets, no terminating NUL.</summary>
    Text,

    /// <summary>RFC 8044 section 3.5 "string": opaque octets.</summary>
    Octets,

    /// <summary>RFC 8044 section 3.1 "integer": 32-bit unsigned, network byte order.</summary>
    Integer,

    /// <summary>RFC 8044 section 3.2 "enum": an integer whose values have names.</summary>
    Enum,

    /// <summary>RFC 8044 section 3.3 "time": 32-bit unsigned seconds since 1970-01-01 00:00 UTC (FreeRADIUS "date").</summary>
    Time,

    /// <summary>RFC 8044 section 3.8 "ipv4addr": 4 octets.</summary>
    Ipv4Addr,

    /// <summary>RFC 8044 section 3.9 "ipv6addr": 16 octets.</summary>
    Ipv6Addr,

    /// <summary>RFC 8044 section 3.10 "ipv6prefix": reserved octet (0), prefix length (0-128), then the prefix's significant octets.</summary>
    Ipv6Prefix,

    /// <summary>RFC 8044 section 3.7 "ifid": an 8-octet IPv6 interface identifier (Framed-Interface-Id, RFC 3162 section 2.2).</summary>
    Ifid,

    /// <summary>RFC 8044 section 3.14 "vsa": the Vendor-Specific container (attribute 26).</summary>
    Vsa,
}
