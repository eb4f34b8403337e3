using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using Network.EdgeAgent.Configuration;
using Network.Snmp;
using Network.Snmp.Client;
using Network.Snmp.Pdus;
using Network.Snmp.Security;

namespace Network.EdgeAgent.Polling;

/// <summary>SNMP version of a device: v2c with a community, or v3 with a USM user.</summary>
public enum DeviceSnmpVersion
{
    V2c,
    V3,
}

/// <summary>The SNMPv3 user of a device (RFC 3414 USM; SHA-2 per RFC 7860, AES per RFC 3826).</summary>
public sealed class V3UserOptions
{
    public string User { get; set; } = "";

    /// <summary>None, MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512 (net-snmp's names).</summary>
    public string AuthProtocol { get; set; } = "SHA-256";

    public string AuthPassword { get; set; } = "";

    /// <summary>None, DES, AES, AES192, AES256, AES192C, AES256C (net-snmp's names).</summary>
    public string PrivProtocol { get; set; } = "AES";

    public string PrivPassword { get; set; } = "";
}

/// <summary>One router the agent polls.</summary>
public sealed class DeviceOptions
{
    /// <summary>The device name the NOC shows (samples carry it).</summary>
    public string Name { get; set; } = "";

    /// <summary><c>host:port</c> or <c>host</c> (port 161); IPv6 as <c>[::1]:161</c>.</summary>
    public string Address { get; set; } = "";

    /// <summary>The site of this device when it is not the agent's (one agent next to several sites' routers).</summary>
    public string? Site { get; set; }

    /// <summary>What to poll: the hotspot or the school profile. Default: the site's kind.</summary>
    public SiteKind? Profile { get; set; }

    public DeviceSnmpVersion Version { get; set; } = DeviceSnmpVersion.V2c;

    public string Community { get; set; } = "public";

    public V3UserOptions? V3 { get; set; }

    public int TimeoutMs { get; set; } = 2000;

    public int Retries { get; set; } = 2;

    /// <summary>ifName or ifDescr of the WAN (uplink, fibre) ports. Default: interfaces whose alias, name or description says uplink, WAN or fibre.</summary>
    public List<string> Wan { get; set; } = [];

    /// <summary>Schools: the fibre port's ifHighSpeed must be at least this (Mb/s).</summary>
    public int CommittedRateMbps { get; set; } = 100;
}

/// <summary>The devices and how often to poll them. Keys under <c>Agent:Polling</c>.</summary>
public sealed class PollingOptions
{
    public const string Section = "Agent:Polling";

    [Range(1, 3600)]
    public int IntervalSeconds { get; set; } = 30;

    /// <summary>GetBulk max-repetitions of the table walks (halved on tooBig by the SNMP engine).</summary>
    [Range(1, 100)]
    public int MaxRepetitions { get; set; } = 25;

    public List<DeviceOptions> Devices { get; set; } = [];
}

[OptionsValidator]
public sealed partial class PollingOptionsValidator : IValidateOptions<PollingOptions>;

/// <summary>Checks of each device that name the key, for example <c>Agent:Polling:Devices:1:Address</c>.</summary>
public sealed class DeviceOptionsValidator : IValidateOptions<PollingOptions>
{
    public ValidateOptionsResult Validate(string? name, PollingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < options.Devices.Count; i++)
        {
            DeviceOptions d = options.Devices[i];
            string key = string.Create(CultureInfo.InvariantCulture, $"{PollingOptions.Section}:Devices:{i}");
            if (string.IsNullOrWhiteSpace(d.Name))
            {
                failures.Add($"{key}:Name: a device needs a name");
            }
            else if (!names.Add(d.Name))
            {
                failures.Add($"{key}:Name: '{d.Name}' is used by two devices");
            }

            if (!TryParseEndPoint(d.Address, out _))
            {
                failures.Add($"{key}:Address: '{d.Address}' is not an IP address with an optional port (host:port)");
            }

            if (d.TimeoutMs is < 100 or > 60_000)
            {
                failures.Add($"{key}:TimeoutMs: must be 100 to 60000, not {d.TimeoutMs}");
            }

            if (d.Retries is < 0 or > 10)
            {
                failures.Add($"{key}:Retries: must be 0 to 10, not {d.Retries}");
            }

            if (d.CommittedRateMbps is < 1 or > 1_000_000)
            {
                failures.Add($"{key}:CommittedRateMbps: must be 1 to 1000000, not {d.CommittedRateMbps}");
            }

            if (d.Version == DeviceSnmpVersion.V2c && string.IsNullOrEmpty(d.Community))
            {
                failures.Add($"{key}:Community: v2c needs a community");
            }

            if (d.Version == DeviceSnmpVersion.V3)
            {
                try
                {
                    _ = UserOf(d.V3);
                }
                catch (ArgumentException ex)
                {
                    failures.Add($"{key}:V3: {ex.Message}");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The SNMP target of a device (the options validated).</summary>
    public static SnmpTarget TargetOf(DeviceOptions device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (!TryParseEndPoint(device.Address, out IPEndPoint? endPoint))
        {
            throw new ArgumentException($"'{device.Address}' is not host:port", nameof(device));
        }

        return new SnmpTarget(endPoint)
        {
            Version = device.Version == DeviceSnmpVersion.V3 ? SnmpVersion.V3 : SnmpVersion.V2c,
            Community = device.Community,
            User = device.Version == DeviceSnmpVersion.V3 ? UserOf(device.V3) : null,
            Timeout = TimeSpan.FromMilliseconds(device.TimeoutMs),
            Retries = device.Retries,
        };
    }

    public static bool TryParseEndPoint(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPEndPoint? endPoint)
    {
        endPoint = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (IPAddress.TryParse(text, out IPAddress? bare))
        {
            endPoint = new IPEndPoint(bare, 161);
            return true;
        }

        return IPEndPoint.TryParse(text, out endPoint) && endPoint.Port != 0;
    }

    private static UsmUser UserOf(V3UserOptions? v3)
    {
        if (v3 is null || string.IsNullOrEmpty(v3.User))
        {
            throw new ArgumentException("v3 needs V3:User (and its protocols and pass phrases)");
        }

        bool noAuth = string.Equals(v3.AuthProtocol, "None", StringComparison.OrdinalIgnoreCase);
        bool noPriv = string.Equals(v3.PrivProtocol, "None", StringComparison.OrdinalIgnoreCase);
        if (noAuth)
        {
            return noPriv ? UsmUser.NoAuthNoPriv(v3.User) : throw new ArgumentException("privacy needs authentication (RFC 3414 section 3.1.1)");
        }

        AuthProtocol auth = AuthProtocols.Parse(v3.AuthProtocol);
        return noPriv
            ? UsmUser.AuthNoPriv(v3.User, auth, v3.AuthPassword)
            : UsmUser.AuthPriv(v3.User, auth, v3.AuthPassword, PrivProtocols.Parse(v3.PrivProtocol), v3.PrivPassword);
    }
}
