using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Network.Snmp.Transport;

/// <summary>
/// A blocking UDP transport straight on Linux's socket calls (<c>socket</c>, <c>sendto</c>, <c>recvfrom</c> with
/// <c>SO_RCVTIMEO</c>), for a command-line tool's manager: no <see cref="Socket"/>, so no socket engine, no epoll
/// thread and none of its start-up. One request at a time; it has no asynchronous receive (use
/// <see cref="UdpSnmpTransport"/> for a manager with many requests in flight).
/// </summary>
/// <remarks>
/// The socket is opened at the first send, for that address's family (IPv4 or IPv6), and the system binds it to a
/// port of its choosing then. Linux on 64-bit x86 and ARM only (<see cref="IsSupported"/>): the constants and the
/// <c>timeval</c> layout are theirs.
/// </remarks>
internal sealed partial class LinuxUdpTransport : ISnmpBlockingTransport
{
    // <sys/socket.h>, <netinet/in.h>, <asm-generic/socket.h>, <asm-generic/errno.h> on x86-64 and aarch64.
    private const int AfInet = 2;
    private const int AfInet6 = 10;
    private const int SockDgram = 2;
    private const int SockCloexec = 0x80000;
    private const int SolSocket = 1;
    private const int SoRcvtimeo = 20;
    private const int Eintr = 4;
    private const int Eagain = 11;
    private const int Econnrefused = 111;
    private const int SockaddrIn6Size = 28;

    private int _fd = -1;
    private int _family;
    private int _receiveTimeoutMilliseconds = -1;

    /// <summary>True where this transport runs: Linux on x86-64 or arm64.</summary>
    public static bool IsSupported =>
        OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>The port the system gave the socket; before the first send, no socket exists yet (<c>0.0.0.0:0</c>).</summary>
    public EndPoint LocalEndPoint
    {
        get
        {
            if (_fd < 0)
            {
                return new IPEndPoint(IPAddress.Any, 0);
            }

            Span<byte> address = stackalloc byte[SockaddrIn6Size];
            int length = address.Length;
            return GetSockName(_fd, ref MemoryMarshal.GetReference(address), ref length) == 0
                ? ReadAddress(address)
                : throw Failure("getsockname");
        }
    }

    public void Send(ReadOnlySpan<byte> datagram, EndPoint remote)
    {
        if (remote is not IPEndPoint ip)
        {
            throw new ArgumentException($"{remote} is not an IP address and port", nameof(remote));
        }

        Span<byte> address = stackalloc byte[SockaddrIn6Size];
        int addressLength = WriteAddress(ip, address, out int family);
        EnsureSocket(family);
        while (SendTo(_fd, ref MemoryMarshal.GetReference(datagram), datagram.Length, 0, ref MemoryMarshal.GetReference(address), addressLength) < 0)
        {
            if (Marshal.GetLastPInvokeError() != Eintr)
            {
                throw Failure($"sending to {ip}");
            }
        }
    }

    public bool TryReceive(Span<byte> buffer, TimeSpan timeout, out ReceivedDatagram datagram)
    {
        datagram = default;
        if (_fd < 0)
        {
            return false; // nothing was sent, so nothing can answer
        }

        long start = Stopwatch.GetTimestamp();
        Span<byte> address = stackalloc byte[SockaddrIn6Size];
        while (true)
        {
            TimeSpan left = timeout - Stopwatch.GetElapsedTime(start);
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            // Set only when it changes: a walk asks with the same timeout every time, so one setsockopt in all.
            int milliseconds = (int)Math.Clamp(Math.Ceiling(left.TotalMilliseconds), 1, int.MaxValue);
            if (milliseconds != _receiveTimeoutMilliseconds)
            {
                SetReceiveTimeout(milliseconds);
            }

            int addressLength = address.Length;
            nint received = RecvFrom(_fd, ref MemoryMarshal.GetReference(buffer), buffer.Length, 0, ref MemoryMarshal.GetReference(address), ref addressLength);
            if (received >= 0)
            {
                datagram = new ReceivedDatagram((int)received, ReadAddress(address));
                return true;
            }

            switch (Marshal.GetLastPInvokeError())
            {
                case Eagain:
                    return false; // SO_RCVTIMEO ran out
                case Eintr:
                case Econnrefused:
                    continue; // a signal, or an ICMP port-unreachable from an earlier send: wait on for the time that is left
                default:
                    throw Failure("receiving");
            }
        }
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, EndPoint remote, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Send(datagram.Span, remote);
        return ValueTask.CompletedTask;
    }

    /// <summary>Not offered: this transport is read by the caller's thread (<see cref="TryReceive"/>).</summary>
    public ValueTask<ReceivedDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) =>
        throw new NotSupportedException("a blocking transport: its manager reads it with TryReceive (SnmpClient.CreateBlocking)");

    public ValueTask DisposeAsync()
    {
        if (_fd >= 0)
        {
            _ = Close(_fd);
            _fd = -1;
        }

        return ValueTask.CompletedTask;
    }

    private void EnsureSocket(int family)
    {
        if (_fd >= 0 && family == _family)
        {
            return;
        }

        if (_fd >= 0)
        {
            throw new ArgumentException("this manager's socket talks to one address family; use one manager per family");
        }

        int fd = CreateSocket(family, SockDgram | SockCloexec, 0);
        if (fd < 0)
        {
            throw Failure("opening a UDP socket");
        }

        (_fd, _family) = (fd, family);
    }

    private void SetReceiveTimeout(int milliseconds)
    {
        // struct timeval { time_t tv_sec; suseconds_t tv_usec; }: two 64-bit fields on these platforms.
        Span<long> timeval = [milliseconds / 1000, milliseconds % 1000 * 1000L];
        if (SetSockOpt(_fd, SolSocket, SoRcvtimeo, ref MemoryMarshal.GetReference(MemoryMarshal.AsBytes(timeval)), 16) != 0)
        {
            throw Failure("setting the receive timeout");
        }

        _receiveTimeoutMilliseconds = milliseconds;
    }

    /// <summary>
    /// <c>struct sockaddr_in</c> (family, port in network order, address, 8 zero bytes) or <c>struct sockaddr_in6</c>
    /// (family, port, flow info, 16-byte address, scope id); the family field is in the machine's order.
    /// </summary>
    private static int WriteAddress(IPEndPoint remote, Span<byte> address, out int family)
    {
        address.Clear();
        BinaryPrimitives.WriteUInt16BigEndian(address[2..], (ushort)remote.Port);
        if (remote.AddressFamily == AddressFamily.InterNetwork)
        {
            family = AfInet;
            BitConverter.TryWriteBytes(address, (ushort)AfInet);
            remote.Address.TryWriteBytes(address.Slice(4, 4), out _);
            return 16;
        }

        family = AfInet6;
        BitConverter.TryWriteBytes(address, (ushort)AfInet6);
        remote.Address.TryWriteBytes(address.Slice(8, 16), out _);
        BitConverter.TryWriteBytes(address[24..], (uint)remote.Address.ScopeId);
        return SockaddrIn6Size;
    }

    private static IPEndPoint ReadAddress(ReadOnlySpan<byte> address)
    {
        int port = BinaryPrimitives.ReadUInt16BigEndian(address[2..]);
        return BitConverter.ToUInt16(address) == AfInet6
            ? new IPEndPoint(new IPAddress(address.Slice(8, 16), BitConverter.ToUInt32(address[24..])), port)
            : new IPEndPoint(new IPAddress(address.Slice(4, 4)), port);
    }

    private static IOException Failure(string what)
    {
        int errno = Marshal.GetLastPInvokeError();
        return new IOException($"{what}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int CreateSocket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "sendto", SetLastError = true)]
    private static partial nint SendTo(int fd, ref byte buffer, nint length, int flags, ref byte address, int addressLength);

    [LibraryImport("libc", EntryPoint = "recvfrom", SetLastError = true)]
    private static partial nint RecvFrom(int fd, ref byte buffer, nint length, int flags, ref byte address, ref int addressLength);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    private static partial int SetSockOpt(int fd, int level, int name, ref byte value, int length);

    [LibraryImport("libc", EntryPoint = "getsockname", SetLastError = true)]
    private static partial int GetSockName(int fd, ref byte address, ref int length);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
