using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Network.Noc.Ingest;
using Network.Storage;

namespace Network.Noc.Inventory;

/// <summary>A site or device that cannot be stored, with the reason naming the field.</summary>
public sealed class InventoryException(string message) : Exception(message);

/// <summary>
/// Sites and their devices, in the NOC's SQLite file, with an in-memory copy that ingest and the status engine read
/// without touching the disk (a few thousand rows at most; rebuilt after every change).
/// </summary>
public sealed partial class InventoryService(SqliteDatabase database, TimeProvider time) : IKnownSites
{
    public static readonly SqliteSchema Schema = new("inventory",
    [
        """
        CREATE TABLE sites (
            id TEXT NOT NULL PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            commune TEXT NOT NULL,
            address TEXT NOT NULL,
            latitude REAL NOT NULL,
            longitude REAL NOT NULL,
            lifecycle TEXT NOT NULL,
            planned_on TEXT,
            installed_on TEXT,
            retired_on TEXT,
            committed_mbps INTEGER
        ) STRICT;
        CREATE TABLE devices (
            site_id TEXT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            role TEXT NOT NULL,
            parent TEXT,
            first_seen_ms INTEGER NOT NULL,
            PRIMARY KEY (site_id, name)
        ) STRICT;
        """,
    ]);

    private volatile Dictionary<string, Site> _sites = new(StringComparer.Ordinal);

    /// <summary>Every site by id, as of the last change.</summary>
    public IReadOnlyDictionary<string, Site> Sites => _sites;

    /// <summary>A site by id, or null.</summary>
    public Site? Find(string id) => _sites.GetValueOrDefault(id);

    public bool IsKnown(string siteId) => _sites.ContainsKey(siteId);

    /// <summary>Reads the tables into memory.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        _sites = await database.ReadAsync(ReadAll, cancellationToken).ConfigureAwait(false);
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

        int added = await database.WriteAsync((connection, transaction) =>
        {
            int count = 0;
            foreach (Site site in sites)
            {
                if (Insert(connection, transaction, site, replace: false))
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
        await database.WriteAsync((connection, transaction) => Insert(connection, transaction, site, replace: true), cancellationToken).ConfigureAwait(false);
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        return _sites[site.Id];
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
        await database.WriteAsync((connection, transaction) =>
        {
            using SqliteCommand command = SqliteDatabase.Command(connection, transaction, """
                INSERT INTO devices (site_id, name, role, parent, first_seen_ms) VALUES ($site, $name, $role, $parent, $now)
                ON CONFLICT DO NOTHING;
                """);
            command.Parameters.AddWithValue("$site", siteId);
            command.Parameters.AddWithValue("$name", device);
            command.Parameters.AddWithValue("$role", uplink is null ? DeviceRoles.Uplink : DeviceRoles.Access);
            command.Parameters.AddWithValue("$parent", (object?)uplink ?? DBNull.Value);
            command.Parameters.AddWithValue("$now", now);
            return command.ExecuteNonQuery();
        }, cancellationToken).ConfigureAwait(false);
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

    private bool Insert(SqliteConnection connection, SqliteTransaction transaction, Site site, bool replace)
    {
        using SqliteCommand command = SqliteDatabase.Command(connection, transaction, replace
            ? """
              INSERT INTO sites VALUES ($id, $name, $kind, $commune, $address, $lat, $lon, $lifecycle, $planned, $installed, $retired, $committed)
              ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, commune = excluded.commune,
                address = excluded.address, latitude = excluded.latitude, longitude = excluded.longitude, lifecycle = excluded.lifecycle,
                planned_on = excluded.planned_on, installed_on = excluded.installed_on, retired_on = excluded.retired_on,
                committed_mbps = excluded.committed_mbps;
              """
            : "INSERT INTO sites VALUES ($id, $name, $kind, $commune, $address, $lat, $lon, $lifecycle, $planned, $installed, $retired, $committed) ON CONFLICT DO NOTHING;");
        command.Parameters.AddWithValue("$id", site.Id);
        command.Parameters.AddWithValue("$name", site.Name);
        command.Parameters.AddWithValue("$kind", site.Kind);
        command.Parameters.AddWithValue("$commune", site.Commune);
        command.Parameters.AddWithValue("$address", site.Address);
        command.Parameters.AddWithValue("$lat", site.Latitude);
        command.Parameters.AddWithValue("$lon", site.Longitude);
        command.Parameters.AddWithValue("$lifecycle", site.Lifecycle);
        command.Parameters.AddWithValue("$planned", Date(site.PlannedOn));
        command.Parameters.AddWithValue("$installed", Date(site.InstalledOn));
        command.Parameters.AddWithValue("$retired", Date(site.RetiredOn));
        command.Parameters.AddWithValue("$committed", (object?)site.CommittedMbps ?? DBNull.Value);
        if (command.ExecuteNonQuery() == 0)
        {
            return false;
        }

        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (Device device in site.Devices)
        {
            using SqliteCommand insert = SqliteDatabase.Command(connection, transaction, """
                INSERT INTO devices (site_id, name, role, parent, first_seen_ms) VALUES ($site, $name, $role, $parent, $now)
                ON CONFLICT (site_id, name) DO UPDATE SET role = excluded.role, parent = excluded.parent;
                """);
            insert.Parameters.AddWithValue("$site", site.Id);
            insert.Parameters.AddWithValue("$name", device.Name);
            insert.Parameters.AddWithValue("$role", device.Role);
            insert.Parameters.AddWithValue("$parent", (object?)device.Parent ?? DBNull.Value);
            insert.Parameters.AddWithValue("$now", now);
            insert.ExecuteNonQuery();
        }

        return true;
    }

    private static Dictionary<string, Site> ReadAll(SqliteConnection connection)
    {
        var devices = new Dictionary<string, List<Device>>(StringComparer.Ordinal);
        using (SqliteCommand command = SqliteDatabase.Command(connection, null, "SELECT site_id, name, role, parent FROM devices ORDER BY site_id, role DESC, name;"))
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                string site = reader.GetString(0);
                if (!devices.TryGetValue(site, out List<Device>? list))
                {
                    devices[site] = list = [];
                }

                list.Add(new Device(site, reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
            }
        }

        var sites = new Dictionary<string, Site>(StringComparer.Ordinal);
        using (SqliteCommand command = SqliteDatabase.Command(connection, null, "SELECT * FROM sites ORDER BY id;"))
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                string id = reader.GetString(0);
                sites[id] = new Site(id, reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.GetDouble(5), reader.GetDouble(6), reader.GetString(7), ReadDate(reader, 8), ReadDate(reader, 9), ReadDate(reader, 10),
                    reader.IsDBNull(11) ? null : reader.GetInt32(11), devices.GetValueOrDefault(id) ?? []);
            }
        }

        return sites;
    }

    private static object Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? (object)DBNull.Value;

    private static DateOnly? ReadDate(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateOnly.ParseExact(reader.GetString(ordinal), "yyyy-MM-dd", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex IdPattern();
}
