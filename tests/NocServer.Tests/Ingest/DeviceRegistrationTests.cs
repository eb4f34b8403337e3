using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Network.Contracts;
using Network.Noc.Inventory;

namespace Network.Noc.Tests.Ingest;

/// <summary>The inventory registers the devices agents report on its own observation of stored batches.</summary>
public sealed class DeviceRegistrationTests
{
    [Fact]
    public async Task A_device_a_site_does_not_list_is_registered_behind_its_uplink_and_the_probes_pseudo_device_is_not()
    {
        await using NocHost noc = await NocHost.StartAsync();
        using HttpResponseMessage first = await noc.IngestAsync(NocHost.Batch(1,
            NocHost.Reading(MetricNames.DeviceReachable, 1, device: "hs-beursplein-ap7"),
            NocHost.Reading(MetricNames.ProbeUp, 1, device: DeviceNames.UplinkProbe)));
        // One writer: the first batch's observers have all returned before the second batch is stored and answered.
        using HttpResponseMessage second = await noc.IngestAsync(NocHost.Batch(2, NocHost.Reading(MetricNames.DeviceReachable, 1)));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Site site = noc.Factory.Services.GetRequiredService<InventoryService>().Find(NocHost.Site)!;
        Assert.Equal(["hs-beursplein", "hs-beursplein-ap7"], site.Devices.Select(d => d.Name).Order(StringComparer.Ordinal));
        Device ap = site.Devices.Single(d => d.Name == "hs-beursplein-ap7");
        Assert.Equal((DeviceRoles.Access, "hs-beursplein"), (ap.Role, ap.Parent));
    }
}
