using System.Globalization;
using Microsoft.Extensions.Options;
using Network.Contracts;
using Network.Noc.Alarms;
using Network.Noc.Inventory;
using Network.Noc.TimeSeries;

namespace Network.Noc.Status;

/// <summary>A device (or, with <see cref="Device"/> null, a site) that changed state.</summary>
public sealed record StatusChange(string Site, string? Device, HealthState From, HealthState To, string? Reason, DateTimeOffset At);

/// <summary>The outcome of one step of the engine.</summary>
public sealed record StatusResult(IReadOnlyList<StatusChange> Changes, IReadOnlyList<AlarmSignal> Alarms)
{
    public static readonly StatusResult None = new([], []);

    /// <summary>Sites whose devices reported (their "last seen" moved on), changed or not: the dashboards show it.</summary>
    public IReadOnlyList<string> Seen { get; init; } = [];

    /// <summary>Nothing for the dashboards.</summary>
    public bool IsEmpty => Changes.Count == 0 && Alarms.Count == 0 && Seen.Count == 0;
}

/// <summary>
/// Judges every device from its readings and every site from its devices, as a NOC engineer would:
/// <list type="bullet">
/// <item>Down: the agent cannot reach the device over SNMP, a WAN interface is down, or every uplink probe fails.
/// Degraded: probe loss or latency over the thresholds, a WAN link below the site's committed rate (schools), or the
/// agent's committed-rate event.</item>
/// <item>Hysteresis: a state changes after <see cref="StatusOptions.RaiseAfter"/> (bad) or <see cref="StatusOptions.ClearAfter"/>
/// (good) consecutive readings that agree; the first reading of a device counts at once.</item>
/// <item>Flapping: <see cref="StatusOptions.FlapTransitions"/> changes or speed drops (1 Gb/s to 100 Mb/s) within the
/// window raise one flapping alarm instead of an alarm per change, until a whole window passes quietly (the down alarms
/// of the changes still open, marked with <see cref="AlarmKinds.FlappingPrefix"/>: shown, neither notified nor counted).</item>
/// <item>Parent down: devices behind a site's uplink that is down are shown down with their alarms suppressed by it.</item>
/// <item>No data for <see cref="StatusOptions.StaleAfter"/>: unknown, with a no-data alarm (a site cut off cannot report).</item>
/// </list>
/// Readings older than the newest one already judged (an agent replaying its backlog) go to the store, not to the
/// status. Every method is called under one lock; the engine itself does no I/O.
/// </summary>
public sealed class StatusEngine(InventoryService inventory, IOptions<StatusOptions> options, TimeProvider time)
{
    private readonly StatusOptions _options = options.Value;
    private readonly Dictionary<(string Site, string Device), DeviceState> _devices = [];
    private readonly Dictionary<string, List<DeviceState>> _devicesBySite = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SiteState> _sites = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _version;

    /// <summary>Rises with every change of a site; dashboards continue from the version of their snapshot.</summary>
    public long Version
    {
        get
        {
            lock (_lock)
            {
                return _version;
            }
        }
    }

    /// <summary>Judges freshly stored points and events.</summary>
    public StatusResult Observe(IEnumerable<SeriesPoint> points, IEnumerable<DeviceEvent> events)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(events);
        DateTimeOffset now = time.GetUtcNow();
        var readings = new Dictionary<(string, string), Reading>();
        foreach (SeriesPoint point in points)
        {
            if (!IsJudged(point.Key.Metric))
            {
                continue;
            }

            string device = ResolveDevice(point.Key.Site, point.Key.Device);
            if (!readings.TryGetValue((point.Key.Site, device), out Reading? reading))
            {
                readings[(point.Key.Site, device)] = reading = new Reading();
            }

            reading.Add(point);
        }

        var changes = new List<StatusChange>();
        var alarms = new List<AlarmSignal>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (DeviceEvent deviceEvent in events)
            {
                ApplyEvent(deviceEvent, alarms);
            }

            foreach (((string site, string device), Reading reading) in readings)
            {
                if (inventory.Find(site) is not Site known || !IsWatched(known))
                {
                    continue;
                }

                DeviceState state = Device(site, device);
                if (reading.LatestMs < state.LastReadingMs)
                {
                    continue;
                }

                state.LastReadingMs = reading.LatestMs;
                state.LastSeen = now;
                seen.Add(site);
                Judge(known, state, reading, now, changes, alarms);
            }

            UpdateSites(now, changes, alarms, seen);
        }

        return changes.Count == 0 && alarms.Count == 0 && seen.Count == 0 ? StatusResult.None : new StatusResult(changes, alarms) { Seen = [.. seen] };
    }

    /// <summary>Marks devices that sent nothing for the stale time as unknown, and ends flapping after a quiet window.</summary>
    public StatusResult Tick()
    {
        DateTimeOffset now = time.GetUtcNow();
        var changes = new List<StatusChange>();
        var alarms = new List<AlarmSignal>();
        lock (_lock)
        {
            foreach (DeviceState device in _devices.Values)
            {
                if (inventory.Find(device.Site) is not Site site || !IsWatched(site))
                {
                    continue;
                }

                EndFlappingIfQuiet(device, now, alarms);
                if (device.State != HealthState.Unknown && now - device.LastSeen >= _options.StaleAfter)
                {
                    string reason = string.Create(CultureInfo.InvariantCulture, $"no data since {device.LastSeen:yyyy-MM-dd HH:mm:ss} UTC");
                    Transition(device, HealthState.Unknown, reason, now, changes);
                    device.Pending = HealthState.Unknown;
                    device.PendingCount = 0;
                    alarms.Add(new AlarmSignal(true, device.Site, device.Name, AlarmKinds.NoData, AlarmKinds.Major, $"{device.Name}: {reason}", null));
                    alarms.Add(new AlarmSignal(false, device.Site, device.Name, AlarmKinds.Down, "", "", null));
                    alarms.Add(new AlarmSignal(false, device.Site, device.Name, AlarmKinds.Degraded, "", "", null));
                }
            }

            UpdateSites(now, changes, alarms);
        }

        return changes.Count == 0 && alarms.Count == 0 ? StatusResult.None : new StatusResult(changes, alarms);
    }

    /// <summary>Every inventory site as the dashboards show it, worst first (down, degraded, unknown, up; then longest in that state).</summary>
    public IReadOnlyList<SiteStatusView> Sites(Func<string, int> openAlarms)
    {
        lock (_lock)
        {
            return [.. inventory.Sites.Values.Select(s => View(s, openAlarms(s.Id)))
                .OrderBy(v => SeverityRank(v.State)).ThenBy(v => v.Since).ThenBy(v => v.Id, StringComparer.Ordinal)];
        }
    }

    /// <summary>Every inventory site with its state, without building the dashboards' views (for the per-site gauges).</summary>
    public IReadOnlyList<(Site Site, HealthState State)> SiteStates()
    {
        lock (_lock)
        {
            var states = new List<(Site, HealthState)>(inventory.Sites.Count);
            foreach (Site site in inventory.Sites.Values)
            {
                states.Add((site, _sites.GetValueOrDefault(site.Id)?.State ?? HealthState.Unknown));
            }

            return states;
        }
    }

    /// <summary>One site as the dashboards show it, or null.</summary>
    public SiteStatusView? Site(string id, int openAlarms)
    {
        lock (_lock)
        {
            return inventory.Find(id) is Site site ? View(site, openAlarms) : null;
        }
    }

    /// <summary>Rank for sorting by severity: down first, up last.</summary>
    public static int SeverityRank(HealthState state) => state switch
    {
        HealthState.Down => 0,
        HealthState.Degraded => 1,
        HealthState.Unknown => 2,
        _ => 3,
    };

    private static bool IsWatched(Site site) => site.Lifecycle is Lifecycles.Active or Lifecycles.Installing;

    /// <summary>Whether the engine judges this metric (the others go to the store only).</summary>
    public static bool IsJudged(string metric) => metric is MetricNames.DeviceReachable or MetricNames.IfUp or MetricNames.IfSpeedMbps or MetricNames.ProbeUp or MetricNames.ProbeLossRatio or MetricNames.ProbeRttMs;

    private string ResolveDevice(string site, string device) =>
        device == DeviceNames.UplinkProbe && inventory.Find(site)?.Uplink is Device uplink ? uplink.Name : device;

    private DeviceState Device(string site, string device)
    {
        if (!_devices.TryGetValue((site, device), out DeviceState? state))
        {
            _devices[(site, device)] = state = new DeviceState(site, device, time.GetUtcNow());
            if (!_devicesBySite.TryGetValue(site, out List<DeviceState>? list))
            {
                _devicesBySite[site] = list = [];
            }

            list.Add(state);
        }

        return state;
    }

    private void Judge(Site site, DeviceState device, Reading reading, DateTimeOffset now, List<StatusChange> changes, List<AlarmSignal> alarms)
    {
        foreach ((string name, double mbps) in reading.WanSpeeds)
        {
            if (device.WanSpeeds.TryGetValue(name, out double before) && mbps > 0 && mbps < before)
            {
                string message = string.Create(CultureInfo.InvariantCulture, $"{device.Name} {name}: link speed fell from {before:0} to {mbps:0} Mb/s");
                alarms.Add(new AlarmSignal(true, site.Id, device.Name, AlarmKinds.SpeedDrop, AlarmKinds.Warning, message, Suppressor(site, device)));
                device.SpeedBefore[name] = Math.Max(before, device.SpeedBefore.GetValueOrDefault(name));
                CountFlap(device, now, alarms);
            }
            else if (device.SpeedBefore.TryGetValue(name, out double restored) && mbps >= restored)
            {
                device.SpeedBefore.Remove(name);
                alarms.Add(new AlarmSignal(false, site.Id, device.Name, AlarmKinds.SpeedDrop, "", "", null));
            }

            device.WanSpeeds[name] = mbps;
        }

        (HealthState candidate, string? reason) = Candidate(site, device, reading);
        if (candidate == device.State)
        {
            device.Pending = candidate;
            device.PendingCount = 0;
            device.Reason = reason;
            return;
        }

        if (candidate == device.Pending)
        {
            device.PendingCount++;
        }
        else
        {
            device.Pending = candidate;
            device.PendingCount = 1;
        }

        int needed = device.State == HealthState.Unknown ? 1 : candidate == HealthState.Up ? _options.ClearAfter : _options.RaiseAfter;
        if (device.PendingCount < needed)
        {
            return;
        }

        HealthState from = device.State;
        Transition(device, candidate, reason, now, changes);
        device.PendingCount = 0;
        if (from != HealthState.Unknown)
        {
            CountFlap(device, now, alarms);
        }

        RaiseFor(site, device, alarms);
    }

    private (HealthState, string?) Candidate(Site site, DeviceState device, Reading reading)
    {
        if (reading.Reachable == false)
        {
            return (HealthState.Down, $"{device.Name} does not answer SNMP");
        }

        if (reading.WanDown.Count > 0)
        {
            return (HealthState.Down, $"{device.Name} uplink {string.Join(", ", reading.WanDown)} down");
        }

        if (reading.ProbesTotal > 0 && reading.ProbesUp == 0)
        {
            return (HealthState.Down, "every uplink probe fails");
        }

        if (reading.MaxLoss >= _options.DegradedLossRatio)
        {
            return (HealthState.Degraded, string.Create(CultureInfo.InvariantCulture, $"uplink loss {reading.MaxLoss:P0}"));
        }

        if (reading.MaxRttMs >= _options.DegradedRttMs)
        {
            return (HealthState.Degraded, string.Create(CultureInfo.InvariantCulture, $"uplink latency {reading.MaxRttMs:0} ms"));
        }

        if (site.CommittedMbps is int committed && reading.WanSpeeds.Count > 0 && reading.WanSpeeds.Values.Max() < committed)
        {
            return (HealthState.Degraded, string.Create(CultureInfo.InvariantCulture, $"uplink at {reading.WanSpeeds.Values.Max():0} Mb/s, committed {committed} Mb/s"));
        }

        if (device.CommittedRateBelow is string below)
        {
            return (HealthState.Degraded, below);
        }

        if (device.State == HealthState.Unknown || device.State == HealthState.Up || reading.HasAnyJudgement)
        {
            return (HealthState.Up, null);
        }

        // A reading without anything to judge (only counters) keeps the state it had.
        return (device.State, device.Reason);
    }

    private void RaiseFor(Site site, DeviceState device, List<AlarmSignal> alarms)
    {
        string? suppressor = Suppressor(site, device);
        alarms.Add(new AlarmSignal(false, site.Id, device.Name, AlarmKinds.NoData, "", "", null));
        switch (device.State)
        {
            case HealthState.Down:
                alarms.Add(new AlarmSignal(false, site.Id, device.Name, AlarmKinds.Degraded, "", "", null));
                // Flapping: the down alarm still opens (each down period is an incident of the SLA) but marked, so the one
                // flapping alarm is what is notified and counted.
                alarms.Add(new AlarmSignal(true, site.Id, device.Name, AlarmKinds.Down, AlarmKinds.Critical, $"{site.Name}: {device.Reason}",
                    device.Flapping ? suppressor ?? AlarmKinds.FlappingPrefix + device.Name : suppressor));

                break;
            case HealthState.Degraded:
                alarms.Add(new AlarmSignal(false, site.Id, device.Name, AlarmKinds.Down, "", "", null));
                if (!device.Flapping)
                {
                    string severity = site.Kind == SiteKinds.School ? AlarmKinds.Major : AlarmKinds.Minor;
                    alarms.Add(new AlarmSignal(true, site.Id, device.Name, AlarmKinds.Degraded, severity, $"{site.Name}: {device.Reason}", suppressor));
                }

                break;
            case HealthState.Up:
                alarms.Add(new AlarmSignal(false, site.Id, device.Name, AlarmKinds.Down, "", "", null));
                alarms.Add(new AlarmSignal(false, site.Id, device.Name, AlarmKinds.Degraded, "", "", null));
                break;
            default:
                break;
        }
    }

    /// <summary>The uplink device that hides this one's alarms: the site's uplink when it is down and this is not it.</summary>
    private string? Suppressor(Site site, DeviceState device) =>
        site.Uplink is Device uplink && uplink.Name != device.Name && _devices.TryGetValue((site.Id, uplink.Name), out DeviceState? parent)
            && parent.State == HealthState.Down
            ? uplink.Name
            : null;

    private void CountFlap(DeviceState device, DateTimeOffset now, List<AlarmSignal> alarms)
    {
        device.Flaps.Enqueue(now);
        while (device.Flaps.Count > 0 && now - device.Flaps.Peek() > _options.FlapWindow)
        {
            device.Flaps.Dequeue();
        }

        if (!device.Flapping && device.Flaps.Count >= _options.FlapTransitions)
        {
            device.Flapping = true;
            string message = string.Create(CultureInfo.InvariantCulture,
                $"{device.Name} is flapping: {device.Flaps.Count} changes in {_options.FlapWindow.TotalMinutes:0} min");
            alarms.Add(new AlarmSignal(true, device.Site, device.Name, AlarmKinds.Flapping, AlarmKinds.Major, message, null));
        }
    }

    private void EndFlappingIfQuiet(DeviceState device, DateTimeOffset now, List<AlarmSignal> alarms)
    {
        if (device.Flapping && (device.Flaps.Count == 0 || now - device.Flaps.Last() > _options.FlapWindow))
        {
            device.Flapping = false;
            device.Flaps.Clear();
            alarms.Add(new AlarmSignal(false, device.Site, device.Name, AlarmKinds.Flapping, "", "", null));
            if (inventory.Find(device.Site) is Site site)
            {
                RaiseFor(site, device, alarms);
            }
        }
    }

    private void ApplyEvent(DeviceEvent deviceEvent, List<AlarmSignal> alarms)
    {
        if (inventory.Find(deviceEvent.Site) is not Site site || !IsWatched(site))
        {
            return;
        }

        string device = ResolveDevice(deviceEvent.Site, deviceEvent.Device);
        DeviceState state = Device(deviceEvent.Site, device);
        switch (deviceEvent.Kind)
        {
            case EventKinds.CommittedRateBelow:
                state.CommittedRateBelow = deviceEvent.Message;
                break;
            case EventKinds.CommittedRateRestored:
                state.CommittedRateBelow = null;
                break;
            case EventKinds.DeviceRebooted:
                // Opened and cleared at once: the history shows the reboot, nobody has to acknowledge it.
                alarms.Add(new AlarmSignal(true, site.Id, device, AlarmKinds.Rebooted, AlarmKinds.Warning, $"{site.Name}: {deviceEvent.Message}", null));
                alarms.Add(new AlarmSignal(false, site.Id, device, AlarmKinds.Rebooted, "", "", null));
                break;
            case EventKinds.SamplesDropped:
                alarms.Add(new AlarmSignal(true, site.Id, device, AlarmKinds.SamplesDropped, AlarmKinds.Warning, $"{site.Name}: {deviceEvent.Message}", null));
                break;
            default:
                break;
        }
    }

    private static void Transition(DeviceState device, HealthState to, string? reason, DateTimeOffset now, List<StatusChange> changes)
    {
        changes.Add(new StatusChange(device.Site, device.Name, device.State, to, reason, now));
        device.State = to;
        device.Reason = reason;
        device.Since = now;
    }

    private void UpdateSites(DateTimeOffset now, List<StatusChange> changes, List<AlarmSignal> alarms, IEnumerable<string>? seen = null)
    {
        var touched = changes.Where(c => c.Device is not null).Select(c => c.Site)
            .Concat(alarms.Select(a => a.Site)).Concat(seen ?? []).Distinct(StringComparer.Ordinal).ToList();
        foreach (string siteId in touched)
        {
            if (inventory.Find(siteId) is not Site site)
            {
                continue;
            }

            (HealthState state, string? reason) = Worst(site);
            if (!_sites.TryGetValue(siteId, out SiteState? current))
            {
                _sites[siteId] = current = new SiteState { Since = now };
            }

            _version++;
            current.Version = _version;
            if (current.State != state || current.Reason != reason)
            {
                if (current.State != state)
                {
                    changes.Add(new StatusChange(siteId, null, current.State, state, reason, now));
                    current.Since = now;
                }

                current.State = state;
                current.Reason = reason;
            }
        }
    }

    private (HealthState, string?) Worst(Site site)
    {
        HealthState worst = HealthState.Up;
        string? reason = null;
        bool any = false;
        foreach (DeviceState device in _devicesBySite.GetValueOrDefault(site.Id) ?? [])
        {
            any = true;
            if (SeverityRank(device.State) < SeverityRank(worst))
            {
                worst = device.State;
                reason = device.Reason;
            }
        }

        return any ? (worst, reason) : (HealthState.Unknown, "no data yet");
    }

    private SiteStatusView View(Site site, int openAlarms)
    {
        SiteState state = _sites.GetValueOrDefault(site.Id) ?? new SiteState { Since = DateTimeOffset.UnixEpoch, Reason = "no data yet" };
        var names = site.Devices.Select(d => d.Name).Concat((_devicesBySite.GetValueOrDefault(site.Id) ?? []).Select(d => d.Name)).Distinct(StringComparer.Ordinal);
        Device? uplink = site.Uplink;
        DeviceState? parent = uplink is null ? null : _devices.GetValueOrDefault((site.Id, uplink.Name));
        var devices = names.Select(name =>
        {
            DeviceState? d = _devices.GetValueOrDefault((site.Id, name));
            bool suppressed = parent is { State: HealthState.Down } && uplink!.Name != name;
            return d is null
                ? new DeviceStatusView(name, suppressed ? HealthState.Down : HealthState.Unknown, DateTimeOffset.UnixEpoch,
                    suppressed ? $"behind {uplink!.Name}, which is down" : "no data yet", false, suppressed, null)
                : new DeviceStatusView(name, suppressed ? HealthState.Down : d.State, d.Since, suppressed ? $"behind {uplink!.Name}, which is down" : d.Reason,
                    d.Flapping, suppressed, d.LastSeen);
        }).ToList();
        bool flapping = devices.Any(d => d.Flapping);
        return new SiteStatusView(site.Id, site.Name, site.Kind, site.Commune, site.Latitude, site.Longitude, site.Lifecycle,
            state.State, state.Since, state.Reason, flapping, openAlarms, devices);
    }

    private sealed class DeviceState(string site, string name, DateTimeOffset now)
    {
        public string Site { get; } = site;

        public string Name { get; } = name;

        public HealthState State { get; set; } = HealthState.Unknown;

        public string? Reason { get; set; } = "no data yet";

        public DateTimeOffset Since { get; set; } = now;

        public HealthState Pending { get; set; } = HealthState.Unknown;

        public int PendingCount { get; set; }

        public long LastReadingMs { get; set; } = long.MinValue;

        public DateTimeOffset LastSeen { get; set; } = now;

        public bool Flapping { get; set; }

        public Queue<DateTimeOffset> Flaps { get; } = new();

        public Dictionary<string, double> WanSpeeds { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, double> SpeedBefore { get; } = new(StringComparer.Ordinal);

        public string? CommittedRateBelow { get; set; }
    }

    private sealed class SiteState
    {
        public HealthState State { get; set; } = HealthState.Unknown;

        public string? Reason { get; set; }

        public DateTimeOffset Since { get; set; }

        public long Version { get; set; }
    }

    /// <summary>What one batch said about one device, at its latest timestamp.</summary>
    private sealed class Reading
    {
        public long LatestMs { get; private set; } = long.MinValue;

        public bool? Reachable { get; private set; }

        public List<string> WanDown { get; } = [];

        public Dictionary<string, double> WanSpeeds { get; } = new(StringComparer.Ordinal);

        public int ProbesTotal { get; private set; }

        public int ProbesUp { get; private set; }

        public double MaxLoss { get; private set; }

        public double MaxRttMs { get; private set; }

        public bool HasAnyJudgement => Reachable is not null || ProbesTotal > 0 || WanSpeeds.Count > 0 || WanDown.Count > 0 || _wanSeen;

        private bool _wanSeen;

        private const string WanRoleLabel = LabelNames.Role + "=" + LabelNames.RoleWan;

        public void Add(SeriesPoint point)
        {
            LatestMs = Math.Max(LatestMs, point.TimestampMs);
            string labels = point.Key.Labels;
            bool wan = labels.Contains(WanRoleLabel, StringComparison.Ordinal);
            switch (point.Key.Metric)
            {
                case MetricNames.DeviceReachable:
                    Reachable = (Reachable ?? true) && point.Value > 0;
                    break;
                case MetricNames.IfUp when wan:
                    _wanSeen = true;
                    if (point.Value <= 0)
                    {
                        WanDown.Add(Label(labels, LabelNames.Interface) ?? LabelNames.RoleWan);
                    }

                    break;
                case MetricNames.IfSpeedMbps when wan:
                    WanSpeeds[Label(labels, LabelNames.Interface) ?? LabelNames.RoleWan] = point.Value;
                    break;
                case MetricNames.ProbeUp:
                    ProbesTotal++;
                    ProbesUp += point.Value > 0 ? 1 : 0;
                    break;
                case MetricNames.ProbeLossRatio:
                    MaxLoss = Math.Max(MaxLoss, point.Value);
                    break;
                case MetricNames.ProbeRttMs:
                    MaxRttMs = Math.Max(MaxRttMs, point.Value);
                    break;
                default:
                    break;
            }
        }

        private static string? Label(string labels, string key)
        {
            foreach (string pair in labels.Split(','))
            {
                if (pair.Length > key.Length && pair.StartsWith(key, StringComparison.Ordinal) && pair[key.Length] == '=')
                {
                    return pair[(key.Length + 1)..];
                }
            }

            return null;
        }
    }
}
