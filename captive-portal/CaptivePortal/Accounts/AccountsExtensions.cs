using Network.Storage;
using Network.Hosting;

namespace Network.CaptivePortal.Accounts;

public static class AccountsExtensions
{
    /// <summary>
    /// The account store and its policy (<see cref="AccountService"/>), options section <c>Accounts</c>,
    /// on the portal's database (<see cref="AddPortalDatabase"/>).
    /// </summary>
    public static IHostApplicationBuilder AddAccounts(this IHostApplicationBuilder builder)
    {
        builder.AddPortalDatabase(AccountService.Feature);
        builder.Services.AddOptions<AccountsOptions>().BindConfiguration(AccountsOptions.Section)
            .ValidateOnStartNamingKeys(AccountsOptions.Section, new AccountsOptionsValidator());
        builder.Services.AddSingleton<AccountService>();
        builder.Services.AddHostedService<LastLoginWriter>();
        return builder;
    }

    /// <summary>
    /// The portal's database (key <c>ConnectionStrings:Portal</c>: a file name, default <c>portal.db</c> in
    /// <c>Storage:DataDirectory</c>, a SQLite or a PostgreSQL connection string), with <paramref name="feature"/>'s tables
    /// among those it creates or migrates at start.
    /// </summary>
    public static IHostApplicationBuilder AddPortalDatabase(this IHostApplicationBuilder builder, DatabaseFeature feature) =>
        builder.AddServiceDatabase("Portal", "portal.db", feature);
}
