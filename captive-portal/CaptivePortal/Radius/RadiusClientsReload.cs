using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Network.Radius.Server;

namespace Network.CaptivePortal.Radius;

/// <summary>
/// Keeps the RADIUS client table in step with the configuration: on every reload the <c>Radius</c> section is bound and
/// validated again, and the table replaced when it is valid; an invalid one is logged and the running table kept.
/// </summary>
internal static partial class RadiusClientsReload
{
    public static IDisposable Follow(RadiusClientTable table, IConfiguration configuration, IOptionsFactory<RadiusOptions> factory, ILogger logger) =>
        ChangeToken.OnChange(configuration.GetReloadToken, () =>
        {
            RadiusOptions options;
            try
            {
                options = factory.Create(Options.DefaultName);
            }
            catch (OptionsValidationException ex)
            {
                LogInvalid(logger, string.Join(" ", ex.Failures));
                return;
            }

            RadiusClient[] clients = [.. RadiusExtensions.Clients(options)];
            table.Replace(clients);
            LogReplaced(logger, clients.Length, clients.Count(c => c.NextSecret is not null));
        });

    [LoggerMessage(Level = LogLevel.Information, Message = "RADIUS clients reloaded: {Clients} clients, {Changing} changing their secret")]
    private static partial void LogReplaced(ILogger logger, int clients, int changing);

    [LoggerMessage(Level = LogLevel.Error, Message = "RADIUS clients not reloaded, the configuration is invalid: {Failures}; the running clients are kept")]
    private static partial void LogInvalid(ILogger logger, string failures);
}
