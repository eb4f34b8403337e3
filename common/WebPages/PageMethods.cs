using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Routing;

namespace Network.WebPages;

/// <summary>
/// The HTTP methods of each page, on its endpoint as a minimal API's <c>MapGet</c>/<c>MapPost</c> would put them: GET, and
/// POST for the pages with a form (<paramref name="forms"/>, by page name: <c>/Login</c>). Without them a page answers
/// any method (a POST to a page without a form would render it); with them routing answers 405.
/// </summary>
public sealed class PageMethods(IReadOnlyCollection<string> forms) : IPageRouteModelConvention
{
    private static readonly HttpMethodMetadata s_get = new([HttpMethods.Get]);
    private static readonly HttpMethodMetadata s_getAndPost = new([HttpMethods.Get, HttpMethods.Post]);

    public void Apply(PageRouteModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        foreach (SelectorModel selector in model.Selectors)
        {
            selector.EndpointMetadata.Add(forms.Contains(model.ViewEnginePath, StringComparer.Ordinal) ? s_getAndPost : s_get);
        }
    }
}
