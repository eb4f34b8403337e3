using System.Net;

namespace Network.Radius.Transport;

/// <summary>
/// Datagrams in and out of one RADIUS listener: the seam between the server loop (checks, duplicates, workers) and the
/// network. <see cref="UdpRadiusTransport.Bind"/> gives the real one (<c>recvmmsg</c>/<c>sendmmsg</c> on Linux, or
/// <c>recvfrom</c>/<c>sendto</c>); <see cref="InMemoryRadiusTransport"/> lets tests push datagrams in memory.
/// </summary>
/// <remarks>
/// The receive side is a loop the server runs on a thread of its own (<see cref="Run"/>) rather than a call a datagram, so a
/// transport can take many datagrams a system call and send the replies made meanwhile together.
/// </remarks>
public interface IRadiusTransport : IDisposable
{
    /// <summary>Where this listener receives.</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>
    /// Receives until <see cref="Close"/>, giving each datagram to <paramref name="received"/> on the calling thread, in
    /// the order they came. The span is valid only during the call. A reply sent (<see cref="Send"/>) from inside
    /// <paramref name="received"/> may wait until the datagrams taken with it have all been handed over.
    /// </summary>
    void Run(RadiusDatagramHandler received);

    /// <summary>Sends one datagram to <paramref name="peer"/>; any thread may call it. A failure to send is not reported: the NAS retransmits.</summary>
    void Send(byte[] datagram, RadiusPeer peer);

    /// <summary>Ends <see cref="Run"/> (wakes it out of its wait); sends after it are dropped.</summary>
    void Close();
}

/// <summary>One datagram received by a transport: its bytes (valid only during the call) and who sent it.</summary>
public delegate void RadiusDatagramHandler(ReadOnlySpan<byte> datagram, RadiusPeer from);
