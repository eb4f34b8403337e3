using System.Globalization;
using Microsoft.Extensions.Logging;
using Network.Contracts;
using Network.EdgeAgent.Configuration;
using Network.EdgeAgent.Queue;
using Network.EdgeAgent.Rates;
using Network.Snmp.Client;
using Network.Snmp.Mibs;
using Network.Snmp.Pdus;

namespace Network.EdgeAgent.Polling;

/// <summary>
/// Polls one device with its profile and turns what it reads into samples and events: the system group, every
/// interface (HC counters preferred, 32-bit otherwise), HOST-RESOURCES processor and RAM, wifi clients (hotspots)
/// and the committed-rate check of the fibre port (schools). Keeps the previous counters for rates. One poll at a time.
/// </summary>
public sealed partial class DevicePoller
{
    private static readonly Oid[] s_system = [SnmpV2Mib.SysUpTime.Append(0), SnmpV2Mib.SysName.Append(0)];

    /// <summary>Associated wifi clients per radio, by vendor MIB: name for the label, and the column (indexed by the radio's ifIndex).</summary>
    private static readonly (string Mib, Oid Column)[] s_wifiClients =
    [
        ("mikrotik", MikrotikMib.MtxrWlApClientCount),
        ("cisco", CiscoDot11AssociationMib.CDot11ActiveWirelessClients),
    ];

    private readonly DeviceOptions _device;
    private readonly SnmpTarget _target;
    private readonly SnmpClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _maxRepetitions;
    private readonly RateTracker<(uint IfIndex, string Counter)> _rates = new();
    private uint? _lastUpTime;
    private long _lastUpTimeAtMs;
    private bool? _lastCommittedOk;

    public DevicePoller(DeviceOptions device, SiteOptions site, SnmpClient client, TimeProvider time, ILogger logger, int maxRepetitions = 25)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(site);
        _device = device;
        _target = DeviceOptionsValidator.TargetOf(device);
        _client = client;
        _time = time;
        _logger = logger;
        _maxRepetitions = maxRepetitions;
        Site = string.IsNullOrEmpty(device.Site) ? site.Id : device.Site;
        Profile = device.Profile ?? site.Kind;
    }

    public string Site { get; }

    public string Name => _device.Name;

    public SiteKind Profile { get; }

    public async Task<AgentReport> PollAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        var samples = new List<Sample>();
        var events = new List<DeviceEvent>();
        uint upTime;
        try
        {
            IReadOnlyList<VarBind> system = await _client.GetAsync(_target, s_system, cancellationToken).ConfigureAwait(false);
            upTime = system[0].Value.AsUInt32();
        }
        catch (Exception ex) when (ex is SnmpClientException or InvalidOperationException)
        {
            LogUnreachable(_logger, Name, _target.EndPoint.ToString(), ex.Message);
            samples.Add(Sample(MetricNames.DeviceReachable, now, 0));
            return new AgentReport(samples);
        }

        samples.Add(Sample(MetricNames.DeviceReachable, now, 1));
        samples.Add(Sample(MetricNames.SysUptimeSeconds, now, upTime / 100.0));
        long nowMs = now.ToUnixTimeMilliseconds();
        if (_lastUpTime is uint previous && CounterRate.Rebooted(previous, upTime, nowMs - _lastUpTimeAtMs))
        {
            events.Add(new DeviceEvent(Site, Name, EventKinds.DeviceRebooted, now,
                string.Create(CultureInfo.InvariantCulture, $"{Name} restarted: sysUpTime {upTime / 100.0:0} s after {previous / 100.0:0} s at the previous poll")));
        }

        _lastUpTime = upTime;
        _lastUpTimeAtMs = nowMs;

        await PollInterfacesAsync(now, upTime, samples, events, cancellationToken).ConfigureAwait(false);
        await PollHostAsync(now, samples, cancellationToken).ConfigureAwait(false);
        if (Profile == SiteKind.Hotspot)
        {
            await PollWifiAsync(now, samples, cancellationToken).ConfigureAwait(false);
        }

        return new AgentReport(samples, events.Count == 0 ? null : events);
    }

    private async Task PollInterfacesAsync(DateTimeOffset now, uint upTime, List<Sample> samples, List<DeviceEvent> events, CancellationToken cancellationToken)
    {
        Dictionary<uint, InterfaceRow> rows;
        try
        {
            rows = await ReadInterfacesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SnmpClientException ex)
        {
            LogPartFailed(_logger, Name, "IF-MIB", ex.Message);
            return;
        }

        long atMs = now.ToUnixTimeMilliseconds();
        var seen = new HashSet<(uint, string)>();
        var wanSpeeds = new List<(string Name, double Mbps)>();
        foreach ((uint ifIndex, InterfaceRow row) in rows.OrderBy(r => r.Key))
        {
            if (row.Type == IanaIfType.SoftwareLoopback)
            {
                continue;
            }

            string role = RoleOf(row);
            string name = row.Name ?? row.Descr ?? ifIndex.ToString(CultureInfo.InvariantCulture);
            var labels = new Dictionary<string, string> { [LabelNames.Interface] = name, [LabelNames.Role] = role };
            double? speedMbps = (double?)row.HighSpeedMbps ?? (row.Speed is uint bps ? bps / 1e6 : null);
            if (row.OperStatus is int oper)
            {
                samples.Add(Sample(MetricNames.IfUp, now, oper == 1 ? 1 : 0, labels));
            }

            if (speedMbps is double mbps)
            {
                samples.Add(Sample(MetricNames.IfSpeedMbps, now, mbps, labels));
                if (role == LabelNames.RoleWan)
                {
                    wanSpeeds.Add((name, mbps));
                }
            }

            // Octets: bytes/s at most the line rate with headroom; a bigger "rate" is a discontinuity, never a spike.
            double? maxBytes = speedMbps is > 0 ? speedMbps.Value * 1e6 / 8 * 1.5 : null;
            bool hc = row.HcIn is not null && row.HcOut is not null;
            var octetLabels = new Dictionary<string, string>(labels) { ["counter"] = hc ? "hc" : "32" };
            Rate(ifIndex, "in_octets", hc ? row.HcIn : row.In, hc, upTime, atMs, maxBytes, seen, r => samples.Add(Sample(MetricNames.IfInBps, now, r * 8, octetLabels)));
            Rate(ifIndex, "out_octets", hc ? row.HcOut : row.Out, hc, upTime, atMs, maxBytes, seen, r => samples.Add(Sample(MetricNames.IfOutBps, now, r * 8, octetLabels)));
            Rate(ifIndex, "in_errors", row.InErrors, false, upTime, atMs, maxBytes, seen, r => samples.Add(Sample(MetricNames.IfInErrorsPerSecond, now, r, labels)));
            Rate(ifIndex, "out_errors", row.OutErrors, false, upTime, atMs, maxBytes, seen, r => samples.Add(Sample(MetricNames.IfOutErrorsPerSecond, now, r, labels)));
            Rate(ifIndex, "in_discards", row.InDiscards, false, upTime, atMs, maxBytes, seen, r => samples.Add(Sample(MetricNames.IfInDiscardsPerSecond, now, r, labels)));
            Rate(ifIndex, "out_discards", row.OutDiscards, false, upTime, atMs, maxBytes, seen, r => samples.Add(Sample(MetricNames.IfOutDiscardsPerSecond, now, r, labels)));
        }

        _rates.RetainOnly(seen);
        if (Profile == SiteKind.School)
        {
            CheckCommittedRate(now, wanSpeeds, samples, events);
        }
    }

    private void Rate(uint ifIndex, string counter, ulong? value, bool wide, uint upTime, long atMs, double? max, HashSet<(uint, string)> seen, Action<double> emit)
    {
        if (value is not ulong v)
        {
            return;
        }

        seen.Add((ifIndex, counter));
        RateResult rate = _rates.Next((ifIndex, counter), new CounterReading(v, wide ? CounterWidth.Bits64 : CounterWidth.Bits32, upTime, atMs), max);
        if (rate.HasRate)
        {
            emit(rate.PerSecond);
        }
    }

    /// <summary>Schools: the fibre (WAN) port must run at the committed rate or more (Fiber to the School: 100 Mb/s).</summary>
    private void CheckCommittedRate(DateTimeOffset now, List<(string Name, double Mbps)> wanSpeeds, List<Sample> samples, List<DeviceEvent> events)
    {
        if (wanSpeeds.Count == 0)
        {
            return;
        }

        (string port, double mbps) = wanSpeeds.MaxBy(w => w.Mbps);
        bool ok = mbps >= _device.CommittedRateMbps;
        var labels = new Dictionary<string, string>
        {
            [LabelNames.Interface] = port,
            [LabelNames.CommittedMbps] = _device.CommittedRateMbps.ToString(CultureInfo.InvariantCulture),
        };
        samples.Add(Sample(MetricNames.CommittedRateOk, now, ok ? 1 : 0, labels));
        if (_lastCommittedOk != ok && (_lastCommittedOk is not null || !ok))
        {
            events.Add(new DeviceEvent(Site, Name, ok ? EventKinds.CommittedRateRestored : EventKinds.CommittedRateBelow, now,
                string.Create(CultureInfo.InvariantCulture, $"{Name} fibre port {port} runs at {mbps:0} Mb/s, committed {_device.CommittedRateMbps} Mb/s"), labels));
            if (!ok)
            {
                LogBelowCommitted(_logger, Name, port, mbps, _device.CommittedRateMbps);
            }
        }

        _lastCommittedOk = ok;
    }

    private async Task PollHostAsync(DateTimeOffset now, List<Sample> samples, CancellationToken cancellationToken)
    {
        try
        {
            Dictionary<uint, SnmpValue> load = await ColumnAsync(HostResourcesMib.HrProcessorLoad, cancellationToken).ConfigureAwait(false);
            var loads = load.Values.Where(v => v.Type == Snmp.Pdus.SnmpType.Integer).Select(v => (double)v.AsInt32()).ToList();
            if (loads.Count > 0)
            {
                samples.Add(Sample(MetricNames.CpuLoadPercent, now, loads.Average()));
            }

            Dictionary<uint, SnmpValue> types = await ColumnAsync(HostResourcesMib.HrStorageType, cancellationToken).ConfigureAwait(false);
            uint[] ram = [.. types.Where(t => t.Value.Type == Snmp.Pdus.SnmpType.ObjectIdentifier && t.Value.AsOid() == HostResourcesMib.HrStorageRam).Select(t => t.Key)];
            if (ram.Length == 0)
            {
                return;
            }

            Dictionary<uint, SnmpValue> units = await ColumnAsync(HostResourcesMib.HrStorageAllocationUnits, cancellationToken).ConfigureAwait(false);
            Dictionary<uint, SnmpValue> size = await ColumnAsync(HostResourcesMib.HrStorageSize, cancellationToken).ConfigureAwait(false);
            Dictionary<uint, SnmpValue> used = await ColumnAsync(HostResourcesMib.HrStorageUsed, cancellationToken).ConfigureAwait(false);
            uint row = ram[0];
            if (Int(units, row) is int u && Int(size, row) is int s && Int(used, row) is int n && s > 0)
            {
                samples.Add(Sample(MetricNames.MemoryTotalBytes, now, (double)u * s));
                samples.Add(Sample(MetricNames.MemoryUsedBytes, now, (double)u * n));
                samples.Add(Sample(MetricNames.MemoryUsedPercent, now, 100.0 * n / s));
            }
        }
        catch (SnmpClientException ex)
        {
            LogPartFailed(_logger, Name, "HOST-RESOURCES-MIB", ex.Message);
        }
    }

    private async Task PollWifiAsync(DateTimeOffset now, List<Sample> samples, CancellationToken cancellationToken)
    {
        foreach ((string mib, Oid column) in s_wifiClients)
        {
            try
            {
                Dictionary<uint, SnmpValue> clients = await ColumnAsync(column, cancellationToken).ConfigureAwait(false);
                if (clients.Count > 0)
                {
                    double total = clients.Values.Where(v => !v.IsException).Sum(v => (double)v.AsUInt64());
                    samples.Add(Sample(MetricNames.WifiClients, now, total, new Dictionary<string, string> { [LabelNames.Mib] = mib }));
                }
            }
            catch (Exception ex) when (ex is SnmpClientException or InvalidOperationException)
            {
                LogPartFailed(_logger, Name, mib, ex.Message);
            }
        }
    }

    private async Task<Dictionary<uint, InterfaceRow>> ReadInterfacesAsync(CancellationToken cancellationToken)
    {
        var rows = new Dictionary<uint, InterfaceRow>();
        InterfaceRow Row(uint index) => rows.TryGetValue(index, out InterfaceRow? r) ? r : rows[index] = new InterfaceRow();

        foreach ((uint i, SnmpValue v) in await ColumnAsync(IfMib.IfDescr, cancellationToken).ConfigureAwait(false))
        {
            Row(i).Descr = v.Type == Snmp.Pdus.SnmpType.OctetString ? v.AsString() : null;
        }

        await Fill(IfMib.IfType, (r, v) => r.Type = v.Type == Snmp.Pdus.SnmpType.Integer ? v.AsInt32() : null).ConfigureAwait(false);
        await Fill(IfMib.IfSpeed, (r, v) => r.Speed = Unsigned(v) is ulong s ? (uint)s : null).ConfigureAwait(false);
        await Fill(IfMib.IfOperStatus, (r, v) => r.OperStatus = v.Type == Snmp.Pdus.SnmpType.Integer ? v.AsInt32() : null).ConfigureAwait(false);
        await Fill(IfMib.IfInOctets, (r, v) => r.In = Unsigned(v)).ConfigureAwait(false);
        await Fill(IfMib.IfInDiscards, (r, v) => r.InDiscards = Unsigned(v)).ConfigureAwait(false);
        await Fill(IfMib.IfInErrors, (r, v) => r.InErrors = Unsigned(v)).ConfigureAwait(false);
        await Fill(IfMib.IfOutOctets, (r, v) => r.Out = Unsigned(v)).ConfigureAwait(false);
        await Fill(IfMib.IfOutDiscards, (r, v) => r.OutDiscards = Unsigned(v)).ConfigureAwait(false);
        await Fill(IfMib.IfOutErrors, (r, v) => r.OutErrors = Unsigned(v)).ConfigureAwait(false);
        await Fill(IfMib.IfName, (r, v) => r.Name = v.Type == Snmp.Pdus.SnmpType.OctetString ? v.AsString() : null).ConfigureAwait(false);
        await Fill(IfMib.IfHCInOctets, (r, v) => r.HcIn = v.Type == Snmp.Pdus.SnmpType.Counter64 ? v.AsUInt64() : null).ConfigureAwait(false);
        await Fill(IfMib.IfHCOutOctets, (r, v) => r.HcOut = v.Type == Snmp.Pdus.SnmpType.Counter64 ? v.AsUInt64() : null).ConfigureAwait(false);
        await Fill(IfMib.IfHighSpeed, (r, v) => r.HighSpeedMbps = Unsigned(v) is ulong s && s > 0 ? s : null).ConfigureAwait(false);
        await Fill(IfMib.IfAlias, (r, v) => r.Alias = v.Type == Snmp.Pdus.SnmpType.OctetString ? v.AsString() : null).ConfigureAwait(false);
        return rows;

        async Task Fill(Oid column, Action<InterfaceRow, SnmpValue> set)
        {
            foreach ((uint i, SnmpValue v) in await ColumnAsync(column, cancellationToken).ConfigureAwait(false))
            {
                if (rows.TryGetValue(i, out InterfaceRow? row))
                {
                    set(row, v);
                }
            }
        }
    }

    /// <summary>One column of a table indexed by one integer (ifIndex, hrStorageIndex...), by GetBulk.</summary>
    private async Task<Dictionary<uint, SnmpValue>> ColumnAsync(Oid column, CancellationToken cancellationToken)
    {
        var cells = new Dictionary<uint, SnmpValue>();
        await foreach (VarBind binding in _client.BulkWalkAsync(_target, column, _maxRepetitions, cancellationToken).ConfigureAwait(false))
        {
            if (binding.Oid.Length == column.Length + 1 && !binding.Value.IsException)
            {
                cells[binding.Oid[column.Length]] = binding.Value;
            }
        }

        return cells;
    }

    private string RoleOf(InterfaceRow row)
    {
        if (_device.Wan.Count > 0)
        {
            return _device.Wan.Contains(row.Name ?? "", StringComparer.OrdinalIgnoreCase) || _device.Wan.Contains(row.Descr ?? "", StringComparer.OrdinalIgnoreCase)
                ? LabelNames.RoleWan
                : row.Type == IanaIfType.Ieee80211 ? LabelNames.RoleWifi : LabelNames.RoleLan;
        }

        if (row.Type == IanaIfType.Ieee80211)
        {
            return LabelNames.RoleWifi;
        }

        string text = $"{row.Alias} {row.Name} {row.Descr}";
        return text.Contains("uplink", StringComparison.OrdinalIgnoreCase) || text.Contains("wan", StringComparison.OrdinalIgnoreCase)
            || text.Contains("fibre", StringComparison.OrdinalIgnoreCase) || text.Contains("fiber", StringComparison.OrdinalIgnoreCase)
            ? LabelNames.RoleWan
            : LabelNames.RoleLan;
    }

    private static ulong? Unsigned(SnmpValue v) =>
        v.Type is Snmp.Pdus.SnmpType.Counter32 or Snmp.Pdus.SnmpType.Gauge32 or Snmp.Pdus.SnmpType.Counter64 or Snmp.Pdus.SnmpType.TimeTicks
            ? v.AsUInt64()
            : v.Type == Snmp.Pdus.SnmpType.Integer && v.AsInt32() >= 0 ? (ulong)v.AsInt32() : null;

    private static int? Int(Dictionary<uint, SnmpValue> column, uint row) =>
        column.TryGetValue(row, out SnmpValue v) && v.Type == Snmp.Pdus.SnmpType.Integer ? v.AsInt32() : null;

    private Sample Sample(string metric, DateTimeOffset at, double value, IReadOnlyDictionary<string, string>? labels = null) =>
        new(Site, Name, metric, at, value, labels);

    [LoggerMessage(Level = LogLevel.Warning, Message = "device {Device} ({Address}) did not answer: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string device, string address, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "device {Device}: reading {Part} failed: {Reason}")]
    private static partial void LogPartFailed(ILogger logger, string device, string part, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "school router {Device}: fibre port {Port} at {Mbps} Mb/s, below the committed {Committed} Mb/s")]
    private static partial void LogBelowCommitted(ILogger logger, string device, string port, double mbps, int committed);

    private sealed class InterfaceRow
    {
        public string? Descr { get; set; }

        public string? Name { get; set; }

        public string? Alias { get; set; }

        public int? Type { get; set; }

        public uint? Speed { get; set; }

        public ulong? HighSpeedMbps { get; set; }

        public int? OperStatus { get; set; }

        public ulong? In { get; set; }

        public ulong? Out { get; set; }

        public ulong? HcIn { get; set; }

        public ulong? HcOut { get; set; }

        public ulong? InErrors { get; set; }

        public ulong? OutErrors { get; set; }

        public ulong? InDiscards { get; set; }

        public ulong? OutDiscards { get; set; }
    }
}
