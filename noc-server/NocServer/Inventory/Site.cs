namespace Network.Noc.Inventory;

/// <summary>The nineteen municipalities of the Brussels-Capital Region, by their Dutch names.</summary>
public static class Communes
{
    public static readonly IReadOnlyList<string> All =
    [
        "Anderlecht", "Brussel", "Elsene", "Etterbeek", "Evere", "Ganshoren", "Jette", "Koekelberg", "Oudergem",
        "Schaarbeek", "Sint-Agatha-Berchem", "Sint-Gillis", "Sint-Jans-Molenbeek", "Sint-Joost-ten-Node",
        "Sint-Lambrechts-Woluwe", "Sint-Pieters-Woluwe", "Ukkel", "Vorst", "Watermaal-Bosvoorde",
    ];

    public static bool IsKnown(string commune) => All.Contains(commune, StringComparer.Ordinal);
}

/// <summary>What a site is.</summary>
public static class SiteKinds
{
    public const string HotspotIndoor = "hotspot-indoor";
    public const string HotspotOutdoor = "hotspot-outdoor";
    public const string School = "school";

    public static readonly IReadOnlyList<string> All = [HotspotIndoor, HotspotOutdoor, School];

    /// <summary>A hotspot (indoor or outdoor): a site with the captive portal, whose figures the portal reports.</summary>
    public static bool IsHotspot(string kind) => kind is HotspotIndoor or HotspotOutdoor;
}

/// <summary>Where a site is in its life.</summary>
public static class Lifecycles
{
    public const string Planned = "planned";
    public const string Installing = "installing";
    public const string Active = "active";
    public const string Retired = "retired";

    public static readonly IReadOnlyList<string> All = [Planned, Installing, Active, Retired];
}

/// <summary>What a device does at its site: the <c>uplink</c> router carries the site; <c>access</c> devices sit behind it.</summary>
public static class DeviceRoles
{
    public const string Uplink = "uplink";
    public const string Access = "access";
}

/// <summary>A device of a site. <see cref="Parent"/> names the device it reaches the network through (null for the uplink).</summary>
public sealed record Device(string Site, string Name, string Role, string? Parent);

/// <summary>A hotspot or a school with its place and its life; <see cref="CommittedMbps"/> is the rate the link must give (schools).</summary>
public sealed record Site(
    string Id,
    string Name,
    string Kind,
    string Commune,
    string Address,
    double Latitude,
    double Longitude,
    string Lifecycle,
    DateOnly? PlannedOn,
    DateOnly? InstalledOn,
    DateOnly? RetiredOn,
    int? CommittedMbps,
    IReadOnlyList<Device> Devices)
{
    /// <summary>The device that carries the site, when it has one.</summary>
    public Device? Uplink => Devices.FirstOrDefault(d => d.Role == DeviceRoles.Uplink);
}
