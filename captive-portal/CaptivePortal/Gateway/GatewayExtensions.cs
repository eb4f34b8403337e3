using Network.Hosting;

namespace Network.CaptivePortal.Gateway;

public static class GatewayExtensions
{
    /// <summary>The gateway integration (options section <c>Gateway</c>): UAM and openNDS context tokens, the hand-off to the gateway, the external portal's RADIUS client.</summary>
    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section)
            .ValidateOnStartNamingKeys(GatewayOptions.Section, new GatewayOptionsValidator());
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<GatewayOptions>, ExternalPortalOptionsValidator>();
        builder.Services.AddSingleton<ExternalPortalRadius>();
        builder.Services.AddSingleton<UamContextProtector>();
        builder.Services.AddSingleton<GatewayHandoff>();
        return builder;
    }
}
