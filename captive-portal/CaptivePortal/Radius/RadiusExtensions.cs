using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Network.CaptivePortal.Sessions;
using Network.Hosting;
using Network.Radius.Server;
using Network.Radius.Transport;

namespace Network.CaptivePortal.Radius;

public static class RadiusExtensions
{
    /// <summary>The RADIUS server (authentication, accounting, Status-Server), options section <c>Radius</c>.</summary>
    public static IHostApplicationBuilder AddRadius(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RadiusOptions>().BindConfiguration(RadiusOptions.Section)
            .ValidateOnStartNamingKeys(RadiusOptions.Section, new RadiusOptionsValidator());
        builder.Services.AddSingleton<IValidateOptions<RadiusOptions>, RadiusClientsValidator>();
        builder.Services.AddRadiusClients();
        builder.Services.AddSingleton<PortalRadiusHandler>();
        builder.Services.AddSingleton<RadiusHost>();
        builder.Services.AddHostedService(services => services.GetRequiredService<RadiusHost>());
        return builder;
    }

    /// <summary>
    /// The NAS clients of <c>Radius:Clients</c> as one <see cref="RadiusClientTable"/>, shared by the RADIUS server and the
    /// session policy (which sends Disconnect-Requests with their secrets), and replaced when the configuration is
    /// reloaded (SIGHUP, or a changed file) with clients that pass validation: a gateway added, a secret changing
    /// (<see cref="RadiusClientOptions.NextSecret"/>), without a restart; the session policy sees them as
    /// <see cref="ISessionGateways"/>. Registered by <see cref="AddRadius"/> and by
    /// whatever else needs the table; the first registration wins.
    /// </summary>
    public static IServiceCollection AddRadiusClients(this IServiceCollection services)
    {
        services.TryAddSingleton<ISessionGateways, RadiusGateways>();
        services.TryAddSingleton(provider =>
        {
            var table = new RadiusClientTable(Clients(provider.GetRequiredService<IOptions<RadiusOptions>>().Value));
            RadiusClientsReload.Follow(table, provider.GetRequiredService<IConfiguration>(), provider.GetRequiredService<IOptionsFactory<RadiusOptions>>(),
                provider.GetRequiredService<ILogger<RadiusClientTable>>());
            return table;
        });
        return services;
    }

    internal static IEnumerable<RadiusClient> Clients(RadiusOptions options) => options.Clients.Select(c =>
        new RadiusClient(c.Name, c.Address, c.Secret, Enum.Parse<MessageAuthenticatorPolicy>(c.RequireMessageAuthenticator, ignoreCase: true), c.NextSecret));

    /// <summary>The RADIUS server's gateways as the session policy sees them.</summary>
    private sealed class RadiusGateways(IOptions<RadiusOptions> options, RadiusClientTable clients) : ISessionGateways
    {
        public int IdleTimeout => options.Value.Reply.IdleTimeout;

        public (RadiusClient Client, IPEndPoint DisconnectEndpoint)? Find(IPAddress nas) =>
            clients.Find(nas) is { } client ? (client, new IPEndPoint(nas, options.Value.DynamicAuthorizationPort)) : null;
    }

    /// <summary>What the annotations cannot say: each client's address parses, and names are unique.</summary>
    private sealed class RadiusClientsValidator : IValidateOptions<RadiusOptions>
    {
        public ValidateOptionsResult Validate(string? name, RadiusOptions options)
        {
            var failures = new List<string>();
            for (int i = 0; i < options.Clients.Count; i++)
            {
                RadiusClientOptions c = options.Clients[i];
                if (!IPAddress.TryParse(c.Address, out _) && !IPNetwork.TryParse(c.Address, out _))
                {
                    failures.Add($"Radius:Clients:{i}:Address: '{c.Address}' is neither an IP address nor a CIDR block.");
                }
            }

            foreach (string duplicate in options.Clients.GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key))
            {
                failures.Add($"Radius:Clients: the name '{duplicate}' is used twice.");
            }

            if (!IPAddress.TryParse(options.BindAddress, out _))
            {
                failures.Add($"Radius:BindAddress: '{options.BindAddress}' is not an IP address.");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}

/// <summary>Runs the <see cref="RadiusServer"/> for the lifetime of the portal.</summary>
public sealed partial class RadiusHost(IOptions<RadiusOptions> options, RadiusClientTable clients, PortalRadiusHandler handler, TimeProvider time, ILogger<RadiusHost> logger) : IHostedService, IAsyncDisposable
{
    private RadiusServer? _server;

    /// <summary>Where the listeners are bound, once started.</summary>
    public IReadOnlyList<(RadiusPort Port, IPEndPoint EndPoint)> EndPoints => _server?.EndPoints ?? [];

    public RadiusServer? Server => _server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        RadiusOptions o = options.Value;
        if (!o.Enabled)
        {
            return Task.CompletedTask;
        }

        IPAddress address = IPAddress.Parse(o.BindAddress);
        IRadiusTransport auth, acct;
        try
        {
            auth = UdpRadiusTransport.Bind(new IPEndPoint(address, o.AuthPort), o.BatchSystemCalls);
        }
        catch (SocketException ex) when (address.Equals(IPAddress.IPv6Any) && ex.SocketErrorCode == SocketError.AddressFamilyNotSupported)
        {
            // A host without IPv6: listen on IPv4.
            address = IPAddress.Any;
            auth = UdpRadiusTransport.Bind(new IPEndPoint(address, o.AuthPort), o.BatchSystemCalls);
        }

        try
        {
            acct = UdpRadiusTransport.Bind(new IPEndPoint(address, o.AcctPort), o.BatchSystemCalls);
        }
        catch
        {
            auth.Dispose();
            throw;
        }

        var server = new RadiusServer(clients, handler, new RadiusServerOptions { QueueCapacity = o.QueueCapacity }, time, message => LogServer(logger, message));
        server.Start([(RadiusPort.Authentication, auth), (RadiusPort.Accounting, acct)]);

        _server = server;
        LogListening(logger, string.Join(", ", server.EndPoints.Select(e => $"{e.Port} {e.EndPoint}")), clients.Clients.Count);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
            _server = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    [LoggerMessage(Level = LogLevel.Information, Message = "RADIUS listening on {EndPoints} for {Clients} clients")]
    private static partial void LogListening(ILogger logger, string endPoints, int clients);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Message}")]
    private static partial void LogServer(ILogger logger, string message);
}
