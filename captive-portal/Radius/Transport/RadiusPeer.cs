using System.Net;

namespace Network.Radius.Transport;

/// <summary>
/// Where a datagram came from and where its reply goes: the address as .NET reads it (<see cref="EndPoint"/>, for the
/// client table and the duplicate cache) and as the system takes it (<see cref="Address"/>, the native <c>sockaddr</c>
/// a reply is sent to without converting it again).
/// </summary>
public sealed class RadiusPeer
{
    public RadiusPeer(IPEndPoint endPoint)
        : this(endPoint, endPoint.Serialize())
    {
    }

    internal RadiusPeer(IPEndPoint endPoint, SocketAddress address)
    {
        EndPoint = endPoint;
        Address = address;
    }

    public IPEndPoint EndPoint { get; }

    internal SocketAddress Address { get; }

    public override string ToString() => EndPoint.ToString();
}

/// <summary>
/// The last sender a receive loop saw: a gateway sends from one address and port, so its <see cref="RadiusPeer"/> is
/// built once instead of once a datagram. One a receive thread; not thread-safe.
/// </summary>
internal sealed class LastPeer(IPEndPoint template)
{
    private RadiusPeer? _last;

    /// <summary>The peer whose native address is <paramref name="address"/> (the <c>sockaddr</c> octets a receive call filled in).</summary>
    public RadiusPeer For(ReadOnlySpan<byte> address)
    {
        RadiusPeer? last = _last;
        if (last is not null && last.Address.Size == address.Length && last.Address.Buffer.Span[..address.Length].SequenceEqual(address))
        {
            return last;
        }

        var copy = new SocketAddress(template.AddressFamily, address.Length);
        address.CopyTo(copy.Buffer.Span);
        _last = new RadiusPeer((IPEndPoint)template.Create(copy), copy);
        return _last;
    }
}
