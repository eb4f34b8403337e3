using System.Globalization;
using System.Text.Json;
using System.Data.Common;
using System.Text.RegularExpressions;
using Dapper;
using FluentMigrator;
using Network.Noc.Ingest;
using Network.Storage;

namespace Network.Noc.Inventory;

/// <summary>A site or device that cannot be stored, with the reason naming the field.</summary>
public sealed class InventoryException(string message) : Exception(message);

/// <summary>Sites and their devices (in files made before FluentMigrator: the "inventory" feature at version 1).</summary>
[Migration(2026120720, "NOC inventory")]
public sealed class InventoryTables : ServiceMigration
{
    public override void Up()
    {
        CreateTableIfAbsent("sites")?
            .WithColumn("id").AsString().NotNullable().PrimaryKey()
            .WithColumn("name").AsString().NotNullable()
            .WithColumn("kind").AsString().NotNullable()
            .WithColumn("commune").AsString().NotNullable()
            .WithColumn("address").AsString().NotNullable()
            .WithColumn("latitude").AsDouble().NotNullable()
            .WithColumn("longitude").AsDouble().NotNullable()
            .WithColumn("lifecycle").AsString().NotNullable()
            .WithColumn("planned_on").AsString().Nullable()
            .WithColumn("installed_on").AsString().Nullable()
            .WithColumn("retired_on").AsString().Nullable()
            .WithColumn("committed_mbps").AsInt32().Nullable();
        CreateTableIfAbsent("devices")?
            .WithColumn("site_id").AsString().NotNullable().PrimaryKey().ForeignKey("devices_site", "sites", "id").OnDelete(System.Data.Rule.Cascade)
            .WithColumn("name").AsString().NotNullable().PrimaryKey()
            .WithColumn("role").AsString().NotNullable()
            .WithColumn("parent").AsString().Nullable()
            .WithColumn("first_seen_ms").AsInt64().NotNullable();
    }
}

/// <summary>
/// Sites and their devices, in the NOC's database, with an in-memory copy that ingest and the status engine read
/// without touching the disk (a few thousand rows at most; rebuilt after every change).
/// </summary>
public sealed partial class InventoryService(ServiceDatabase database, TimeProvider time) : IKnownSites
{
    /// <summary>The inventory's tables on the NOC's database (in files made before FluentMigrator: "inventory" at version 1).</summary>
    public static readonly DatabaseFeature Feature = new(typeof(InventoryTables).Assembly, "inventory", 1);

    private volatile Dictionary<string, Site> _sites = new(StringComparer.Ordinal);

    /// <summary>Every site by id, as of the last change.</summary>
    public IReadOnlyDictionary<string, Site> Sites => _sites;

    /// <summary>A site by id, or null.</summary>
    public Site? Find(string id) => _sites.GetValueOrDefault(id);

    public bool IsKnown(string siteId) => _sites.ContainsKey(siteId);

    /// <summary>Reads the tables into memory.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        _sites = await database.ReadAsync(connection => ReadAllAsync(connection, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds the sites of a seed file that are not there yet (by id); returns how many were added.</summary>
    public async Task<int> SeedAsync(string path, CancellationToken cancellationToken)
    {
        SeedFile? file;
        try
        {
            await using FileStream stream = File.OpenRead(path);
            file = await JsonSerializer.DeserializeAsync(stream, InventoryJsonContext.Default.SeedFile, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new InventoryException($"{path}: {ex.Message}");
        }

        if (file?.Sites is null)
        {
            throw new InventoryException($"{path}: no \"sites\" list");
        }

        var sites = new List<Site>();
        foreach (SeedSite seed in file.Sites)
        {
            sites.Add(Validate(seed.ToSite(), $"{path}: site '{seed.Id}'"));
        }

        int added = await database.WriteAsync(async (connection, transaction) =>
        {
            int count = 0;
            foreach (Site site in sites)
            {
                if (await InsertAsync(connection, transaction, site, replace: false, cancellationToken).ConfigureAwait(false))
                {
                    count++;
                }
            }

            return count;
        }, cancellationToken).ConfigureAwait(false);
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return added;
    }

    /// <summary>Creates or replaces a site (its devices included).</summary>
    public async Task<Site> SaveAsync(Site site, CancellationToken cancellationToken)
    {
        site = Validate(site, $"site '{site.Id}'");
        await database.WriteAsync((connection, transaction) => InsertAsync(connection, transaction, site, replace: true, cancellationToken), cancellationToken).ConfigureAwait(false);
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return _sites[site.Id];
    }

    /// <summary>
    /// The rollout plan's seam into the inventory: runs <paramref name="write"/> (the plan's own rows) and stores the sites
    /// it returns (new planned sites, or sites whose lifecycle the plan moved; validated, created or replaced) in the same
    /// transaction, then reloads. So a plan change and its sites are stored together or not at all.
    /// </summary>
    public async Task<T> SaveWithAsync<T>(Func<DbConnection, DbTransaction, Task<(T Result, IReadOnlyList<Site> Sites)>> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        T result = await database.WriteAsync(async (connection, transaction) =>
        {
            (T value, IReadOnlyList<Site> sites) = await write(connection, transaction).ConfigureAwait(false);
            foreach (Site site in sites)
            {
                await InsertAsync(connection, transaction, Validate(site, $"site '{site.Id}'"), replace: true, cancellationToken).ConfigureAwait(false);
            }

            return value;
        }, cancellationToken).ConfigureAwait(false);
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Makes sure an agent's device is known at its site: a new one becomes the site's uplink when it has none, else
    /// an access device behind the uplink. False when the site does not exist.
    /// </summary>
    public async Task<bool> EnsureDeviceAsync(string siteId, string device, CancellationToken cancellationToken)
    {
        if (Find(siteId) is not Site site)
        {
            return false;
        }

        if (site.Devices.Any(d => d.Name == device))
        {
            return true;
        }

        string? uplink = site.Uplink?.Name;
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        // Another node may register the same device at once: the key keeps one row, and both answer that it is known.
        await database.WriteAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO devices (site_id, name, role, parent, first_seen_ms) VALUES (@siteId, @device, @role, @uplink, @now)
            ON CONFLICT DO NOTHING
            """, new { siteId, device, role = uplink is null ? DeviceRoles.Uplink : DeviceRoles.Access, uplink, now }, transaction,
            cancellationToken: cancellationToken)), cancellationToken).ConfigureAwait(false);
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Checks every field, naming the first that is wrong.</summary>
    public static Site Validate(Site site, string where)
    {
        ArgumentNullException.ThrowIfNull(site);
        if (site.Id is null || !IdPattern().IsMatch(site.Id))
        {
            throw new InventoryException($"{where}: id must be 1 to 64 lower-case letters, digits and dashes");
        }

        if (string.IsNullOrWhiteSpace(site.Name) || site.Name.Length > 200)
        {
            throw new InventoryException($"{where}: name must be 1 to 200 characters");
        }

        if (!SiteKinds.All.Contains(site.Kind))
        {
            throw new InventoryException($"{where}: kind must be one of {string.Join(", ", SiteKinds.All)}");
        }

        if (site.Commune is null || !Communes.IsKnown(site.Commune))
        {
            throw new InventoryException($"{where}: commune must be one of the 19 municipalities ({string.Join(", ", Communes.All)})");
        }

        if (!Lifecycles.All.Contains(site.Lifecycle))
        {
            throw new InventoryException($"{where}: lifecycle must be one of {string.Join(", ", Lifecycles.All)}");
        }

        if (site.Latitude is < -90 or > 90 || site.Longitude is < -180 or > 180 || double.IsNaN(site.Latitude) || double.IsNaN(site.Longitude))
        {
            throw new InventoryException($"{where}: latitude and longitude must be WGS 84 degrees");
        }

        if (site.CommittedMbps is <= 0)
        {
            throw new InventoryException($"{where}: committedMbps must be positive");
        }

        var devices = site.Devices ?? [];
        foreach (Device device in devices)
        {
            if (device.Name is null || !IdPattern().IsMatch(device.Name) || device.Role is not (DeviceRoles.Uplink or DeviceRoles.Access))
            {
                throw new InventoryException($"{where}: device '{device.Name}' needs a name like an id and role uplink or access");
            }
        }

        if (devices.Count(d => d.Role == DeviceRoles.Uplink) > 1)
        {
            throw new InventoryException($"{where}: at most one uplink device");
        }

        string? uplink = devices.FirstOrDefault(d => d.Role == DeviceRoles.Uplink)?.Name;
        return site with
        {
            Address = site.Address ?? "",
            Devices = [.. devices.Select(d => d with { Site = site.Id, Parent = d.Role == DeviceRoles.Uplink ? null : d.Parent ?? uplink })],
        };
    }

    private async Task<bool> InsertAsync(DbConnection connection, DbTransaction transaction, Site site, bool replace, CancellationToken cancellationToken)
    {
        const string insert = """
            INSERT INTO sites (id, name, kind, commune, address, latitude, longitude, lifecycle, planned_on, installed_on, retired_on, committed_mbps)
            VALUES (@Id, @Name, @Kind, @Commune, @Address, @Latitude, @Longitude, @Lifecycle, @PlannedOn, @InstalledOn, @RetiredOn, @CommittedMbps)
            """;
        int written = await connection.ExecuteAsync(new CommandDefinition(replace
            ? insert + """

              ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, commune = excluded.commune,
                address = excluded.address, latitude = excluded.latitude, longitude = excluded.longitude, lifecycle = excluded.lifecycle,
                planned_on = excluded.planned_on, installed_on = excluded.installed_on, retired_on = excluded.retired_on,
                committed_mbps = excluded.committed_mbps
              """
            : insert + " ON CONFLICT DO NOTHING",
            new
            {
                site.Id, site.Name, site.Kind, site.Commune, site.Address, site.Latitude, site.Longitude, site.Lifecycle,
                PlannedOn = Date(site.PlannedOn), InstalledOn = Date(site.InstalledOn), RetiredOn = Date(site.RetiredOn), site.CommittedMbps,
            }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (written == 0)
        {
            return false;
        }

        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO devices (site_id, name, role, parent, first_seen_ms) VALUES (@site, @Name, @Role, @Parent, @now)
            ON CONFLICT (site_id, name) DO UPDATE SET role = excluded.role, parent = excluded.parent
            """, site.Devices.Select(d => new { site = site.Id, d.Name, d.Role, d.Parent, now }), transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return true;
    }

    private static async Task<Dictionary<string, Site>> ReadAllAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var devices = new Dictionary<string, List<Device>>(StringComparer.Ordinal);
        foreach (DeviceRow row in await connection.QueryAsync<DeviceRow>(new CommandDefinition(
            "SELECT site_id AS Site, name AS Name, role AS Role, parent AS Parent FROM devices ORDER BY site_id, role DESC, name",
            cancellationToken: cancellationToken)).ConfigureAwait(false))
        {
            if (!devices.TryGetValue(row.Site, out List<Device>? list))
            {
                devices[row.Site] = list = [];
            }

            list.Add(new Device(row.Site, row.Name, row.Role, row.Parent));
        }

        var sites = new Dictionary<string, Site>(StringComparer.Ordinal);
        foreach (SiteRow row in await connection.QueryAsync<SiteRow>(new CommandDefinition("""
            SELECT id AS Id, name AS Name, kind AS Kind, commune AS Commune, address AS Address, latitude AS Latitude, longitude AS Longitude,
                lifecycle AS Lifecycle, planned_on AS PlannedOn, installed_on AS InstalledOn, retired_on AS RetiredOn, committed_mbps AS CommittedMbps
            FROM sites ORDER BY id
            """, cancellationToken: cancellationToken)).ConfigureAwait(false))
        {
            sites[row.Id] = new Site(row.Id, row.Name, row.Kind, row.Commune, row.Address, row.Latitude, row.Longitude, row.Lifecycle,
                ReadDate(row.PlannedOn), ReadDate(row.InstalledOn), ReadDate(row.RetiredOn), row.CommittedMbps, devices.GetValueOrDefault(row.Id) ?? []);
        }

        return sites;
    }

    private static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly? ReadDate(string? text) => text is null ? null : DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed class DeviceRow
    {
        public string Site { get; set; } = "";

        public string Name { get; set; } = "";

        public string Role { get; set; } = "";

        public string? Parent { get; set; }
    }

    private sealed class SiteRow
    {
        public string Id { get; set; } = "";

        public string Name { get; set; } = "";

        public string Kind { get; set; } = "";

        public string Commune { get; set; } = "";

        public string Address { get; set; } = "";

        public double Latitude { get; set; }

        public double Longitude { get; set; }

        public string Lifecycle { get; set; } = "";

        public string? PlannedOn { get; set; }

        public string? InstalledOn { get; set; }

        public string? RetiredOn { get; set; }

        public int? CommittedMbps { get; set; }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex IdPattern();
}
