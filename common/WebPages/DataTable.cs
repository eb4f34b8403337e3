namespace Network.WebPages;

/// <summary>A column of a <c>&lt;data-table&gt;</c>: its key in <c>?sort=</c>, its heading, whether it sorts and holds numbers.</summary>
public sealed record DataColumn(string Key, string Label, bool Sortable = true, bool Numeric = false);

/// <summary>A cell: its text, and a link when it has one.</summary>
public sealed record DataCell(string Text, string? Href = null);

/// <summary>The sort a table shows: <c>?sort=COLUMN&amp;dir=asc|desc</c>.</summary>
public sealed record DataSort(string Key, bool Descending)
{
    public const string SortParameter = "sort";
    public const string DirectionParameter = "dir";

    /// <summary>
    /// The sort asked for, checked against the table's columns: an unknown or unsortable column gives
    /// <paramref name="defaultKey"/> (descending if <paramref name="defaultDescending"/>); a direction other than
    /// <c>desc</c> is ascending.
    /// </summary>
    public static DataSort Parse(string? sort, string? direction, IEnumerable<DataColumn> columns, string defaultKey, bool defaultDescending = false)
    {
        ArgumentNullException.ThrowIfNull(columns);
        DataColumn? column = columns.FirstOrDefault(c => c.Sortable && c.Key == sort);
        return column is null
            ? new DataSort(defaultKey, defaultDescending)
            : new DataSort(column.Key, direction == "desc");
    }
}
