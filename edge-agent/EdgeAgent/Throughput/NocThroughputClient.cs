using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Network.Contracts;

namespace Network.EdgeAgent.Throughput;

/// <summary>A target refused a test because it runs others (the NOC's 503, iperf3's ACCESS_DENIED); try again after <see cref="RetryAfter"/>.</summary>
public sealed class ThroughputBusyException(string message, TimeSpan retryAfter) : Exception($"{message}; retry after {retryAfter.TotalSeconds:0} s")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>
/// A test against the NOC's throughput endpoint (<see cref="ThroughputPaths"/>) with the agent's bearer token: a download
/// reads what the NOC sends from memory, an upload streams random blocks the NOC reads and discards. HTTP/1.1 on purpose:
/// one TCP connection carrying the payload as it is (HTTP/2's flow-control windows would cap a long fat link).
/// </summary>
public sealed class NocThroughputClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _download;
    private readonly Uri _upload;
    private readonly string _token;
    private readonly TimeProvider _time;
    private System.Net.Sockets.Socket? _socket;

    public NocThroughputClient(Uri nocUrl, string token, SocketsHttpHandler handler, TimeProvider time, TcpSocketFactory? sockets = null)
    {
        ArgumentNullException.ThrowIfNull(nocUrl);
        ArgumentNullException.ThrowIfNull(handler);
        TcpSocketFactory make = sockets ?? TransferMeter.DefaultSockets;
        // The test's one connection is made here, so that an upload can ask its socket what the NOC acknowledged.
        handler.ConnectCallback = async (context, cancellationToken) =>
        {
            System.Net.Sockets.Socket socket = make();
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
                _socket = socket;
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };

        _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        var root = new Uri(nocUrl.AbsoluteUri.EndsWith('/') ? nocUrl.AbsoluteUri : nocUrl.AbsoluteUri + "/", UriKind.Absolute);
        _download = new Uri(root, ThroughputPaths.Download.TrimStart('/'));
        _upload = new Uri(root, ThroughputPaths.Upload.TrimStart('/'));
        _token = token;
        _time = time;
    }

    public async Task<ThroughputMeasurement> RunAsync(bool download, TimeSpan omit, TimeSpan duration, CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(omit + duration + Iperf3Client.ExchangeBudget);
        try
        {
            return download
                ? await DownloadAsync(omit, duration, budget.Token).ConfigureAwait(false)
                : await UploadAsync(omit, duration, budget.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the throughput test with the NOC took longer than {(omit + duration + Iperf3Client.ExchangeBudget).TotalSeconds:0} s");
        }
    }

    private async Task<ThroughputMeasurement> DownloadAsync(TimeSpan omit, TimeSpan duration, CancellationToken cancellationToken)
    {
        // A second more than measured: the NOC stops on its own at that bound, the agent stops reading first.
        int seconds = (int)Math.Ceiling((omit + duration).TotalSeconds) + 1;
        using HttpRequestMessage request = Request(HttpMethod.Get, new Uri($"{_download}?seconds={seconds}"));
        using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        Check(response);
        using var stop = new CancellationTokenSource();
        Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            var meter = new TransferMeter(() => _socket is { } socket ? TcpInfo.BytesReceived(socket) : null);
            Task transfer = TransferThread.Run("noc download", () => ReadAll(body, meter, stop.Token));
            try
            {
                return await meter.MeasureAsync(transfer, omit, duration, _time, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // The reader is blocked in a read: closing the connection ends it.
                await stop.CancelAsync().ConfigureAwait(false);
                _socket?.Dispose();
                await transfer.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
    }

    private async Task<ThroughputMeasurement> UploadAsync(TimeSpan omit, TimeSpan duration, CancellationToken cancellationToken)
    {
        var meter = new TransferMeter(() => _socket is { } socket ? TcpInfo.BytesAcked(socket) : null);
        using var stop = new CancellationTokenSource();
        using var content = new RandomBlocksContent(meter, stop.Token);
        using HttpRequestMessage request = Request(HttpMethod.Post, _upload);
        request.Content = content;
        request.Headers.ExpectContinue = true; // a busy NOC answers 503 before a byte of the body is sent
        Task<HttpResponseMessage> sending = _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (await Task.WhenAny(sending, content.Started).ConfigureAwait(false) == sending)
        {
            using HttpResponseMessage early = await sending.ConfigureAwait(false);
            Check(early);
            throw new HttpRequestException($"the NOC answered {(int)early.StatusCode} before the upload started");
        }

        ThroughputMeasurement measured;
        try
        {
            measured = await meter.MeasureAsync(sending, omit, duration, _time, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }

        using HttpResponseMessage response = await sending.ConfigureAwait(false);
        Check(response);
        return measured;
    }

    private HttpRequestMessage Request(HttpMethod method, Uri uri)
    {
        var request = new HttpRequestMessage(method, uri) { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        return request;
    }

    private void Check(HttpResponseMessage response)
    {
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            TimeSpan retry = response.Headers.RetryAfter switch
            {
                { Delta: TimeSpan delta } => delta,
                { Date: DateTimeOffset date } => date - _time.GetUtcNow(),
                _ => TimeSpan.FromMinutes(1),
            };
            throw new ThroughputBusyException("the NOC runs as many throughput tests as it takes", retry < TimeSpan.Zero ? TimeSpan.Zero : retry);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"the NOC answered {(int)response.StatusCode} to a throughput test", null, response.StatusCode);
        }
    }

    /// <summary>A download's reader, on a thread of its own (<see cref="TransferThread"/>): reads and counts until the body ends or the test stops it.</summary>
    private static void ReadAll(Stream body, TransferMeter meter, CancellationToken stop)
    {
        byte[] buffer = new byte[128 * 1024];
        try
        {
            int read;
            while ((read = body.Read(buffer)) > 0)
            {
                meter.Add(read);
            }
        }
        catch (Exception ex) when (stop.IsCancellationRequested && ex is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // stopped reading: the measurement is over
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>An upload body: random 128 KiB blocks until stopped, each counted once the connection took it (where the NOC's acknowledgements are not known).</summary>
    private sealed class RandomBlocksContent(TransferMeter meter, CancellationToken stop) : HttpContent
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when the body starts (after the NOC's 100 Continue).</summary>
        public Task Started => _started.Task;

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            await SerializeToStreamAsync(stream, context, CancellationToken.None).ConfigureAwait(false);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            _started.TrySetResult();
            byte[] block = new byte[128 * 1024];
            RandomNumberGenerator.Fill(block);
            // Blocking writes on a thread of its own (TransferThread): the kernel wakes it when the socket takes more.
            await TransferThread.Run("noc upload", () =>
            {
                while (!stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    stream.Write(block);
                    meter.Add(block.Length);
                }
            }).ConfigureAwait(false);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
