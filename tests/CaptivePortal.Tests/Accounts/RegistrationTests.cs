using Network.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Network.CaptivePortal.Accounts;
using Network.CaptivePortal.Sessions;
using Network.ServiceDefaults;
using Network.TestSupport;
using Network.Radius.Dictionary;

namespace Network.CaptivePortal.Tests.Accounts;

public class RegistrationTests
{
    [Fact]
    public async Task AddAccounts_and_AddSessions_share_one_file_in_the_data_folder_and_report_ready()
    {
        using var data = new TempFolder("portal-registration");
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.Configuration["Storage:DataDirectory"] = data.FullPath;
        builder.AddServiceDefaults();
        builder.AddAccounts();
        builder.AddSessions();
        await using WebApplication app = builder.Build();

        ServiceDatabase database = app.Services.GetRequiredService<ServiceDatabase>();
        Assert.Same(database, app.Services.GetRequiredService<ServiceDatabase>());
        Assert.Equal(Path.Combine(data.FullPath, "portal.db"), database.FilePath);
        HealthReport report = await app.Services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(check => check.Tags.Contains(ServiceDefaultsExtensions.ReadyTag));
        Assert.Equal(HealthStatus.Healthy, report.Entries["portal-database"].Status);
        Assert.Equal(AccountChangeResult.Done, await app.Services.GetRequiredService<AccountService>().CreateAsync("tina", "Sint-Gorikshallen"));
        Assert.Equal(AccountingOutcome.Recorded, await app.Services.GetRequiredService<SessionStore>().RecordAsync(
            new AccountingRecord { StatusType = AcctStatusType.Start, AcctSessionId = "s1", NasIdentifier = "beursplein" }));
        Assert.True(File.Exists(Path.Combine(data.FullPath, "portal.db")));
    }

    [Fact]
    public async Task ConnectionStrings_Portal_names_the_file()
    {
        using var data = new TempFolder("portal-registration");
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.Configuration["Storage:DataDirectory"] = data.FullPath;
        builder.Configuration["ConnectionStrings:Portal"] = $"Data Source={data.PathOf("elsewhere.db")}";
        builder.AddServiceDefaults();
        builder.AddAccounts();
        await using WebApplication app = builder.Build();

        Assert.Equal(data.PathOf("elsewhere.db"), app.Services.GetRequiredService<ServiceDatabase>().FilePath);
    }

    [Theory]
    [InlineData("Accounts:MaxFailuresPerUser", "0")]
    [InlineData("Accounts:LockoutPeriod", "00:00:00")]
    [InlineData("Sessions:StaleAfterIntervals", "0")]
    [InlineData("Sessions:InterimInterval", "00:00:10")]
    public void A_bad_setting_is_named_by_its_key(string key, string value)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.Configuration[key] = value;
        builder.AddAccounts();
        builder.AddSessions();
        using ServiceProvider services = builder.Services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() =>
        {
            _ = services.GetRequiredService<IOptions<AccountsOptions>>().Value;
            _ = services.GetRequiredService<IOptions<SessionsOptions>>().Value;
        });
        Assert.StartsWith(key + ":", Assert.Single(error.Failures), StringComparison.Ordinal);
    }
}
