using Network.Contracts;
using Network.Noc.Ingest;
using Network.Noc.TimeSeries;

namespace Network.Noc.Inventory;

/// <summary>
/// Registers the devices agents report that a site in the inventory does not list yet (<see cref="InventoryService.EnsureDeviceAsync"/>),
/// from every stored batch; the uplink probes' pseudo-device counts as the site's uplink when it has one. Registered before the
/// status feature, so a new device is in the inventory before its first readings are judged. The portal's figures are the
/// hotspot's (<see cref="MetricNames.IsHotspotFigure"/>), whatever device name they came with: they make no device.
/// </summary>
public sealed class DeviceRegistration(InventoryService inventory) : IIngestObserver
{
    public async ValueTask OnStoredAsync(IReadOnlyList<IngestWork> batches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batches);
        List<(string Site, string Device)>? unknown = null;
        HashSet<(string, string)>? checkedDevices = null;
        foreach (IngestWork batch in batches)
        {
            Find(batch.PointSpan, ref checkedDevices, ref unknown);
        }

        foreach ((string site, string device) in unknown ?? [])
        {
            await inventory.EnsureDeviceAsync(site, device, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One pass over points (a batch names a site or device with one string, so a change is mostly a reference compare).</summary>
    private void Find(ReadOnlySpan<SeriesPoint> points, ref HashSet<(string, string)>? checkedDevices, ref List<(string Site, string Device)>? unknown)
    {
        string? lastSite = null, lastDevice = null;
        Site? site = null;
        foreach (ref readonly SeriesPoint point in points)
        {
            SeriesKey key = point.Key;
            if (!ReferenceEquals(key.Site, lastSite) && key.Site != lastSite)
            {
                lastSite = key.Site;
                lastDevice = null;
                site = inventory.Find(key.Site);
            }

            if (site is not null && !ReferenceEquals(key.Device, lastDevice) && key.Device != lastDevice && !MetricNames.IsHotspotFigure(key.Metric))
            {
                lastDevice = key.Device;
                if ((checkedDevices ??= []).Add((site.Id, key.Device)) && !site.Devices.Any(d => d.Name == key.Device)
                    && !(key.Device == DeviceNames.UplinkProbe && site.Uplink is not null))
                {
                    (unknown ??= []).Add((site.Id, key.Device));
                }
            }
        }
    }
}
