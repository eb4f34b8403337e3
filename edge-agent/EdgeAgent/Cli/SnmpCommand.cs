using System.Buffers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Network.Snmp;
using Network.Snmp.Client;
using Network.Snmp.Pdus;
using Network.Snmp.Text;

namespace Network.EdgeAgent.Cli;

/// <summary>
/// <c>edge-agent snmp ...</c>: a field tool for a router that has no net-snmp. It prints what net-snmp's
/// <c>snmpget -On</c> prints, one binding a line; errors go to stderr with a non-zero exit code.
/// </summary>
/// <remarks>
/// Built for a whole-tree walk to be as quick as net-snmp's: the manager waits for each reply on this thread
/// (<see cref="SnmpClient.CreateBlockingUdp"/>), and each binding is written as bytes into one buffer that goes to
/// stdout in large writes, with no string per line and no asynchronous stream in between.
/// </remarks>
public static class SnmpCommand
{
    public const int ExitUsage = 64;
    public const int ExitTimeout = 1;
    public const int ExitError = 2;

    /// <summary>Bytes gathered before a write to a redirected stdout (a pipe or a file).</summary>
    private const int FlushThreshold = 32 * 1024;

    /// <summary>The command on the process's stdout and stderr: what <c>edge-agent snmp ...</c> runs.</summary>
    public static async Task<int> RunOnConsoleAsync(IReadOnlyList<string> args)
    {
        // File descriptor 1 as a plain unbuffered stream: System.Console's stream would set up the terminal and its
        // signal-handling thread first, which a tool that prints and exits does not need.
        await using Stream stdout = OperatingSystem.IsWindows()
            ? Console.OpenStandardOutput()
            : new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
        // On a terminal each line shows as it comes, as net-snmp's line-buffered stdout does; piped, it goes in blocks.
        return await RunAsync(args, stdout, Console.Error, flushEachLine: !Console.IsOutputRedirected).ConfigureAwait(false);
    }

    /// <summary>The command with its output as text, handed over when the command ends (tests, embedding).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var bytes = new MemoryStream();
        int code = await RunAsync(args, bytes, error, flushEachLine: false, cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(Encoding.ASCII.GetString(bytes.GetBuffer(), 0, (int)bytes.Length)).ConfigureAwait(false);
        return code;
    }

    /// <summary>
    /// The command, writing net-snmp's lines as ASCII to <paramref name="output"/>; every line printed before an error
    /// is written out too, as net-snmp's are.
    /// </summary>
    public static async Task<int> RunAsync(
        IReadOnlyList<string> args, Stream output, TextWriter error, bool flushEachLine = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        SnmpCommandLine line;
        try
        {
            line = SnmpCommandLine.Parse(args);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            await error.WriteLineAsync($"edge-agent snmp: {ex.Message}").ConfigureAwait(false);
            await error.WriteLineAsync(SnmpCommandLine.Usage).ConfigureAwait(false);
            return ExitUsage;
        }

        var lines = new LineOutput(output, flushEachLine ? 1 : FlushThreshold);
        try
        {
            int code = await RunAsync(line, lines, error, cancellationToken).ConfigureAwait(false);
            lines.Flush();
            return code;
        }
        catch (IOException ex)
        {
            // The output refused the last lines (stdout closed); an error during the walk is reported where it happens.
            await error.WriteLineAsync($"edge-agent snmp: {ex.Message}").ConfigureAwait(false);
            return ExitError;
        }
    }

    private static async Task<int> RunAsync(SnmpCommandLine line, LineOutput output, TextWriter error, CancellationToken cancellationToken)
    {
        await using SnmpClient client = SnmpClient.CreateBlockingUdp();
        try
        {
            switch (line.Command)
            {
                case "get":
                    output.Write(await client.GetAsync(line.Target, line.Oids, cancellationToken).ConfigureAwait(false));
                    break;
                case "getnext":
                    output.Write(await client.GetNextAsync(line.Target, line.Oids, cancellationToken).ConfigureAwait(false));
                    break;
                case "set":
                    output.Write(await client.SetAsync(line.Target, line.SetBindings, cancellationToken).ConfigureAwait(false));
                    break;
                case "walk":
                case "bulkwalk":
                    // Each binding printed straight from the reply it came in (no object per binding).
                    foreach (Oid root in line.Oids)
                    {
                        await (line.Command == "walk"
                            ? client.WalkAsync(line.Target, root, output, cancellationToken)
                            : client.BulkWalkAsync(line.Target, root, line.MaxRepetitions, output, cancellationToken)).ConfigureAwait(false);
                    }

                    break;
                default:
                    throw new InvalidOperationException(line.Command);
            }

            return 0;
        }
        catch (Exception ex) when (Failure(ex) is var (message, code))
        {
            output.Flush(); // the lines printed before the error come first, as net-snmp's do
            await error.WriteLineAsync(message).ConfigureAwait(false);
            return code;
        }
    }

    /// <summary>What stderr says and the exit code, for the errors a walk or a request can end with.</summary>
    private static (string Message, int Code)? Failure(Exception ex) => ex switch
    {
        SnmpTimeoutException => (ex.Message, ExitTimeout),
        SnmpErrorStatusException status =>
            ($"Error in packet.\nReason: {status.Status}{(status.FailedOid is null ? "" : $"\nFailed object: .{status.FailedOid}")}", ExitError),
        SnmpClientException => (ex.Message, ExitError),
        SnmpDecodeException => ($"malformed reply: {ex.Message}", ExitError),
        IOException or SocketException => ($"edge-agent snmp: {ex.Message}", ExitError), // the network or stdout refused
        _ => null,
    };

    /// <summary>
    /// net-snmp's lines as bytes in one buffer, written to the stream whenever it holds a threshold's worth. The buffer
    /// is pinned and not zeroed: it lives for the whole command, and on the pinned-object heap no collection copies it.
    /// </summary>
    private sealed class LineOutput(Stream stream, int threshold) : IVarBindVisitor, IBufferWriter<byte>
    {
        private byte[] _buffer = GC.AllocateUninitializedArray<byte>(FlushThreshold + 4096, pinned: true);
        private int _written;
        private bool _closed;

        public void Write(in VarBind binding)
        {
            NetSnmpText.WriteLine(binding, this);
            EndLine();
        }

        public void Visit(VarBindView binding)
        {
            NetSnmpText.WriteLine(binding, this);
            EndLine();
        }

        public void Write(IReadOnlyList<VarBind> bindings)
        {
            foreach (VarBind binding in bindings)
            {
                Write(binding);
            }
        }

        public void Advance(int count)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(count);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _written);
            _written += count;
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => _buffer.AsMemory(Reserve(sizeHint));

        public Span<byte> GetSpan(int sizeHint = 0) => _buffer.AsSpan(Reserve(sizeHint));

        /// <summary>Writes what is buffered; after a failed write (stdout closed: <c>| head</c>) nothing more is written.</summary>
        public void Flush()
        {
            if (_closed)
            {
                return;
            }

            try
            {
                if (_written > 0)
                {
                    stream.Write(_buffer, 0, _written);
                    _written = 0;
                }

                stream.Flush();
            }
            catch (IOException)
            {
                _closed = true;
                _written = 0;
                throw;
            }
        }

        private void EndLine()
        {
            if (_written >= threshold)
            {
                Flush();
            }
        }

        /// <summary>Room for <paramref name="sizeHint"/> bytes (a line longer than the buffer grows it); returns where it starts.</summary>
        private int Reserve(int sizeHint)
        {
            int needed = Math.Max(sizeHint, 1);
            if (_buffer.Length - _written < needed)
            {
                byte[] larger = GC.AllocateUninitializedArray<byte>(Math.Max(2 * _buffer.Length, _written + needed), pinned: true);
                _buffer.AsSpan(0, _written).CopyTo(larger);
                _buffer = larger;
            }

            return _written;
        }
    }
}
