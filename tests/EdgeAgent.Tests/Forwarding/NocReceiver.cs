using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Network.Contracts;
using Network.TestSupport;

namespace Network.EdgeAgent.Tests.Forwarding;

/// <summary>One request the receiver saw, decoded with the real contract types.</summary>
public sealed record ReceivedBatch(string Protocol, string? Authorization, string? ContentEncoding, SampleBatch Batch, int Status, byte[] Json);

/// <summary>What the receiver answers to a batch: a status, and optionally a Retry-After value, whether it keeps the batch, and an Agent-Request header.</summary>
public readonly record struct Answer(int Status, string? RetryAfter = null, bool Keep = true, string? AgentRequest = null);

/// <summary>
/// A stand-in for the NOC's ingest API (<c>POST /api/v1/ingest</c>) on 127.0.0.1: Kestrel with HTTPS (a self-signed
/// certificate written as PEM for the agent to trust) and HTTP/1.1 + HTTP/2. It decodes gzip and the real
/// <see cref="SampleBatch"/>, keeps what it accepts (dropping a sequence number it already has, as the NOC will),
/// and answers what <see cref="Respond"/> says.
/// </summary>
public sealed class NocReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempFolder _folder = new("noc-receiver");
    private readonly HashSet<long> _sequences = [];

    private NocReceiver(WebApplication app, Uri url, string caFile)
    {
        _app = app;
        Url = url;
        CaFile = caFile;
    }

    public Uri Url { get; }

    /// <summary>PEM of the self-signed certificate: the agent's <c>Agent:Noc:CaCertificateFile</c>.</summary>
    public string CaFile { get; private set; }

    public Func<SampleBatch, Answer> Respond { get; set; } = _ => new Answer(202);

    public ConcurrentQueue<ReceivedBatch> Requests { get; } = new();

    /// <summary>Batches kept, one per sequence number (a resent copy is dropped, as the NOC drops it).</summary>
    public ConcurrentQueue<SampleBatch> Kept { get; } = new();

    public static async Task<NocReceiver> StartAsync()
    {
        int port = Peers.FreeTcpPort();
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=noc.test", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        using X509Certificate2 created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        X509Certificate2 certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.UseHttps(certificate);
        }));
        WebApplication app = builder.Build();
        NocReceiver? receiver = null;
        app.MapPost("/api/v1/ingest", (HttpContext context) => receiver!.HandleAsync(context));
        await app.StartAsync();
        receiver = new NocReceiver(app, new Uri($"https://127.0.0.1:{port}/"), "");
        receiver.CaFile = receiver._folder.PathOf("noc-ca.pem");
        await File.WriteAllTextAsync(receiver.CaFile, certificate.ExportCertificatePem());
        return receiver;
    }

    /// <summary>Every sample kept, in arrival order.</summary>
    public List<Sample> KeptSamples() => [.. Kept.SelectMany(b => b.Samples)];

    private async Task HandleAsync(HttpContext context)
    {
        string? encoding = context.Request.Headers.ContentEncoding;
        Stream body = encoding == "gzip" ? new GZipStream(context.Request.Body, CompressionMode.Decompress) : context.Request.Body;
        using var json = new MemoryStream();
        await body.CopyToAsync(json);
        SampleBatch batch = JsonSerializer.Deserialize(json.ToArray(), IngestJsonContext.Default.SampleBatch)!;
        Answer answer = Respond(batch);
        lock (_sequences)
        {
            if (answer.Keep && (answer.Status is >= 200 and < 300 || answer.Status >= 500) && _sequences.Add(batch.Sequence))
            {
                Kept.Enqueue(batch); // a 5xx with Keep: the NOC stored it, the answer was lost on the way
            }
        }

        Requests.Enqueue(new ReceivedBatch(context.Request.Protocol, context.Request.Headers.Authorization, encoding, batch, answer.Status, json.ToArray()));
        context.Response.StatusCode = answer.Status;
        if (answer.RetryAfter is not null)
        {
            context.Response.Headers.RetryAfter = answer.RetryAfter;
        }

        if (answer.AgentRequest is not null)
        {
            context.Response.Headers[AgentRequests.Header] = answer.AgentRequest;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _folder.Dispose();
    }
}
