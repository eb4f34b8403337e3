using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;

namespace Network.WebPages;

/// <summary>Links to the current page with some query parameters changed, the others kept as they were.</summary>
public static class PageLinks
{
    /// <summary>
    /// The request's path and query with each of <paramref name="changes"/> set (a null value removes the parameter),
    /// compared without case: <c>With(request, ("sort", "name"), ("page", null))</c>.
    /// </summary>
    public static string With(HttpRequest request, params (string Key, string? Value)[] changes)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(changes);
        var query = new QueryBuilder(request.Query.Where(q => !changes.Any(c => c.Key.Equals(q.Key, StringComparison.OrdinalIgnoreCase))));
        foreach ((string key, string? value) in changes)
        {
            if (value is not null)
            {
                query.Add(key, value);
            }
        }

        return request.PathBase + request.Path + query.ToQueryString();
    }
}
