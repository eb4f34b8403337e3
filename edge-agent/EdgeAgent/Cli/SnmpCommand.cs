using System.Buffers;
using System.Net.Sockets;
using System.Text;
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
        // File descriptor 1 written with write(2) at the offset it shares (StandardOutput): System.Console's stream would
        // set up the terminal and its signal-handling thread first, which a tool that prints and exits does not need.
        await using Stream stdout = OperatingSystem.IsWindows() ? Console.OpenStandardOutput() : new StandardOutput();
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
                    return await GetAsync(client, line, SnmpType.GetRequestPdu, output, error, cancellationToken).ConfigureAwait(false);
                case "getnext":
                    return await GetAsync(client, line, SnmpType.GetNextRequestPdu, output, error, cancellationToken).ConfigureAwait(false);
                case "set":
                    Pdu response = await client.RequestAsync(line.Target, SnmpType.SetRequestPdu, line.SetBindings, 0, 0, cancellationToken).ConfigureAwait(false);
                    if (response.ErrorStatus != ErrorStatus.NoError)
                    {
                        await error.WriteAsync(ErrorInPacket("Error in packet.", response)).ConfigureAwait(false);
                        return ExitError;
                    }

                    output.Write(response.VarBinds);
                    return 0;
                case "walk":
                case "bulkwalk":
                    // Each binding printed straight from the reply it came in (no object per binding).
                    foreach (Oid root in line.Oids)
                    {
                        await (line.Command == "walk"
                            ? client.WalkAsync(line.Target, root, output, cancellationToken)
                            : client.BulkWalkAsync(line.Target, root, line.MaxRepetitions, output, cancellationToken)).ConfigureAwait(false);
                    }

                    return 0;
                default:
                    throw new InvalidOperationException(line.Command);
            }
        }
        catch (Exception ex) when (Failure(ex, line) is var (message, code))
        {
            output.Flush(); // the lines printed before the error come first, as net-snmp's do
            await error.WriteAsync(message).ConfigureAwait(false);
            return code;
        }
    }

    /// <summary>
    /// snmpget and snmpgetnext: an error-status is printed, and the request is sent again without the binding the
    /// error-index names, until one is answered without error or none is left (net-snmp's snmp_fix_pdu); the exit
    /// code stays 2 once an error was printed.
    /// </summary>
    private static async Task<int> GetAsync(
        SnmpClient client, SnmpCommandLine line, SnmpType type, LineOutput output, TextWriter error, CancellationToken cancellationToken)
    {
        IReadOnlyList<VarBind> request = [.. line.Oids.Select(VarBind.Request)];
        int code = 0;
        while (true)
        {
            Pdu response = await client.RequestAsync(line.Target, type, request, 0, 0, cancellationToken).ConfigureAwait(false);
            if (response.ErrorStatus == ErrorStatus.NoError)
            {
                output.Write(response.VarBinds);
                return code;
            }

            await error.WriteAsync(ErrorInPacket(type == SnmpType.GetRequestPdu ? "Error in packet" : "Error in packet.", response)).ConfigureAwait(false);
            code = ExitError;
            IReadOnlyList<VarBind> answered = response.VarBinds;
            int failed = response.ErrorIndex;
            if (!line.RetryWithoutFailed || failed < 1 || failed > answered.Count || answered.Count == 1)
            {
                return code;
            }

            // As snmp_fix_pdu: the reply's names without the failed one, as null requests.
            request = [.. answered.Where((_, i) => i != failed - 1).Select(b => VarBind.Request(b.Oid))];
        }
    }

    /// <summary>
    /// net-snmp's report of an error-status: the heading (snmpget's has no full stop, the others' have), the reason in
    /// its words, and the failed object when the error-index is not 0 (empty when it names no binding).
    /// </summary>
    private static string ErrorInPacket(string heading, Pdu response) =>
        ErrorInPacket(heading, response.ErrorStatus, response.ErrorIndex,
            response.ErrorIndex >= 1 && response.ErrorIndex <= response.VarBinds.Count ? response.VarBinds[response.ErrorIndex - 1].Oid : null);

    private static string ErrorInPacket(string heading, ErrorStatus status, int index, Oid? failed) =>
        $"{heading}\nReason: {NetSnmpText.ErrorStatusText(status)}\n"
        + (index == 0 ? "" : $"Failed object: {(failed is null ? "" : $".{failed}\n")}\n");

    /// <summary>What stderr says and the exit code, for the errors a walk or a request can end with.</summary>
    private static (string Message, int Code)? Failure(Exception ex, SnmpCommandLine line) => ex switch
    {
        // No answer to SNMPv3 discovery: net-snmp's "PROGRAM: Timeout", with our program's name.
        SnmpTimeoutException { InDiscovery: true } => ("edge-agent snmp: Timeout\n", ExitTimeout),
        // snmpget and snmpgetnext end the line with a full stop, snmpset, snmpwalk and snmpbulkwalk do not.
        SnmpTimeoutException => ($"Timeout: No Response from {line.Agent}{(line.Command is "get" or "getnext" ? "." : "")}\n", ExitTimeout),
        SnmpErrorStatusException status => (ErrorInPacket("Error in packet.", status.Status, status.Index, status.FailedOid), ExitError),
        SnmpClientException => (ex.Message + "\n", ExitError),
        SnmpDecodeException => ($"malformed reply: {ex.Message}\n", ExitError),
        IOException or SocketException => ($"edge-agent snmp: {ex.Message}\n", ExitError), // the network or stdout refused
        _ => null,
    };

    /// <summary>
    /// net-snmp's lines as bytes in one buffer, written to the stream whenever it holds a threshold's worth. The buffer
    /// is pinned and not zeroed: it lives for the whole command, and on the pinned-object heap no collection copies it.
    /// </summary>
    private sealed class LineOutput(Stream stream, int threshold) : IWalkVisitor, IBufferWriter<byte>
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

        /// <summary>snmpwalk's line when the agent answers noSuchName (SNMPv1's end of the MIB).</summary>
        public void EndOfMib()
        {
            "End of MIB\n"u8.CopyTo(GetSpan(16));
            Advance(11);
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
