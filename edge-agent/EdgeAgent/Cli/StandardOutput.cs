using System.Runtime.InteropServices;

namespace Network.EdgeAgent.Cli;

/// <summary>
/// File descriptor 1 written with write(2), as every Unix tool writes it: each write goes at the file offset the
/// descriptor shares with the shell and the other programs of <c>( echo header; edge-agent snmp get ...; echo footer ) &gt; f</c>
/// and with stderr under <c>2&gt;&amp;1</c>. A <see cref="FileStream"/> on the descriptor would keep its own position
/// and write with pwrite(2) from there (offset 0 for a file it did not open), over what others wrote before it.
/// </summary>
internal sealed partial class StandardOutput : Stream
{
    private const int Eintr = 4;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <summary>All of <paramref name="buffer"/>, in as many write(2) calls as the descriptor takes; a failure (EPIPE: the reader left) is an <see cref="IOException"/>.</summary>
    public override unsafe void Write(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            int done = 0;
            while (done < buffer.Length)
            {
                nint n = WriteFd(1, start + done, buffer.Length - done);
                if (n < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == Eintr)
                    {
                        continue;
                    }

                    throw new IOException($"write to stdout failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
                }

                done += (int)n;
            }
        }
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint WriteFd(int fd, byte* buffer, nint count);
}
