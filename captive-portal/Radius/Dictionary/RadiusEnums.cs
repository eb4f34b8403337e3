namespace Network.Radius.Dictionary;

/// <summary>Service-Type values (RFC 2865 section 5.6; Authorize-Only, RFC 5176 section 3.2).</summary>
public enum ServiceType : uint
{
    LoginUser = 1,
    FramedUser = 2,
    CallbackLoginUser = 3,
    CallbackFramedUser = 4,
    OutboundUser = 5,
    AdministrativeUser = 6,
    NasPromptUser = 7,
    AuthenticateOnly = 8,
    CallbackNasPrompt = 9,
    CallCheck = 10,
    CallbackAdministrative = 11,
    AuthorizeOnly = 17,
}

/// <summary>Acct-Status-Type values (RFC 2866 section 5.1).</summary>
public enum AcctStatusType : uint
{
    Start = 1,
    Stop = 2,
    InterimUpdate = 3,
    AccountingOn = 7,
    AccountingOff = 8,
    Failed = 15,
}

/// <summary>Acct-Terminate-Cause values (RFC 2866 section 5.10).</summary>
public enum AcctTerminateCause : uint
{
    UserRequest = 1,
    LostCarrier = 2,
    LostService = 3,
    IdleTimeout = 4,
    SessionTimeout = 5,
    AdminReset = 6,
    AdminReboot = 7,
    PortError = 8,
    NasError = 9,
    NasRequest = 10,
    NasReboot = 11,
    PortUnneeded = 12,
    PortPreempted = 13,
    PortSuspended = 14,
    ServiceUnavailable = 15,
    Callback = 16,
    UserError = 17,
    HostRequest = 18,
}

/// <summary>NAS-Port-Type values (RFC 2865 section 5.41).</summary>
public enum NasPortType : uint
{
    Async = 0,
    Sync = 1,
    Isdn = 2,
    IsdnV120 = 3,
    IsdnV110 = 4,
    Virtual = 5,
    Piafs = 6,
    HdlcClearChannel = 7,
    X25 = 8,
    X75 = 9,
    G3Fax = 10,
    Sdsl = 11,
    AdslCap = 12,
    AdslDmt = 13,
    Idsl = 14,
    Ethernet = 15,
    XDsl = 16,
    Cable = 17,
    WirelessOther = 18,
    Wireless80211 = 19,
}

/// <summary>Error-Cause values (RFC 5176 section 3.5), sent in Disconnect-NAK and CoA-NAK (and some ACKs).</summary>
public enum ErrorCause : uint
{
    ResidualSessionContextRemoved = 201,
    InvalidEapPacket = 202,
    UnsupportedAttribute = 401,
    MissingAttribute = 402,
    NasIdentificationMismatch = 403,
    InvalidRequest = 404,
    UnsupportedService = 405,
    UnsupportedExtension = 406,
    InvalidAttributeValue = 407,
    AdministrativelyProhibited = 501,
    RequestNotRoutable = 502,
    SessionContextNotFound = 503,
    SessionContextNotRemovable = 504,
    OtherProxyProcessingError = 505,
    ResourcesUnavailable = 506,
    RequestInitiated = 507,
    MultipleSessionSelectionUnsupported = 508,
}

/// <summary>The vendors (IANA private enterprise numbers) whose attributes the dictionary knows.</summary>
public static class RadiusVendors
{
    /// <summary>Wi-Fi Alliance WISPr.</summary>
    public const uint Wispr = 14122;

    /// <summary>ChilliSpot, and CoovaChilli after it.</summary>
    public const uint ChilliSpot = 14559;

    /// <summary>MikroTik RouterOS.</summary>
    public const uint Mikrotik = 14988;
}
