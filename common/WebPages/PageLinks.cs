using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Primitives;

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
        return With(request.PathBase + request.Path, request.Query, changes);
    }

    /// <summary><paramref name="path"/> with <paramref name="query"/>, each of <paramref name="changes"/> set as in <see cref="With(HttpRequest, ValueTuple{string, string}[])"/>.</summary>
    public static string With(string path, IEnumerable<KeyValuePair<string, StringValues>> query, params (string Key, string? Value)[] changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var builder = new QueryBuilder(query.Where(q => !changes.Any(c => c.Key.Equals(q.Key, StringComparison.OrdinalIgnoreCase))));
        foreach ((string key, string? value) in changes)
        {
            if (value is not null)
            {
                builder.Add(key, value);
            }
        }

        return path + builder.ToQueryString();
    }
}
