using Microsoft.Extensions.Options;
using Network.CaptivePortal.Accounts;
using Network.Hosting;

namespace Network.CaptivePortal.Polls;

public static class PollsExtensions
{
    /// <summary>
    /// The citizens' polls (options section <c>Polls</c>) on the portal's database: the store, the pseudonyms, the sign-in,
    /// the closing job, and the account removal's part.
    /// </summary>
    public static IHostApplicationBuilder AddPolls(this IHostApplicationBuilder builder)
    {
        builder.AddPortalDatabase(PollStore.Feature);
        builder.Services.AddOptions<PollsOptions>().BindConfiguration(PollsOptions.Section)
            .ValidateOnStartNamingKeys(PollsOptions.Section, new PollsOptionsValidator());
        builder.Services.AddSingleton<PollStore>();
        builder.Services.AddSingleton<Pseudonyms>();
        builder.Services.AddSingleton<PollService>();
        builder.Services.AddSingleton<PollSignIn>();
        builder.Services.AddScoped<PollWords>();
        builder.Services.AddSingleton<IAccountRemoval, PollAccountRemoval>();
        builder.Services.AddHostedService<PollClosing>();
        return builder;
    }

    /// <summary>The management API, the public results' CSV, and the citizens' pages turned off (404) while no pseudonym key is set.</summary>
    public static WebApplication MapPolls(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(PollSignIn.CookiePath, StringComparison.OrdinalIgnoreCase)
                && context.RequestServices.GetRequiredService<IOptions<PollsOptions>>().Value.PseudonymKey.Length == 0)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
        app.MapPollsApi();
        // The public results as CSV, when the results page shows them.
        app.MapGet("/polls/{id:long}/results.csv", async (long id, PollService polls, CancellationToken cancellationToken) =>
            await polls.Store.PollAsync(id, cancellationToken).ConfigureAwait(false) is StoredPoll poll && poll.ResultsPublicAt(polls.Time.GetUtcNow())
                && await polls.ResultsAsync(id, cancellationToken).ConfigureAwait(false) is { } results
                ? Results.Text(PollService.Csv(results), "text/csv; charset=utf-8")
                : Results.NotFound());
        return app;
    }
}
