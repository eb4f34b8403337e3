using System.Net;

namespace Network.Snmp.Transport;

/// <summary>
/// Datagrams in and out: the seam between the SNMP manager or responder (policy) and the network.
/// <see cref="UdpSnmpTransport"/> is the real one; tests push datagrams in memory.
/// </summary>
public interface ISnmpTransport : IAsyncDisposable
{
    /// <summary>Where this transport receives (for a manager, its local port).</summary>
    EndPoint LocalEndPoint { get; }

    ValueTask SendAsync(ReadOnlyMemory<byte> datagram, EndPoint remote, CancellationToken cancellationToken);

    /// <summary>Waits for the next datagram, copies it into <paramref name="buffer"/> and says how long it was and who sent it.</summary>
    ValueTask<ReceivedDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken);
}

/// <summary>One datagram received: <see cref="Length"/> bytes at the start of the caller's buffer, from <see cref="Remote"/>.</summary>
public readonly record struct ReceivedDatagram(int Length, EndPoint Remote);
