using System.Text.Json;
using System.Text.Json.Serialization;

namespace Network.Noc.Inventory;

/// <summary>A seed file: <c>{"sites": [...]}</c>, as <c>Inventory/demo-sites.json</c>.</summary>
public sealed record SeedFile(IReadOnlyList<SeedSite>? Sites);

/// <summary>One site of a seed file; devices default to none, a school's committed rate to 100 Mbit/s.</summary>
public sealed record SeedSite(
    string Id, string Name, string Kind, string Commune, string? Address, double Latitude, double Longitude, string? Lifecycle,
    DateOnly? PlannedOn, DateOnly? InstalledOn, DateOnly? RetiredOn, int? CommittedMbps, IReadOnlyList<SeedDevice>? Devices)
{
    public Site ToSite() => new(Id, Name, Kind, Commune, Address ?? "", Latitude, Longitude, Lifecycle ?? Lifecycles.Active,
        PlannedOn, InstalledOn, RetiredOn, CommittedMbps ?? (Kind == SiteKinds.School ? 100 : null),
        [.. (Devices ?? []).Select(d => new Device(Id, d.Name, d.Role ?? DeviceRoles.Access, d.Parent))]);
}

/// <summary>One device of a seed site.</summary>
public sealed record SeedDevice(string Name, string? Role, string? Parent);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(SeedFile))]
internal sealed partial class InventoryJsonContext : JsonSerializerContext;
