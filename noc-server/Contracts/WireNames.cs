namespace Network.Contracts;

/// <summary>
/// The names of <see cref="Sample.Metric"/> the agents and the portal send and the NOC reads: snake_case, the unit last.
/// </summary>
public static class MetricNames
{
    /// <summary>1 when the device answered SNMP this poll, 0 when it did not.</summary>
    public const string DeviceReachable = "device_reachable";

    /// <summary>The device's sysUpTime in seconds.</summary>
    public const string SysUptimeSeconds = "sys_uptime_seconds";

    /// <summary>1 when an interface is operationally up (labels <see cref="LabelNames.Interface"/>, <see cref="LabelNames.Role"/>).</summary>
    public const string IfUp = "if_up";

    /// <summary>An interface's speed in Mb/s.</summary>
    public const string IfSpeedMbps = "if_speed_mbps";

    public const string IfInBps = "if_in_bps";
    public const string IfOutBps = "if_out_bps";
    public const string IfInErrorsPerSecond = "if_in_errors_ps";
    public const string IfOutErrorsPerSecond = "if_out_errors_ps";
    public const string IfInDiscardsPerSecond = "if_in_discards_ps";
    public const string IfOutDiscardsPerSecond = "if_out_discards_ps";

    /// <summary>1 when a school's fibre runs at its committed rate or above (labels <see cref="LabelNames.Interface"/>, <see cref="LabelNames.CommittedMbps"/>).</summary>
    public const string CommittedRateOk = "committed_rate_ok";

    public const string CpuLoadPercent = "cpu_load_percent";
    public const string MemoryTotalBytes = "memory_total_bytes";
    public const string MemoryUsedBytes = "memory_used_bytes";
    public const string MemoryUsedPercent = "memory_used_percent";

    /// <summary>Clients on a hotspot's access points (label <see cref="LabelNames.Mib"/>).</summary>
    public const string WifiClients = "wifi_clients";

    /// <summary>1 when an uplink probe got an answer (device <see cref="DeviceNames.UplinkProbe"/>, labels <see cref="LabelNames.Target"/>, <see cref="LabelNames.Method"/>).</summary>
    public const string ProbeUp = "probe_up";

    public const string ProbeLossRatio = "probe_loss_ratio";
    public const string ProbeRttMs = "probe_rtt_ms";

    /// <summary>A throughput test's download rate in Mbit/s: payload bits a second over the measured interval (device <see cref="DeviceNames.UplinkProbe"/>, labels <see cref="LabelNames.Target"/>, <see cref="LabelNames.Method"/>).</summary>
    public const string ThroughputDownloadMbps = "throughput_download_mbps";

    /// <summary>A throughput test's upload rate in Mbit/s, as <see cref="ThroughputDownloadMbps"/>.</summary>
    public const string ThroughputUploadMbps = "throughput_upload_mbps";

    /// <summary>The measured interval of one direction of a throughput test, seconds (warm-up left out).</summary>
    public const string ThroughputTestSeconds = "throughput_test_seconds";

    // The portal's figures per hotspot, sent under the device DeviceNames.Hotspot (before: the portal's name): the
    // hotspot's own series, never a device's.
    public const string UsersOnline = "users_online";
    public const string SessionsOnline = "sessions_online";
    public const string LoginsPerHour = "logins_per_hour";
    public const string RegistrationsPerHour = "registrations_per_hour";

    // The month so far in the region's zone (cumulative, stamped when measured; the month's last figures come again in
    // the next month's first days stamped at the month's last millisecond).

    /// <summary>Sessions with traffic in the month (a session over two months counts in both).</summary>
    public const string SessionsMonth = "sessions_month";

    /// <summary>Sessions started in the month (accounting starts: the logins, as <see cref="LoginsPerHour"/> counts them).</summary>
    public const string LoginsMonth = "logins_month";

    /// <summary>Accounts registered at the hotspot in the month.</summary>
    public const string RegistrationsMonth = "registrations_month";

    /// <summary>Octets in and out in the month (Gigawords included).</summary>
    public const string OctetsMonth = "octets_month";

    /// <summary>The metrics that are a hotspot's figures, not a device's (whatever device name they came with).</summary>
    public static bool IsHotspotFigure(string metric) => metric is UsersOnline or SessionsOnline or LoginsPerHour or RegistrationsPerHour
        or SessionsMonth or LoginsMonth or RegistrationsMonth or OctetsMonth;
}

/// <summary>The names of <see cref="DeviceEvent.Kind"/> the agents send and the NOC reads.</summary>
public static class EventKinds
{
    public const string DeviceRebooted = "device_rebooted";
    public const string CommittedRateBelow = "committed_rate_below";
    public const string CommittedRateRestored = "committed_rate_restored";
    public const string SamplesDropped = "samples_dropped";
}

/// <summary>Label names of samples and events, and the values the NOC reads.</summary>
public static class LabelNames
{
    /// <summary>An interface's name (ifName, else ifDescr, else its index).</summary>
    public const string Interface = "if";

    /// <summary>An interface's role: <see cref="RoleWan"/>, <see cref="RoleLan"/> or <see cref="RoleWifi"/>.</summary>
    public const string Role = "role";

    public const string RoleWan = "wan";
    public const string RoleLan = "lan";
    public const string RoleWifi = "wifi";

    public const string CommittedMbps = "committed_mbps";
    public const string Mib = "mib";
    public const string Target = "target";
    public const string Method = "method";

    /// <summary><see cref="Method"/> of a throughput test against the NOC's own endpoint.</summary>
    public const string MethodNoc = "noc";

    /// <summary><see cref="Method"/> of a throughput test against a stock <c>iperf3 -s</c>.</summary>
    public const string MethodIperf3 = "iperf3";

    /// <summary>Which way a <see cref="MetricNames.ThroughputTestSeconds"/> sample measured: <c>download</c> or <c>upload</c>.</summary>
    public const string Direction = "direction";
}

/// <summary>
/// What the NOC asks an agent to do, named in the <see cref="Header"/> response header of an ingest answer (the agent
/// reads it on every batch it delivers, so a request reaches it within one batch interval).
/// </summary>
public static class AgentRequests
{
    public const string Header = "Agent-Request";

    /// <summary>Run the throughput test now, on every configured target.</summary>
    public const string ThroughputTest = "throughput-test";
}

/// <summary>Device names with a meaning on the wire.</summary>
public static class DeviceNames
{
    /// <summary>The pseudo-device the agents' uplink probes report under; the NOC counts its readings for the site's uplink device.</summary>
    public const string UplinkProbe = "uplink";

    /// <summary>
    /// The hotspot itself: the portal's figures (<see cref="MetricNames.IsHotspotFigure"/>) are sent under this name. The NOC
    /// makes no device of it and never judges it; portals before it sent <see cref="LegacyPortal"/>, read the same way.
    /// </summary>
    public const string Hotspot = "hotspot";

    /// <summary>The device name older portals sent their figures under.</summary>
    public const string LegacyPortal = "captive-portal";
}

/// <summary>
/// The NOC's throughput endpoint, for agents (their bearer token, as ingest): <see cref="Download"/> with
/// <c>?seconds=N</c> sends bytes from memory for N seconds; <see cref="Upload"/> reads a POST body and discards it.
/// </summary>
public static class ThroughputPaths
{
    public const string Download = "/api/v1/throughput/download";
    public const string Upload = "/api/v1/throughput/upload";
}
