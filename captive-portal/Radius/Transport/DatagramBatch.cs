using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Network.Radius.Codec;

namespace Network.Radius.Transport;

/// <summary>
/// Many datagrams a system call on Linux: <c>recvmmsg(2)</c> with <c>MSG_WAITFORONE</c> (blocks for the first datagram,
/// then takes whatever else is already queued, up to <see cref="Capacity"/>) and <c>sendmmsg(2)</c> for the replies
/// made meanwhile. With a gateway's 200 requests in flight several are usually waiting, so one call serves many. Each
/// datagram keeps its own source address (the native <c>sockaddr</c>, as <see cref="SocketAddress"/> holds it) for its
/// reply. One instance a receive thread; not thread-safe.
/// </summary>
/// <remarks>
/// Layouts are those of Linux on 64-bit (LP64: x86-64 and arm64): <c>struct iovec</c> 16 octets, <c>struct msghdr</c> 56,
/// <c>struct mmsghdr</c> 64. <see cref="IsSupported"/> is false elsewhere, and the server keeps <c>recvfrom</c>/<c>sendto</c>.
/// </remarks>
internal sealed unsafe partial class DatagramBatch : IDisposable
{
    /// <summary>Datagrams a call at most.</summary>
    public const int Capacity = 64;

    /// <summary>One octet more than the largest packet, so an oversized datagram shows as one (as with <c>recvfrom</c>).</summary>
    public const int SlotLength = RadiusDecodeLimits.MaxPacketLength + 1;

    private const int NameLength = 128; // sizeof(struct sockaddr_storage)
    private const int MsgWaitForOne = 0x10000;
    private const int EIntr = 4;

    private readonly Socket _socket;
    private readonly byte[] _data = GC.AllocateUninitializedArray<byte>(Capacity * SlotLength, pinned: true);
    private readonly byte[] _names = GC.AllocateArray<byte>(Capacity * NameLength, pinned: true);
    private readonly byte[] _sendData = GC.AllocateUninitializedArray<byte>(Capacity * SlotLength, pinned: true);
    private readonly byte[] _sendNames = GC.AllocateArray<byte>(Capacity * NameLength, pinned: true);
    private readonly MMsgHdr* _received;
    private readonly IoVec* _receiveVectors;
    private readonly MMsgHdr* _sending;
    private readonly IoVec* _sendVectors;
    private readonly (byte[] Datagram, SocketAddress To)[] _queued = new (byte[], SocketAddress)[Capacity];
    private int _queuedCount;

    public DatagramBatch(Socket socket)
    {
        _socket = socket;
        _received = (MMsgHdr*)NativeMemory.AllocZeroed((nuint)(Capacity * sizeof(MMsgHdr)));
        _receiveVectors = (IoVec*)NativeMemory.AllocZeroed((nuint)(Capacity * sizeof(IoVec)));
        _sending = (MMsgHdr*)NativeMemory.AllocZeroed((nuint)(Capacity * sizeof(MMsgHdr)));
        _sendVectors = (IoVec*)NativeMemory.AllocZeroed((nuint)(Capacity * sizeof(IoVec)));
    }

    /// <summary>Linux on a 64-bit process: the only layout written here.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() && IntPtr.Size == 8 && sizeof(MMsgHdr) == 64;

    /// <summary>
    /// Waits for at least one datagram and takes up to <see cref="Capacity"/>: their count, or -1 when the call failed
    /// (the socket closed, or the system refuses the call: <paramref name="error"/> is errno).
    /// </summary>
    public int Receive(out int error)
    {
        for (int i = 0; i < Capacity; i++)
        {
            _receiveVectors[i] = new IoVec { Base = (byte*)Marshal.UnsafeAddrOfPinnedArrayElement(_data, i * SlotLength), Length = SlotLength };
            _received[i] = new MMsgHdr
            {
                Header = new MsgHdr
                {
                    Name = (byte*)Marshal.UnsafeAddrOfPinnedArrayElement(_names, i * NameLength),
                    NameLength = NameLength,
                    Vectors = &_receiveVectors[i],
                    VectorCount = 1,
                },
            };
        }

        while (true)
        {
            bool added = false;
            try
            {
                _socket.SafeHandle.DangerousAddRef(ref added);
                int count = RecvMmsg((int)_socket.SafeHandle.DangerousGetHandle(), _received, Capacity, MsgWaitForOne, null);
                error = count < 0 ? Marshal.GetLastPInvokeError() : 0;
                if (count < 0 && error == EIntr)
                {
                    continue;
                }

                return count;
            }
            catch (ObjectDisposedException)
            {
                error = 0;
                return -1;
            }
            finally
            {
                if (added)
                {
                    _socket.SafeHandle.DangerousRelease();
                }
            }
        }
    }

    /// <summary>The <paramref name="index"/>th datagram of the last <see cref="Receive"/>.</summary>
    public ReadOnlySpan<byte> Datagram(int index) => _data.AsSpan(index * SlotLength, (int)Math.Min(_received[index].Length, SlotLength));

    /// <summary>Where it came from: the native <c>sockaddr</c> octets.</summary>
    public ReadOnlySpan<byte> Source(int index) => _names.AsSpan(index * NameLength, (int)Math.Min(_received[index].Header.NameLength, NameLength));

    /// <summary>Keeps a reply for <see cref="Flush"/>; sends the batch first when it is full.</summary>
    public void Queue(byte[] datagram, SocketAddress to)
    {
        if (_queuedCount == Capacity)
        {
            Flush();
        }

        _queued[_queuedCount++] = (datagram, to);
    }

    /// <summary>Sends the queued replies with <c>sendmmsg</c>; what it does not take goes one by one with <c>sendto</c>.</summary>
    public void Flush()
    {
        int queued = _queuedCount;
        if (queued == 0)
        {
            return;
        }

        _queuedCount = 0;
        int count = queued;
        for (int i = 0; i < queued; i++)
        {
            (byte[] datagram, SocketAddress to) = _queued[i];
            if (datagram.Length > SlotLength || to.Size > NameLength)
            {
                count = i; // never for RADIUS; this one and the rest go by sendto below
                break;
            }

            datagram.CopyTo(_sendData.AsSpan(i * SlotLength));
            to.Buffer.Span[..to.Size].CopyTo(_sendNames.AsSpan(i * NameLength));
            _sendVectors[i] = new IoVec { Base = (byte*)Marshal.UnsafeAddrOfPinnedArrayElement(_sendData, i * SlotLength), Length = (nuint)datagram.Length };
            _sending[i] = new MMsgHdr
            {
                Header = new MsgHdr
                {
                    Name = (byte*)Marshal.UnsafeAddrOfPinnedArrayElement(_sendNames, i * NameLength),
                    NameLength = (uint)to.Size,
                    Vectors = &_sendVectors[i],
                    VectorCount = 1,
                },
            };
        }

        int sent = 0;
        bool added = false;
        try
        {
            _socket.SafeHandle.DangerousAddRef(ref added);
            int fd = (int)_socket.SafeHandle.DangerousGetHandle();
            while (sent < count)
            {
                int n = SendMmsg(fd, _sending + sent, (uint)(count - sent), 0);
                if (n <= 0)
                {
                    break;
                }

                sent += n;
            }
        }
        catch (ObjectDisposedException)
        {
            sent = queued; // closed: shutting down, nothing more to send
        }
        finally
        {
            if (added)
            {
                _socket.SafeHandle.DangerousRelease();
            }
        }

        // What sendmmsg did not take (an error for one destination stops it there): one by one, as without batches.
        for (int i = sent; i < queued; i++)
        {
            try
            {
                _socket.SendTo(_queued[i].Datagram, SocketFlags.None, _queued[i].To);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // The NAS retransmits; a closed socket means we are shutting down.
            }
        }

        Array.Clear(_queued, 0, queued);
    }

    public void Dispose()
    {
        NativeMemory.Free(_received);
        NativeMemory.Free(_receiveVectors);
        NativeMemory.Free(_sending);
        NativeMemory.Free(_sendVectors);
    }

    [LibraryImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    private static partial int RecvMmsg(int socket, MMsgHdr* messages, uint length, int flags, void* timeout);

    [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    private static partial int SendMmsg(int socket, MMsgHdr* messages, uint length, int flags);

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MsgHdr
    {
        public byte* Name;
        public uint NameLength;
        public IoVec* Vectors;
        public nuint VectorCount;
        public byte* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MMsgHdr
    {
        public MsgHdr Header;
        public uint Length;
    }
}
