using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;
using Network.CaptivePortal.Radius;
using Network.Radius.Client;
using Network.Radius.Dictionary;
using Network.Radius.Packets;
using Network.Radius.Server;

namespace Network.CaptivePortal.Gateway;

/// <summary>What the RADIUS server said to the portal's own Access-Request.</summary>
public enum ExternalVerdict
{
    Accepted,
    Rejected,

    /// <summary>No verified answer after the retries (or no server to ask).</summary>
    Unavailable,
}

/// <summary>
/// The external-portal flow's RADIUS client: a PAP Access-Request (<see cref="RadiusRequester.AccessRequestAsync"/>) to
/// <see cref="ExternalPortalOptions.RadiusServer"/>, or to the portal's own RADIUS server on loopback, with what a gateway
/// would send: User-Name, NAS-Identifier, Calling-Station-Id (the MAC), Framed-IP-Address, NAS-Port-Type.
/// </summary>
public sealed partial class ExternalPortalRadius(IOptions<GatewayOptions> options, RadiusHost host, ILogger<ExternalPortalRadius> logger) : IAsyncDisposable
{
    private const uint WirelessPortType = 19;
    private const uint LoginUserService = 1;
    private readonly Lazy<RadiusRequester> _v4 = new(() => new RadiusRequester(AddressFamily.InterNetwork));
    private readonly Lazy<RadiusRequester> _v6 = new(() => new RadiusRequester(AddressFamily.InterNetworkV6));

    public async Task<(ExternalVerdict Verdict, string? ReplyMessage)> AuthenticateAsync(UamContext context, string username, string password,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ExternalPortalOptions o = options.Value.External;
        if (Server(o) is not { } server)
        {
            LogNoServer(logger);
            return (ExternalVerdict.Unavailable, null);
        }

        var attributes = new List<RadiusAttribute>
        {
            new(RadiusAttributes.UserName.Type, Encoding.UTF8.GetBytes(username)),
            new(RadiusAttributes.NasIdentifier.Type, Encoding.UTF8.GetBytes(string.IsNullOrEmpty(o.NasIdentifier) ? context.NasId ?? "portal" : o.NasIdentifier)),
            Integer(RadiusAttributes.ServiceType.Type, LoginUserService),
            Integer(RadiusAttributes.NasPortType.Type, WirelessPortType),
        };
        if (context.Mac is { } mac)
        {
            attributes.Add(new(RadiusAttributes.CallingStationId.Type, Encoding.ASCII.GetBytes(mac.ToUpperInvariant())));
        }

        if (IPAddress.TryParse(context.Ip, out IPAddress? ip) && ip.AddressFamily == AddressFamily.InterNetwork)
        {
            attributes.Add(new(RadiusAttributes.FramedIpAddress.Type, ip.GetAddressBytes()));
        }

        byte[] secret = Encoding.UTF8.GetBytes(o.Secret);
        byte[] pap = Encoding.UTF8.GetBytes(password);
        try
        {
            RadiusRequester requester = server.AddressFamily == AddressFamily.InterNetworkV6 ? _v6.Value : _v4.Value;
            AccessResult result = await requester.AccessRequestAsync(server, secret, attributes, pap, o.RadiusTimeout, o.RadiusRetries,
                o.RequireMessageAuthenticator, cancellationToken).ConfigureAwait(false);
            return (result.Accepted ? ExternalVerdict.Accepted : ExternalVerdict.Rejected, result.ReplyMessage);
        }
        catch (RadiusTimeoutException)
        {
            LogNoAnswer(logger, server);
            return (ExternalVerdict.Unavailable, null);
        }
        catch (ArgumentException)
        {
            // A password over 128 octets cannot be sent in a User-Password (RFC 2865 section 5.2).
            return (ExternalVerdict.Rejected, null);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(pap);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_v4.IsValueCreated)
        {
            await _v4.Value.DisposeAsync().ConfigureAwait(false);
        }

        if (_v6.IsValueCreated)
        {
            await _v6.Value.DisposeAsync().ConfigureAwait(false);
        }
    }

    // The configured server, else the portal's own authentication listener (its wildcard address as loopback).
    private IPEndPoint? Server(ExternalPortalOptions o)
    {
        if (!string.IsNullOrEmpty(o.RadiusServer))
        {
            return IPEndPoint.Parse(o.RadiusServer);
        }

        foreach ((RadiusPort port, IPEndPoint endPoint) in host.EndPoints)
        {
            if (port == RadiusPort.Authentication)
            {
                IPAddress address = endPoint.Address.Equals(IPAddress.Any) || endPoint.Address.Equals(IPAddress.IPv6Any) ? IPAddress.Loopback : endPoint.Address;
                return new IPEndPoint(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, endPoint.Port);
            }
        }

        return null;
    }

    private static RadiusAttribute Integer(byte type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new RadiusAttribute(type, bytes);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "External portal: no RADIUS server to ask (set Gateway:External:RadiusServer, or turn the portal's own on)")]
    private static partial void LogNoServer(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "External portal: no verified answer from the RADIUS server {Server}")]
    private static partial void LogNoAnswer(ILogger logger, IPEndPoint server);
}
