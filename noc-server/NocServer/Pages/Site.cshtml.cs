using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Network.Noc.Pages;

/// <summary>A site's page: the script finds the site by the id in the address (a site not in the inventory says so).</summary>
public sealed class SiteModel : PageModel
{
    public string Id { get; private set; } = "";

    public IActionResult OnGet(string id)
    {
        if (id.Length is 0 or > 128 || id.Any(char.IsControl))
        {
            return NotFound();
        }

        Id = id;
        return Page();
    }
}
