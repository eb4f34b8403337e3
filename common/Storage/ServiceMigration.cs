using FluentMigrator;
using FluentMigrator.Builders.Create.Table;

namespace Network.Storage;

/// <summary>
/// A migration of a service's relational tables (FluentMigrator), written once for SQLite and PostgreSQL: the
/// expression API where the engines agree, <see cref="Engine"/> where they differ.
/// </summary>
public abstract class ServiceMigration : Migration
{
    /// <summary>The engine this migration is running against.</summary>
    protected DatabaseEngine Engine => ServiceDatabase.EngineOf(ConnectionString);

    /// <summary>
    /// Text compared without regard to case (user names), in equality, uniqueness and order: <c>TEXT COLLATE NOCASE</c>
    /// on SQLite; on PostgreSQL <c>text</c> with a nondeterministic ICU collation at secondary strength (made by
    /// <see cref="EnsureCaseInsensitiveText"/>), which a plain text parameter compares through, unlike <c>citext</c>.
    /// </summary>
    protected string CaseInsensitiveText => Engine == DatabaseEngine.PostgreSql ? "text COLLATE case_insensitive" : "TEXT COLLATE NOCASE";

    /// <summary>On PostgreSQL, the collation <see cref="CaseInsensitiveText"/> names.</summary>
    protected void EnsureCaseInsensitiveText()
    {
        if (Engine == DatabaseEngine.PostgreSql)
        {
            Execute.Sql("CREATE COLLATION IF NOT EXISTS case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false);");
        }
    }

    /// <summary>
    /// Creates a table unless it exists: the first migration of a feature that existed before FluentMigrator (files made
    /// then already have its tables).
    /// </summary>
    protected ICreateTableWithColumnSyntax? CreateTableIfAbsent(string name) => Schema.Table(name).Exists() ? null : Create.Table(name);

    /// <summary>Migrations are not undone: a release that needs a table gone removes it in a migration of its own.</summary>
    public override void Down() => throw new NotSupportedException("the service's tables are only migrated forward");
}
