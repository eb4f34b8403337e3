namespace Network.WebPages;

/// <summary>Which page of a list a request asks for (<c>?page=N</c>, from 1), and how many pages there are.</summary>
public sealed record Pagination(int Page, int PageCount)
{
    public const string PageParameter = "page";

    /// <summary>
    /// The page asked for, within 1..pages (a missing, unreadable or out-of-range number gives the nearest page), for
    /// <paramref name="total"/> items shown <paramref name="pageSize"/> a page.
    /// </summary>
    public static Pagination Parse(string? page, int total, int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        int pages = Math.Max(1, (int)((total + (long)pageSize - 1) / pageSize));
        int asked = int.TryParse(page, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) ? n : 1;
        return new Pagination(Math.Clamp(asked, 1, pages), pages);
    }

    /// <summary>How many items come before this page.</summary>
    public int Skip(int pageSize) => (Page - 1) * pageSize;
}
