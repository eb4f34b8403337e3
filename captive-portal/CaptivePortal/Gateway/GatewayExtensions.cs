using Network.Hosting;

namespace Network.CaptivePortal.Gateway;

public static class GatewayExtensions
{
    /// <summary>The gateway integration (options section <c>Gateway</c>): UAM context tokens and the hand-off to the gateway.</summary>
    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.Section)
            .ValidateOnStartNamingKeys(GatewayOptions.Section, new GatewayOptionsValidator());
        builder.Services.AddSingleton<UamContextProtector>();
        builder.Services.AddSingleton<GatewayHandoff>();
        return builder;
    }

    /// <summary><c>/hotspot</c> (CoovaChilli's uamserver), <c>/wispr</c>, <c>/api/captive</c> (RFC 8908).</summary>
    public static IEndpointRouteBuilder MapGateway(this IEndpointRouteBuilder endpoints) => endpoints.MapGatewayEndpoints();
}
