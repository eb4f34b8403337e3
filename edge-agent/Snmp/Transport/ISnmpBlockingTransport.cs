using System.Net;

namespace Network.Snmp.Transport;

/// <summary>
/// A transport the caller drives from its own thread: send, then block until a datagram arrives or the time is up.
/// A manager over it (<see cref="Client.SnmpClient.CreateBlocking"/>) has no receive loop and no thread-pool hop
/// between the socket and the waiting request, which is what a command-line tool with one request at a time wants.
/// </summary>
public interface ISnmpBlockingTransport : ISnmpTransport
{
    /// <summary>Sends one datagram; returns when the system has taken it.</summary>
    void Send(ReadOnlySpan<byte> datagram, EndPoint remote);

    /// <summary>
    /// Waits at most <paramref name="timeout"/> for the next datagram and copies it into <paramref name="buffer"/>;
    /// false when the time ran out first.
    /// </summary>
    bool TryReceive(Span<byte> buffer, TimeSpan timeout, out ReceivedDatagram datagram);
}
