using System.Buffers.Binary;
using Network.Snmp;
using Network.Snmp.Responder;
using Network.Snmp.Security;
using Network.Snmp.Transport;

namespace Network.FleetSimulator.Serving;

/// <summary>
/// Serves every device of a fleet over SNMP: one UDP socket and one responder a device, at the device's own port.
/// A device answers v1 and v2c with the fleet's community or its own <c>site-&lt;index&gt;</c>, and SNMPv3 for
/// <see cref="V3User"/> (authPriv, SHA-256 and AES).
/// </summary>
public sealed class FleetServer : IAsyncDisposable
{
    /// <summary>The SNMPv3 user every simulated device knows.</summary>
    public static readonly UsmUser V3User = UsmUser.AuthPriv("fleet", AuthProtocol.HmacSha256, "fleetauth123", PrivProtocol.Aes128, "fleetpriv123");

    private readonly CancellationTokenSource _stop = new();
    private readonly List<(ISnmpTransport Transport, Task Loop)> _devices = [];

    private FleetServer()
    {
    }

    public IReadOnlyList<SnmpResponder> Responders { get; private set; } = [];

    /// <summary>
    /// Starts one responder a device; <paramref name="log"/>, when given, hears of a datagram a device failed to
    /// answer (at most once a minute a device).
    /// </summary>
    public static FleetServer Start(Fleet fleet, TimeProvider time, Action<string>? log = null)
    {
        var server = new FleetServer();
        var responders = new List<SnmpResponder>(fleet.Devices.Count);
        try
        {
            foreach (FleetDevice device in fleet.Devices)
            {
                var options = new SnmpResponderOptions { EngineId = EngineIdOf(fleet.Options.Seed, device.Index) };
                options.Communities[device.Community] = device.Mib;
                options.Communities[device.SiteCommunity] = device.Mib;
                options.Users.Add((V3User, device.Mib));
                System.Net.IPEndPoint endPoint = device.EndPoint;
                var responder = new SnmpResponder(options, time, log is null ? null : message => log($"{endPoint}: {message}"));
                UdpSnmpTransport transport = UdpSnmpTransport.Bind(device.EndPoint);
                server._devices.Add((transport, Task.Run(() => responder.RunAsync(transport, server._stop.Token))));
                responders.Add(responder);
            }
        }
        catch
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }

        server.Responders = responders;
        return server;
    }

    /// <summary>
    /// An snmpEngineID of RFC 3411 section 5 (format 5, octets): the same device of the same fleet always has the
    /// same ID, two devices never share one.
    /// </summary>
    public static byte[] EngineIdOf(ulong seed, int index)
    {
        byte[] id = new byte[17];
        BinaryPrimitives.WriteUInt32BigEndian(id, 0x80000000u);
        id[4] = 5;
        BinaryPrimitives.WriteUInt64BigEndian(id.AsSpan(5), seed);
        BinaryPrimitives.WriteInt32BigEndian(id.AsSpan(13), index);
        return id;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach ((ISnmpTransport transport, Task loop) in _devices)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
            try
            {
                await loop.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
            {
                // stopping
            }
        }

        _stop.Dispose();
    }
}
