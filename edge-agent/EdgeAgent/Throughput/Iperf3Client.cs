using System.Net.Sockets;
using System.Security.Cryptography;

namespace Network.EdgeAgent.Throughput;

/// <summary>
/// A TCP test of one stream against a stock <c>iperf3 -s</c>, in iperf3's own control protocol (<see cref="Iperf3Wire"/>):
/// a download (iperf3's reverse mode: the server sends) or an upload. The rate is measured here, by
/// <see cref="TransferMeter"/>, over the interval after the warm-up; the server's figures are only read to check them.
/// </summary>
public sealed class Iperf3Client(string host, int port, TimeProvider time, TcpSocketFactory? sockets = null)
{
    private readonly TcpSocketFactory _sockets = sockets ?? TransferMeter.DefaultSockets;

    /// <summary>How long the exchanges around the transfer may take in all (connect, parameters, results).</summary>
    public static readonly TimeSpan ExchangeBudget = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait before trying a busy iperf3 server again (it serves one test at a time and says nothing of when it is free).</summary>
    public static readonly TimeSpan BusyRetryAfter = TimeSpan.FromSeconds(15);

    public async Task<ThroughputMeasurement> RunAsync(bool download, TimeSpan omit, TimeSpan duration, CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(omit + duration + ExchangeBudget);
        CancellationToken token = budget.Token;
        using Socket control = _sockets();
        using Socket data = _sockets();
        using var stopSending = new CancellationTokenSource();
        Task transfer = Task.CompletedTask;
        try
        {
            control.NoDelay = true; // the control messages are single bytes, each awaited by the other side
            await control.ConnectAsync(host, port, token).ConfigureAwait(false);
            byte[] cookie = Iperf3Wire.NewCookie();
            await SendAsync(control, cookie, token).ConfigureAwait(false);
            await ExpectAsync(control, Iperf3State.ParamExchange, token).ConfigureAwait(false);
            int seconds = (int)Math.Ceiling(duration.TotalSeconds);
            await SendAsync(control, Iperf3Wire.Frame(Iperf3Wire.Parameters(download, seconds, (int)Math.Ceiling(omit.TotalSeconds))), token).ConfigureAwait(false);
            await ExpectAsync(control, Iperf3State.CreateStreams, token).ConfigureAwait(false);

            await data.ConnectAsync(host, port, token).ConfigureAwait(false);
            await SendAsync(data, cookie, token).ConfigureAwait(false);
            await ExpectAsync(control, Iperf3State.TestStart, token).ConfigureAwait(false);
            await ExpectAsync(control, Iperf3State.TestRunning, token).ConfigureAwait(false);

            var meter = new TransferMeter(download ? () => TcpInfo.BytesReceived(data) : () => TcpInfo.BytesAcked(data));
            long started = time.GetTimestamp();
            transfer = download
                ? TransferThread.Run("iperf3 download", () => ReceiveAll(data, meter))
                : TransferThread.Run("iperf3 upload", () => SendUntil(data, meter, stopSending.Token));
            ThroughputMeasurement measured = await meter.MeasureAsync(transfer, omit, duration, time, token).ConfigureAwait(false);

            if (!download)
            {
                await stopSending.CancelAsync().ConfigureAwait(false);
                await transfer.WaitAsync(token).ConfigureAwait(false); // the block in flight, once the socket takes it
            }

            await SendAsync(control, new byte[] { (byte)Iperf3State.TestEnd }, token).ConfigureAwait(false);
            await ExpectAsync(control, Iperf3State.ExchangeResults, token).ConfigureAwait(false);
            await SendAsync(control, Iperf3Wire.Frame(Iperf3Wire.Results(meter.Bytes, time.GetElapsedTime(started).TotalSeconds, sender: !download)), token)
                .ConfigureAwait(false);
            byte[] header = new byte[4];
            await ReceiveExactlyAsync(control, header, token).ConfigureAwait(false);
            byte[] json = new byte[Iperf3Wire.ReadLength(header)];
            await ReceiveExactlyAsync(control, json, token).ConfigureAwait(false);
            IReadOnlyList<long> server = Iperf3Wire.ReadStreamBytes(json);
            if (server.Count != 1)
            {
                throw new Iperf3Exception($"the server reported {server.Count} streams for a test of one");
            }

            await ExpectAsync(control, Iperf3State.DisplayResults, token).ConfigureAwait(false);
            await SendAsync(control, new byte[] { (byte)Iperf3State.IperfDone }, token).ConfigureAwait(false);
            await WaitForCloseAsync(control, token).ConfigureAwait(false);
            return measured;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the iperf3 test with {host}:{port} took longer than {(omit + duration + ExchangeBudget).TotalSeconds:0} s");
        }
        finally
        {
            data.Dispose(); // ends a download's reader
            await transfer.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the next state; a refusal or an error becomes an <see cref="Iperf3Exception"/> saying so.</summary>
    private static async Task ExpectAsync(Socket control, Iperf3State expected, CancellationToken cancellationToken)
    {
        byte[] one = new byte[1];
        await ReceiveExactlyAsync(control, one, cancellationToken).ConfigureAwait(false);
        var state = (Iperf3State)(sbyte)one[0];
        if (state == expected)
        {
            return;
        }

        switch (state)
        {
            case Iperf3State.AccessDenied:
                throw new ThroughputBusyException("the iperf3 server is busy with another test (ACCESS_DENIED)", BusyRetryAfter);
            case Iperf3State.ServerError:
                byte[] codes = new byte[8];
                await ReceiveExactlyAsync(control, codes, cancellationToken).ConfigureAwait(false);
                throw new Iperf3Exception(Iperf3Wire.DescribeServerError(codes));
            case Iperf3State.ServerTerminate:
                throw new Iperf3Exception("the iperf3 server ended the test (SERVER_TERMINATE)");
            default:
                throw new Iperf3Exception($"the iperf3 server sent state {(sbyte)state} where {expected} ({(sbyte)expected}) was due");
        }
    }

    /// <summary>
    /// After IPERF_DONE the server closes the control connection and only then takes the next test: waiting for that
    /// (a few seconds at most) keeps the next test, this agent's upload after its download, from being refused.
    /// </summary>
    private static async Task WaitForCloseAsync(Socket control, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(TimeSpan.FromSeconds(5));
        byte[] rest = new byte[64];
        try
        {
            while (await control.ReceiveAsync(rest, SocketFlags.None, wait.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // reset, or still open after a while: the test is complete either way
        }
    }

    private static async Task SendAsync(Socket socket, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (!bytes.IsEmpty)
        {
            int sent = await socket.SendAsync(bytes, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            bytes = bytes[sent..];
        }
    }

    private static async Task ReceiveExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            int read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new Iperf3Exception("the iperf3 server closed the connection");
            }

            buffer = buffer[read..];
        }
    }

    /// <summary>
    /// A download: reads and counts, on a thread of its own (<see cref="TransferThread"/>), until the server closes the
    /// stream or the socket is disposed.
    /// </summary>
    private static void ReceiveAll(Socket data, TransferMeter meter)
    {
        byte[] buffer = new byte[Iperf3Wire.DefaultBlockBytes];
        try
        {
            int read;
            while ((read = data.Receive(buffer)) > 0)
            {
                meter.Add(read);
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SocketException { SocketErrorCode: SocketError.OperationAborted or SocketError.Interrupted })
        {
            // the test is over
        }
    }

    /// <summary>
    /// An upload: sends random blocks (not compressible on the way) and counts what the socket took, on a thread of its
    /// own, until stopped or the socket is disposed.
    /// </summary>
    private static void SendUntil(Socket data, TransferMeter meter, CancellationToken stop)
    {
        byte[] block = new byte[Iperf3Wire.DefaultBlockBytes];
        RandomNumberGenerator.Fill(block);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                meter.Add(data.Send(block));
            }
        }
        catch (Exception ex) when (stop.IsCancellationRequested && ex is ObjectDisposedException or SocketException)
        {
            // stopped while a block was on its way: it is not counted
        }
    }
}
