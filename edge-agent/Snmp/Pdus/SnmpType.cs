namespace Network.Snmp.Pdus;

/// <summary>
/// The BER tag of every SNMP value and PDU, with the names of RFC 2578 (SMIv2 application types),
/// RFC 3416 (exceptions and PDUs) and RFC 1157 (the v1 Trap-PDU).
/// </summary>
public enum SnmpType : byte
{
    // Universal, RFC 2578 section 7.1
    Integer = 0x02,
    OctetString = 0x04,
    Null = 0x05,
    ObjectIdentifier = 0x06,
    Sequence = 0x30,

    // APPLICATION, RFC 2578 section 7.1.5 onwards
    IpAddress = 0x40,
    Counter32 = 0x41,
    Gauge32 = 0x42,
    TimeTicks = 0x43,
    Opaque = 0x44,
    NsapAddress = 0x45,
    Counter64 = 0x46,
    UInteger32 = 0x47,

    // Context-specific, primitive: the exceptions of RFC 3416 section 3
    NoSuchObject = 0x80,
    NoSuchInstance = 0x81,
    EndOfMibView = 0x82,

    // Context-specific, constructed: the PDUs of RFC 3416 section 3 and RFC 1157 section 4.1
    GetRequestPdu = 0xA0,
    GetNextRequestPdu = 0xA1,
    ResponsePdu = 0xA2,
    SetRequestPdu = 0xA3,
    TrapV1Pdu = 0xA4,
    GetBulkRequestPdu = 0xA5,
    InformRequestPdu = 0xA6,
    SnmpV2TrapPdu = 0xA7,
    ReportPdu = 0xA8,
}

/// <summary>error-status of RFC 3416 section 3 (0-5 are also SNMPv1's, RFC 1157 section 4.1.1).</summary>
public enum ErrorStatus
{
    NoError = 0,
    TooBig = 1,
    NoSuchName = 2,
    BadValue = 3,
    ReadOnly = 4,
    GenErr = 5,
    NoAccess = 6,
    WrongType = 7,
    WrongLength = 8,
    WrongEncoding = 9,
    WrongValue = 10,
    NoCreation = 11,
    InconsistentValue = 12,
    ResourceUnavailable = 13,
    CommitFailed = 14,
    UndoFailed = 15,
    AuthorizationError = 16,
    NotWritable = 17,
    InconsistentName = 18,
}

/// <summary>msgVersion: 0 is SNMPv1 (RFC 1157), 1 is SNMPv2c (RFC 1901), 3 is SNMPv3 (RFC 3412).</summary>
public enum SnmpVersion
{
    V1 = 0,
    V2c = 1,
    V3 = 3,
}
