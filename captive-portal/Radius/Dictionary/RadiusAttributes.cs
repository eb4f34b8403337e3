namespace Network.Radius.Dictionary;

// Names, numbers and types from RFCs 2865, 2866, 2869, 3162, 5176 and 8044 and from the vendors'
// documentation; tests/Radius.Tests/Dictionary checks every one against FreeRADIUS 3.2's installed dictionaries.

/// <summary>The attributes the platform knows, standard and vendor-specific, as definitions for the typed accessors.</summary>
public static class RadiusAttributes
{
    private static readonly RadiusNamedValue[] s_serviceType = [new("Login-User", 1), new("Framed-User", 2), new("Callback-Login-User", 3), new("Callback-Framed-User", 4), new("Outbound-User", 5), new("Administrative-User", 6), new("NAS-Prompt-User", 7), new("Authenticate-Only", 8), new("Callback-NAS-Prompt", 9), new("Call-Check", 10), new("Callback-Administrative", 11), new("Authorize-Only", 17)];
    private static readonly RadiusNamedValue[] s_framedProtocol = [new("PPP", 1), new("SLIP", 2), new("ARAP", 3), new("Gandalf-SLML", 4), new("Xylogics-IPX-SLIP", 5), new("X.75-Synchronous", 6)];
    private static readonly RadiusNamedValue[] s_framedRouting = [new("None", 0), new("Broadcast", 1), new("Listen", 2), new("Broadcast-Listen", 3)];
    private static readonly RadiusNamedValue[] s_framedCompression = [new("None", 0), new("Van-Jacobson-TCP-IP", 1), new("IPX-Header-Compression", 2), new("Stac-LZS", 3)];
    private static readonly RadiusNamedValue[] s_loginService = [new("Telnet", 0), new("Rlogin", 1), new("TCP-Clear", 2), new("PortMaster", 3), new("LAT", 4), new("X25-PAD", 5), new("X25-T3POS", 6), new("TCP-Clear-Quiet", 8)];
    private static readonly RadiusNamedValue[] s_terminationAction = [new("Default", 0), new("RADIUS-Request", 1)];
    private static readonly RadiusNamedValue[] s_acctStatusType = [new("Start", 1), new("Stop", 2), new("Interim-Update", 3), new("Accounting-On", 7), new("Accounting-Off", 8), new("Failed", 15)];
    private static readonly RadiusNamedValue[] s_acctAuthentic = [new("RADIUS", 1), new("Local", 2), new("Remote", 3), new("Diameter", 4)];
    private static readonly RadiusNamedValue[] s_acctTerminateCause = [new("User-Request", 1), new("Lost-Carrier", 2), new("Lost-Service", 3), new("Idle-Timeout", 4), new("Session-Timeout", 5), new("Admin-Reset", 6), new("Admin-Reboot", 7), new("Port-Error", 8), new("NAS-Error", 9), new("NAS-Request", 10), new("NAS-Reboot", 11), new("Port-Unneeded", 12), new("Port-Preempted", 13), new("Port-Suspended", 14), new("Service-Unavailable", 15), new("Callback", 16), new("User-Error", 17), new("Host-Request", 18)];
    private static readonly RadiusNamedValue[] s_nasPortType = [new("Async", 0), new("Sync", 1), new("ISDN", 2), new("ISDN-V120", 3), new("ISDN-V110", 4), new("Virtual", 5), new("PIAFS", 6), new("HDLC-Clear-Channel", 7), new("X.25", 8), new("X.75", 9), new("G.3-Fax", 10), new("SDSL", 11), new("ADSL-CAP", 12), new("ADSL-DMT", 13), new("IDSL", 14), new("Ethernet", 15), new("xDSL", 16), new("Cable", 17), new("Wireless-Other", 18), new("Wireless-802.11", 19)];
    private static readonly RadiusNamedValue[] s_prompt = [new("No-Echo", 0), new("Echo", 1)];
    private static readonly RadiusNamedValue[] s_errorCause = [new("Residual-Context-Removed", 201), new("Invalid-EAP-Packet", 202), new("Unsupported-Attribute", 401), new("Missing-Attribute", 402), new("NAS-Identification-Mismatch", 403), new("Invalid-Request", 404), new("Unsupported-Service", 405), new("Unsupported-Extension", 406), new("Invalid-Attribute-Value", 407), new("Administratively-Prohibited", 501), new("Proxy-Request-Not-Routable", 502), new("Session-Context-Not-Found", 503), new("Session-Context-Not-Removable", 504), new("Proxy-Processing-Error", 505), new("Resources-Unavailable", 506), new("Request-Initiated", 507), new("Multiple-Session-Selection-Unsupported", 508)];
    private static readonly RadiusNamedValue[] s_chilliSpotAcctViewPoint = [new("NAS-View-Point", 1), new("Client-View-Point", 2)];

    // RFC 2865 (1-63), RFC 2866 (40-51), RFC 2869 (52-55, 70-88), RFC 3162 (95-100), RFC 5176 (101)
    public static readonly RadiusAttributeDefinition UserName = new("User-Name", 1, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition UserPassword = new("User-Password", 2, RadiusDataType.Octets);
    public static readonly RadiusAttributeDefinition ChapPassword = new("CHAP-Password", 3, RadiusDataType.Octets);
    public static readonly RadiusAttributeDefinition NasIpAddress = new("NAS-IP-Address", 4, RadiusDataType.Ipv4Addr);
    public static readonly RadiusAttributeDefinition NasPort = new("NAS-Port", 5, RadiusDataType.Integer);
    public static readonly RadiusAttributeDefinition ServiceType = new("Service-Type", 6, RadiusDataType.Enum, values: s_serviceType);
    public static readonly RadiusAttributeDefinition FramedProtocol = new("Framed-Protocol", 7, RadiusDataType.Enum, values: s_framedProtocol);
    public static readonly RadiusAttributeDefinition FramedIpAddress = new("Framed-IP-Address", 8, RadiusDataType.Ipv4Addr);
    public static readonly RadiusAttributeDefinition FramedIpNetmask = new("Framed-IP-Netmask", 9, RadiusDataType.Ipv4Addr);
    public static readonly RadiusAttributeDefinition FramedRouting = new("Framed-Routing", 10, RadiusDataType.Enum, values: s_framedRouting);
    public static readonly RadiusAttributeDefinition FilterId = new("Filter-Id", 11, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition FramedMtu = new("Framed-MTU", 12, RadiusDataType.Integer);
    public static readonly RadiusAttributeDefinition FramedCompression = new("Framed-Compression", 13, RadiusDataType.Enum, values: s_framedCompression);
    public static readonly RadiusAttributeDefinition LoginIpHost = new("Login-IP-Host", 14, RadiusDataType.Ipv4Addr);
    public static readonly RadiusAttributeDefinition LoginService = new("Login-Service", 15, RadiusDataType.Enum, values: s_loginService);
    public static readonly RadiusAttributeDefinition LoginTcpPort = new("Login-TCP-Port", 16, RadiusDataType.Integer);
    public static readonly RadiusAttributeDefinition ReplyMessage = new("Reply-Message", 18, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition CallbackNumber = new("Callback-Number", 19, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition CallbackId = new("Callback-Id", 20, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition FramedRoute = new("Framed-Route", 22, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition FramedIpxNetwork = new("Framed-IPX-Network", 23, RadiusDataType.Ipv4Addr);
    public static readonly RadiusAttributeDefinition State = new("State", 24, RadiusDataType.Octets);
    public static readonly RadiusAttributeDefinition Class = new("Class", 25, RadiusDataType.Octets);
    public static readonly RadiusAttributeDefinition VendorSpecific = new("Vendor-Specific", 26, RadiusDataType.Vsa);
    public static readonly RadiusAttributeDefinition SessionTimeout = new("Session-Timeout", 27, RadiusDataType.Integer);
    public static readonly RadiusAttributeDefinition IdleTimeout = new("Idle-Timeout", 28, RadiusDataType.Integer);
    public static readonly RadiusAttributeDefinition TerminationAction = new("Termination-Action", 29, RadiusDataType.Enum, values: s_terminationAction);
    public static readonly RadiusAttributeDefinition CalledStationId = new("Called-Station-Id", 30, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition CallingStationId = new("Calling-Station-Id", 31, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition NasIdentifier = new("NAS-Identifier", 32, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition ProxyState = new("Proxy-State", 33, RadiusDataType.Octets);
    public static readonly RadiusAttributeDefinition LoginLatService = new("Login-LAT-Service", 34, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition LoginLatNode = new("Login-LAT-Node", 35, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition LoginLatGroup = new("Login-LAT-Group", 36, RadiusDataType.Octets);
    public static readonly RadiusAttributeDefinition FramedAppleTalkLink = new("Framed-AppleTalk-Link", 37, RadiusDataType.Integer);
    public static readonly RadiusAttributeDefinition FramedAppleTalkNetwork = new("Framed-AppleTalk-Network", 38, RadiusDataType.Integer);
    public static readonly RadiusAttributeDefinition FramedAppleTalkZone = new("Framed-AppleTalk-Zone", 39, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition AcctStatusType = new("Acct-Status-Type", 40, RadiusDataType.Enum, values: s_acctStatusType);
    public static readonly RadiusAttributeDefinition AcctDelayTime = new("Acct-Delay-Time", 41, RadiusDataType.Integer);
    public static readonly RadiusAttributeDefinition AcctInputOctets = new("Acct-Input-Octets", 42, RadiusDataType.Integer);
    public static readonly RadiusAttributeDefinition AcctOutputOctets = new("Acct-Output-Octets", 43, RadiusDataType.Integer);
    public static readonly RadiusAttributeDefinition AcctSessionId = new("Acct-Session-Id", 44, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition AcctAuthentic = new("Acct-Authentic", 45, RadiusDataType.Enum, values: s_acctAuthentic);
    public static readonly RadiusAttributeDefinition AcctSessionTime = new("Acct-Session-Time", 46, RadiusDataType.Integer);
    public static readonly RadiusAttributeDefinition AcctInputPackets = new("Acct-Input-Packets", 47, RadiusDataType.Integer);
    public static readonly RadiusAttributeDefinition AcctOutputPackets = new("Acct-Output-Packets", 48, RadiusDataType.Integer);
    public static readonly RadiusAttributeDefinition AcctTerminateCause = new("Acct-Terminate-Cause", 49, RadiusDataType.Enum, values: s_acctTerminateCause);
    public static readonly RadiusAttributeDefinition AcctMultiSessionId = new("Acct-Multi-Session-Id", 50, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition AcctLinkCount = new("Acct-Link-Count", 51, RadiusDataType.Integer);
    public static readonly RadiusAttributeDefinition AcctInputGigawords = new("Acct-Input-Gigawords", 52, RadiusDataType.Integer);
    public static readonly RadiusAttributeDefinition AcctOutputGigawords = new("Acct-Output-Gigawords", 53, RadiusDataType.Integer);
    public static readonly RadiusAttributeDefinition EventTimestamp = new("Event-Timestamp", 55, RadiusDataType.Time);
    public static readonly RadiusAttributeDefinition ChapChallenge = new("CHAP-Challenge", 60, RadiusDataType.Octets);
    public static readonly RadiusAttributeDefinition NasPortType = new("NAS-Port-Type", 61, RadiusDataType.Enum, values: s_nasPortType);
    public static readonly RadiusAttributeDefinition PortLimit = new("Port-Limit", 62, RadiusDataType.Integer);
    public static readonly RadiusAttributeDefinition LoginLatPort = new("Login-LAT-Port", 63, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition ArapPassword = new("ARAP-Password", 70, RadiusDataType.Octets);
    public static readonly RadiusAttributeDefinition ArapFeatures = new("ARAP-Features", 71, RadiusDataType.Octets);
    public static readonly RadiusAttributeDefinition ArapZoneAccess = new("ARAP-Zone-Access", 72, RadiusDataType.Integer);
    public static readonly RadiusAttributeDefinition ArapSecurity = new("ARAP-Security", 73, RadiusDataType.Integer);
    public static readonly RadiusAttributeDefinition ArapSecurityData = new("ARAP-Security-Data", 74, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition PasswordRetry = new("Password-Retry", 75, RadiusDataType.Integer);
    public static readonly RadiusAttributeDefinition Prompt = new("Prompt", 76, RadiusDataType.Enum, values: s_prompt);
    public static readonly RadiusAttributeDefinition ConnectInfo = new("Connect-Info", 77, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition ConfigurationToken = new("Configuration-Token", 78, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition EapMessage = new("EAP-Message", 79, RadiusDataType.Octets, concat: true);
    public static readonly RadiusAttributeDefinition MessageAuthenticator = new("Message-Authenticator", 80, RadiusDataType.Octets);
    public static readonly RadiusAttributeDefinition ArapChallengeResponse = new("ARAP-Challenge-Response", 84, RadiusDataType.Octets);
    public static readonly RadiusAttributeDefinition AcctInterimInterval = new("Acct-Interim-Interval", 85, RadiusDataType.Integer);
    public static readonly RadiusAttributeDefinition NasPortId = new("NAS-Port-Id", 87, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition FramedPool = new("Framed-Pool", 88, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition NasIpv6Address = new("NAS-IPv6-Address", 95, RadiusDataType.Ipv6Addr);
    public static readonly RadiusAttributeDefinition FramedInterfaceId = new("Framed-Interface-Id", 96, RadiusDataType.Ifid);
    public static readonly RadiusAttributeDefinition FramedIpv6Prefix = new("Framed-IPv6-Prefix", 97, RadiusDataType.Ipv6Prefix);
    public static readonly RadiusAttributeDefinition LoginIpv6Host = new("Login-IPv6-Host", 98, RadiusDataType.Ipv6Addr);
    public static readonly RadiusAttributeDefinition FramedIpv6Route = new("Framed-IPv6-Route", 99, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition FramedIpv6Pool = new("Framed-IPv6-Pool", 100, RadiusDataType.Text);
    public static readonly RadiusAttributeDefinition ErrorCause = new("Error-Cause", 101, RadiusDataType.Enum, values: s_errorCause);

    // WISPr (vendor 14122), Wi-Fi Alliance WISPr 1.0 appendix D
    public static readonly RadiusAttributeDefinition WisprLocationId = new("WISPr-Location-ID", 1, RadiusDataType.Text, vendorId: RadiusVendors.Wispr);
    public static readonly RadiusAttributeDefinition WisprLocationName = new("WISPr-Location-Name", 2, RadiusDataType.Text, vendorId: RadiusVendors.Wispr);
    public static readonly RadiusAttributeDefinition WisprLogoffUrl = new("WISPr-Logoff-URL", 3, RadiusDataType.Text, vendorId: RadiusVendors.Wispr);
    public static readonly RadiusAttributeDefinition WisprRedirectionUrl = new("WISPr-Redirection-URL", 4, RadiusDataType.Text, vendorId: RadiusVendors.Wispr);
    public static readonly RadiusAttributeDefinition WisprBandwidthMinUp = new("WISPr-Bandwidth-Min-Up", 5, RadiusDataType.Integer, vendorId: RadiusVendors.Wispr);
    public static readonly RadiusAttributeDefinition WisprBandwidthMinDown = new("WISPr-Bandwidth-Min-Down", 6, RadiusDataType.Integer, vendorId: RadiusVendors.Wispr);
    public static readonly RadiusAttributeDefinition WisprBandwidthMaxUp = new("WISPr-Bandwidth-Max-Up", 7, RadiusDataType.Integer, vendorId: RadiusVendors.Wispr);
    public static readonly RadiusAttributeDefinition WisprBandwidthMaxDown = new("WISPr-Bandwidth-Max-Down", 8, RadiusDataType.Integer, vendorId: RadiusVendors.Wispr);
    public static readonly RadiusAttributeDefinition WisprSessionTerminateTime = new("WISPr-Session-Terminate-Time", 9, RadiusDataType.Text, vendorId: RadiusVendors.Wispr);
    public static readonly RadiusAttributeDefinition WisprSessionTerminateEndOfDay = new("WISPr-Session-Terminate-End-Of-Day", 10, RadiusDataType.Text, vendorId: RadiusVendors.Wispr);
    public static readonly RadiusAttributeDefinition WisprBillingClassOfService = new("WISPr-Billing-Class-Of-Service", 11, RadiusDataType.Text, vendorId: RadiusVendors.Wispr);

    // ChilliSpot / CoovaChilli (vendor 14559), CoovaChilli's radius_chillispot.h numbering
    public static readonly RadiusAttributeDefinition ChilliSpotMaxInputOctets = new("ChilliSpot-Max-Input-Octets", 1, RadiusDataType.Integer, vendorId: RadiusVendors.ChilliSpot);
    public static readonly RadiusAttributeDefinition ChilliSpotMaxOutputOctets = new("ChilliSpot-Max-Output-Octets", 2, RadiusDataType.Integer, vendorId: RadiusVendors.ChilliSpot);
    public static readonly RadiusAttributeDefinition ChilliSpotMaxTotalOctets = new("ChilliSpot-Max-Total-Octets", 3, RadiusDataType.Integer, vendorId: RadiusVendors.ChilliSpot);
    public static readonly RadiusAttributeDefinition ChilliSpotBandwidthMaxUp = new("ChilliSpot-Bandwidth-Max-Up", 4, RadiusDataType.Integer, vendorId: RadiusVendors.ChilliSpot);
    public static readonly RadiusAttributeDefinition ChilliSpotBandwidthMaxDown = new("ChilliSpot-Bandwidth-Max-Down", 5, RadiusDataType.Integer, vendorId: RadiusVendors.ChilliSpot);
    public static readonly RadiusAttributeDefinition ChilliSpotConfig = new("ChilliSpot-Config", 6, RadiusDataType.Text, vendorId: RadiusVendors.ChilliSpot);
    public static readonly RadiusAttributeDefinition ChilliSpotLang = new("ChilliSpot-Lang", 7, RadiusDataType.Text, vendorId: RadiusVendors.ChilliSpot);
    public static readonly RadiusAttributeDefinition ChilliSpotVersion = new("ChilliSpot-Version", 8, RadiusDataType.Text, vendorId: RadiusVendors.ChilliSpot);
    public static readonly RadiusAttributeDefinition ChilliSpotOriginalUrl = new("ChilliSpot-OriginalURL", 9, RadiusDataType.Text, vendorId: RadiusVendors.ChilliSpot);
    public static readonly RadiusAttributeDefinition ChilliSpotAcctViewPoint = new("ChilliSpot-Acct-View-Point", 10, RadiusDataType.Enum, vendorId: RadiusVendors.ChilliSpot, values: s_chilliSpotAcctViewPoint);
    public static readonly RadiusAttributeDefinition ChilliSpotRequireUam = new("ChilliSpot-Require-UAM", 11, RadiusDataType.Integer, vendorId: RadiusVendors.ChilliSpot);
    public static readonly RadiusAttributeDefinition ChilliSpotRequireSplash = new("ChilliSpot-Require-Splash", 12, RadiusDataType.Integer, vendorId: RadiusVendors.ChilliSpot);
    public static readonly RadiusAttributeDefinition ChilliSpotRouteToInterface = new("ChilliSpot-Route-To-Interface", 13, RadiusDataType.Integer, vendorId: RadiusVendors.ChilliSpot);
    public static readonly RadiusAttributeDefinition ChilliSpotMaxInputGigawords = new("ChilliSpot-Max-Input-Gigawords", 21, RadiusDataType.Integer, vendorId: RadiusVendors.ChilliSpot);
    public static readonly RadiusAttributeDefinition ChilliSpotMaxOutputGigawords = new("ChilliSpot-Max-Output-Gigawords", 22, RadiusDataType.Integer, vendorId: RadiusVendors.ChilliSpot);
    public static readonly RadiusAttributeDefinition ChilliSpotMaxTotalGigawords = new("ChilliSpot-Max-Total-Gigawords", 23, RadiusDataType.Integer, vendorId: RadiusVendors.ChilliSpot);
    public static readonly RadiusAttributeDefinition ChilliSpotVlanId = new("ChilliSpot-VLAN-Id", 24, RadiusDataType.Integer, vendorId: RadiusVendors.ChilliSpot);
    public static readonly RadiusAttributeDefinition ChilliSpotSysUptime = new("ChilliSpot-Sys-Uptime", 40, RadiusDataType.Integer, vendorId: RadiusVendors.ChilliSpot);
    public static readonly RadiusAttributeDefinition ChilliSpotSysLoadavg = new("ChilliSpot-Sys-Loadavg", 41, RadiusDataType.Text, vendorId: RadiusVendors.ChilliSpot);
    public static readonly RadiusAttributeDefinition ChilliSpotSysMemory = new("ChilliSpot-Sys-Memory", 42, RadiusDataType.Text, vendorId: RadiusVendors.ChilliSpot);
    public static readonly RadiusAttributeDefinition ChilliSpotDhcpVendorClassId = new("ChilliSpot-DHCP-Vendor-Class-Id", 50, RadiusDataType.Text, vendorId: RadiusVendors.ChilliSpot);
    public static readonly RadiusAttributeDefinition ChilliSpotDhcpClientId = new("ChilliSpot-DHCP-Client-Id", 51, RadiusDataType.Text, vendorId: RadiusVendors.ChilliSpot);
    public static readonly RadiusAttributeDefinition ChilliSpotDhcpOption = new("ChilliSpot-DHCP-Option", 52, RadiusDataType.Text, vendorId: RadiusVendors.ChilliSpot);
    public static readonly RadiusAttributeDefinition ChilliSpotDhcpFilename = new("ChilliSpot-DHCP-Filename", 53, RadiusDataType.Text, vendorId: RadiusVendors.ChilliSpot);
    public static readonly RadiusAttributeDefinition ChilliSpotDhcpHostname = new("ChilliSpot-DHCP-Hostname", 54, RadiusDataType.Text, vendorId: RadiusVendors.ChilliSpot);
    public static readonly RadiusAttributeDefinition ChilliSpotDhcpServerName = new("ChilliSpot-DHCP-Server-Name", 55, RadiusDataType.Text, vendorId: RadiusVendors.ChilliSpot);
    public static readonly RadiusAttributeDefinition ChilliSpotDhcpClientFqdn = new("ChilliSpot-DHCP-Client-FQDN", 56, RadiusDataType.Text, vendorId: RadiusVendors.ChilliSpot);
    public static readonly RadiusAttributeDefinition ChilliSpotDhcpParameterRequestList = new("ChilliSpot-DHCP-Parameter-Request-List", 57, RadiusDataType.Text, vendorId: RadiusVendors.ChilliSpot);
    public static readonly RadiusAttributeDefinition ChilliSpotUamAllowed = new("ChilliSpot-UAM-Allowed", 100, RadiusDataType.Text, vendorId: RadiusVendors.ChilliSpot);
    public static readonly RadiusAttributeDefinition ChilliSpotMacAllowed = new("ChilliSpot-MAC-Allowed", 101, RadiusDataType.Text, vendorId: RadiusVendors.ChilliSpot);
    public static readonly RadiusAttributeDefinition ChilliSpotInterval = new("ChilliSpot-Interval", 102, RadiusDataType.Integer, vendorId: RadiusVendors.ChilliSpot);

    // MikroTik (vendor 14988), RouterOS RADIUS client manual
    public static readonly RadiusAttributeDefinition MikrotikRecvLimit = new("Mikrotik-Recv-Limit", 1, RadiusDataType.Integer, vendorId: RadiusVendors.Mikrotik);
    public static readonly RadiusAttributeDefinition MikrotikXmitLimit = new("Mikrotik-Xmit-Limit", 2, RadiusDataType.Integer, vendorId: RadiusVendors.Mikrotik);
    public static readonly RadiusAttributeDefinition MikrotikGroup = new("Mikrotik-Group", 3, RadiusDataType.Text, vendorId: RadiusVendors.Mikrotik);
    public static readonly RadiusAttributeDefinition MikrotikWirelessForward = new("Mikrotik-Wireless-Forward", 4, RadiusDataType.Integer, vendorId: RadiusVendors.Mikrotik);
    public static readonly RadiusAttributeDefinition MikrotikWirelessSkipDot1x = new("Mikrotik-Wireless-Skip-Dot1x", 5, RadiusDataType.Integer, vendorId: RadiusVendors.Mikrotik);
    public static readonly RadiusAttributeDefinition MikrotikWirelessEncAlgo = new("Mikrotik-Wireless-Enc-Algo", 6, RadiusDataType.Integer, vendorId: RadiusVendors.Mikrotik);
    public static readonly RadiusAttributeDefinition MikrotikWirelessEncKey = new("Mikrotik-Wireless-Enc-Key", 7, RadiusDataType.Text, vendorId: RadiusVendors.Mikrotik);
    public static readonly RadiusAttributeDefinition MikrotikRateLimit = new("Mikrotik-Rate-Limit", 8, RadiusDataType.Text, vendorId: RadiusVendors.Mikrotik);
    public static readonly RadiusAttributeDefinition MikrotikRealm = new("Mikrotik-Realm", 9, RadiusDataType.Text, vendorId: RadiusVendors.Mikrotik);
    public static readonly RadiusAttributeDefinition MikrotikHostIp = new("Mikrotik-Host-IP", 10, RadiusDataType.Ipv4Addr, vendorId: RadiusVendors.Mikrotik);
    public static readonly RadiusAttributeDefinition MikrotikMarkId = new("Mikrotik-Mark-Id", 11, RadiusDataType.Text, vendorId: RadiusVendors.Mikrotik);
    public static readonly RadiusAttributeDefinition MikrotikAdvertiseUrl = new("Mikrotik-Advertise-URL", 12, RadiusDataType.Text, vendorId: RadiusVendors.Mikrotik);
    public static readonly RadiusAttributeDefinition MikrotikAdvertiseInterval = new("Mikrotik-Advertise-Interval", 13, RadiusDataType.Integer, vendorId: RadiusVendors.Mikrotik);
    public static readonly RadiusAttributeDefinition MikrotikRecvLimitGigawords = new("Mikrotik-Recv-Limit-Gigawords", 14, RadiusDataType.Integer, vendorId: RadiusVendors.Mikrotik);
    public static readonly RadiusAttributeDefinition MikrotikXmitLimitGigawords = new("Mikrotik-Xmit-Limit-Gigawords", 15, RadiusDataType.Integer, vendorId: RadiusVendors.Mikrotik);
    public static readonly RadiusAttributeDefinition MikrotikWirelessPsk = new("Mikrotik-Wireless-PSK", 16, RadiusDataType.Text, vendorId: RadiusVendors.Mikrotik);
    public static readonly RadiusAttributeDefinition MikrotikTotalLimit = new("Mikrotik-Total-Limit", 17, RadiusDataType.Integer, vendorId: RadiusVendors.Mikrotik);
    public static readonly RadiusAttributeDefinition MikrotikTotalLimitGigawords = new("Mikrotik-Total-Limit-Gigawords", 18, RadiusDataType.Integer, vendorId: RadiusVendors.Mikrotik);
    public static readonly RadiusAttributeDefinition MikrotikAddressList = new("Mikrotik-Address-List", 19, RadiusDataType.Text, vendorId: RadiusVendors.Mikrotik);
    public static readonly RadiusAttributeDefinition MikrotikWirelessMpKey = new("Mikrotik-Wireless-MPKey", 20, RadiusDataType.Text, vendorId: RadiusVendors.Mikrotik);
    public static readonly RadiusAttributeDefinition MikrotikWirelessComment = new("Mikrotik-Wireless-Comment", 21, RadiusDataType.Text, vendorId: RadiusVendors.Mikrotik);
    public static readonly RadiusAttributeDefinition MikrotikDelegatedIpv6Pool = new("Mikrotik-Delegated-IPv6-Pool", 22, RadiusDataType.Text, vendorId: RadiusVendors.Mikrotik);
    public static readonly RadiusAttributeDefinition MikrotikDhcpOptionSet = new("Mikrotik-DHCP-Option-Set", 23, RadiusDataType.Text, vendorId: RadiusVendors.Mikrotik);
    public static readonly RadiusAttributeDefinition MikrotikDhcpOptionParamStr1 = new("Mikrotik-DHCP-Option-Param-STR1", 24, RadiusDataType.Text, vendorId: RadiusVendors.Mikrotik);
    public static readonly RadiusAttributeDefinition MikrotikDhcpOptionParamStr2 = new("Mikrotik-DHCP-Option-Param-STR2", 25, RadiusDataType.Text, vendorId: RadiusVendors.Mikrotik);
    public static readonly RadiusAttributeDefinition MikrotikWirelessVlanId = new("Mikrotik-Wireless-VLANID", 26, RadiusDataType.Integer, vendorId: RadiusVendors.Mikrotik);
    public static readonly RadiusAttributeDefinition MikrotikWirelessVlanIdType = new("Mikrotik-Wireless-VLANID-Type", 27, RadiusDataType.Integer, vendorId: RadiusVendors.Mikrotik);
    public static readonly RadiusAttributeDefinition MikrotikWirelessMinsignal = new("Mikrotik-Wireless-Minsignal", 28, RadiusDataType.Text, vendorId: RadiusVendors.Mikrotik);
    public static readonly RadiusAttributeDefinition MikrotikWirelessMaxsignal = new("Mikrotik-Wireless-Maxsignal", 29, RadiusDataType.Text, vendorId: RadiusVendors.Mikrotik);
    public static readonly RadiusAttributeDefinition MikrotikSwitchingFilter = new("Mikrotik-Switching-Filter", 30, RadiusDataType.Text, vendorId: RadiusVendors.Mikrotik);
    /// <summary>Every definition above, in order.</summary>
    public static IReadOnlyList<RadiusAttributeDefinition> All { get; } =
    [
        UserName,
        UserPassword,
        ChapPassword,
        NasIpAddress,
        NasPort,
        ServiceType,
        FramedProtocol,
        FramedIpAddress,
        FramedIpNetmask,
        FramedRouting,
        FilterId,
        FramedMtu,
        FramedCompression,
        LoginIpHost,
        LoginService,
        LoginTcpPort,
        ReplyMessage,
        CallbackNumber,
        CallbackId,
        FramedRoute,
        FramedIpxNetwork,
        State,
        Class,
        VendorSpecific,
        SessionTimeout,
        IdleTimeout,
        TerminationAction,
        CalledStationId,
        CallingStationId,
        NasIdentifier,
        ProxyState,
        LoginLatService,
        LoginLatNode,
        LoginLatGroup,
        FramedAppleTalkLink,
        FramedAppleTalkNetwork,
        FramedAppleTalkZone,
        AcctStatusType,
        AcctDelayTime,
        AcctInputOctets,
        AcctOutputOctets,
        AcctSessionId,
        AcctAuthentic,
        AcctSessionTime,
        AcctInputPackets,
        AcctOutputPackets,
        AcctTerminateCause,
        AcctMultiSessionId,
        AcctLinkCount,
        AcctInputGigawords,
        AcctOutputGigawords,
        EventTimestamp,
        ChapChallenge,
        NasPortType,
        PortLimit,
        LoginLatPort,
        ArapPassword,
        ArapFeatures,
        ArapZoneAccess,
        ArapSecurity,
        ArapSecurityData,
        PasswordRetry,
        Prompt,
        ConnectInfo,
        ConfigurationToken,
        EapMessage,
        MessageAuthenticator,
        ArapChallengeResponse,
        AcctInterimInterval,
        NasPortId,
        FramedPool,
        NasIpv6Address,
        FramedInterfaceId,
        FramedIpv6Prefix,
        LoginIpv6Host,
        FramedIpv6Route,
        FramedIpv6Pool,
        ErrorCause,
        WisprLocationId,
        WisprLocationName,
        WisprLogoffUrl,
        WisprRedirectionUrl,
        WisprBandwidthMinUp,
        WisprBandwidthMinDown,
        WisprBandwidthMaxUp,
        WisprBandwidthMaxDown,
        WisprSessionTerminateTime,
        WisprSessionTerminateEndOfDay,
        WisprBillingClassOfService,
        ChilliSpotMaxInputOctets,
        ChilliSpotMaxOutputOctets,
        ChilliSpotMaxTotalOctets,
        ChilliSpotBandwidthMaxUp,
        ChilliSpotBandwidthMaxDown,
        ChilliSpotConfig,
        ChilliSpotLang,
        ChilliSpotVersion,
        ChilliSpotOriginalUrl,
        ChilliSpotAcctViewPoint,
        ChilliSpotRequireUam,
        ChilliSpotRequireSplash,
        ChilliSpotRouteToInterface,
        ChilliSpotMaxInputGigawords,
        ChilliSpotMaxOutputGigawords,
        ChilliSpotMaxTotalGigawords,
        ChilliSpotVlanId,
        ChilliSpotSysUptime,
        ChilliSpotSysLoadavg,
        ChilliSpotSysMemory,
        ChilliSpotDhcpVendorClassId,
        ChilliSpotDhcpClientId,
        ChilliSpotDhcpOption,
        ChilliSpotDhcpFilename,
        ChilliSpotDhcpHostname,
        ChilliSpotDhcpServerName,
        ChilliSpotDhcpClientFqdn,
        ChilliSpotDhcpParameterRequestList,
        ChilliSpotUamAllowed,
        ChilliSpotMacAllowed,
        ChilliSpotInterval,
        MikrotikRecvLimit,
        MikrotikXmitLimit,
        MikrotikGroup,
        MikrotikWirelessForward,
        MikrotikWirelessSkipDot1x,
        MikrotikWirelessEncAlgo,
        MikrotikWirelessEncKey,
        MikrotikRateLimit,
        MikrotikRealm,
        MikrotikHostIp,
        MikrotikMarkId,
        MikrotikAdvertiseUrl,
        MikrotikAdvertiseInterval,
        MikrotikRecvLimitGigawords,
        MikrotikXmitLimitGigawords,
        MikrotikWirelessPsk,
        MikrotikTotalLimit,
        MikrotikTotalLimitGigawords,
        MikrotikAddressList,
        MikrotikWirelessMpKey,
        MikrotikWirelessComment,
        MikrotikDelegatedIpv6Pool,
        MikrotikDhcpOptionSet,
        MikrotikDhcpOptionParamStr1,
        MikrotikDhcpOptionParamStr2,
        MikrotikWirelessVlanId,
        MikrotikWirelessVlanIdType,
        MikrotikWirelessMinsignal,
        MikrotikWirelessMaxsignal,
        MikrotikSwitchingFilter,
    ];
}
