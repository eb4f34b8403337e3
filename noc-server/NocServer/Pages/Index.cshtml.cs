using System.Globalization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Network.Noc.Inventory;
using Network.Noc.Reports;

namespace Network.Noc.Pages;

/// <summary>
/// The status board: the script fills the counts and the sites from the live hub. The server writes the users online of
/// every hotspot (by name), as the portals last reported them, so the figures are right before (and without) the script,
/// which keeps them live.
/// </summary>
public sealed class IndexModel(InventoryService inventory, UsageRecorder usage) : PageModel
{
    /// <summary>Every hotspot of the inventory with its users online (null: no figure yet).</summary>
    public IReadOnlyList<(Site Site, HotspotOnline? Online)> Hotspots { get; private set; } = [];

    public void OnGet()
    {
        CompareInfo compare = CultureInfo.CurrentCulture.CompareInfo;
        Hotspots = [.. inventory.Sites.Values.Where(s => SiteKinds.IsHotspot(s.Kind))
            .OrderBy(s => s.Name, Comparer<string>.Create((a, b) => compare.Compare(a, b, CompareOptions.IgnoreCase)))
            .Select(s => (s, usage.Online.TryGetValue(s.Id, out HotspotOnline online) ? online : (HotspotOnline?)null))];
    }
}
