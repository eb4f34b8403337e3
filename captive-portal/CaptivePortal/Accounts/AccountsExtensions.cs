using Network.Storage;
using Network.Hosting;

namespace Network.CaptivePortal.Accounts;

public static class AccountsExtensions
{
    /// <summary>
    /// The account store and its policy (<see cref="AccountService"/>), options section <c>Accounts</c>,
    /// on the portal's SQLite file (<see cref="AddSqliteDatabase"/>).
    /// </summary>
    public static IHostApplicationBuilder AddAccounts(this IHostApplicationBuilder builder)
    {
        builder.AddSqliteDatabase(AccountService.Schema);
        builder.Services.AddOptions<AccountsOptions>().BindConfiguration(AccountsOptions.Section)
            .ValidateOnStartNamingKeys(AccountsOptions.Section, new AccountsOptionsValidator());
        builder.Services.AddSingleton<AccountService>();
        builder.Services.AddHostedService<LastLoginWriter>();
        return builder;
    }

    /// <summary>
    /// The portal's SQLite file (key <c>ConnectionStrings:Portal</c>, default <c>portal.db</c> in <c>Storage:DataDirectory</c>),
    /// with <paramref name="schema"/> among the tables it creates or migrates at start.
    /// </summary>
    public static IHostApplicationBuilder AddSqliteDatabase(this IHostApplicationBuilder builder, SqliteSchema schema) =>
        builder.AddSqliteDatabase("Portal", "portal.db", schema);
}
