using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Network.CaptivePortal.Accounts;
using Network.CaptivePortal.Radius;
using Network.CaptivePortal.Sessions;
using Network.Radius.Codec;
using Network.Radius.Crypto;
using Network.Radius.Dictionary;
using Network.Radius.Packets;
using Network.Radius.Server;
using Network.Storage;

namespace Network.Radius.Benchmarks;

/// <summary>
/// A returning user's login as the receive thread runs it, without the socket: decode and Message-Authenticator check,
/// the portal handler's inline path (<see cref="PortalRadiusHandler.TryHandleInline"/>: User-Password, the verification
/// cache, the session policy, the Access-Accept model) and the signed reply, with the real account store on a temporary
/// SQLite file and OWASP Argon2id for each user's first login. Prints the time and the bytes allocated on this thread per
/// login, for each part (<see cref="GC.GetAllocatedBytesForCurrentThread"/>).
/// <code>
///   dotnet run -c Release --project bench/Radius.Benchmarks -- inline [USERS] [LOGINS]
/// </code>
/// </summary>
internal static class InlineLoginBench
{
    private const string Secret = "testing123";

    public static async Task<int> RunAsync(string[] args)
    {
        int users = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20;
        int logins = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 400_000;
        DirectoryInfo folder = Directory.CreateTempSubdirectory("radius-inline-");
        try
        {
            await using var database = new ServiceDatabase($"Data Source={Path.Combine(folder.FullName, "portal.db")}", [AccountService.Feature.Migrations]);
            await database.MigrateAsync().ConfigureAwait(false);
            var radiusOptions = Options.Create(new RadiusOptions());
            using var accounts = new AccountService(database, Options.Create(new AccountsOptions()), TimeProvider.System, NullLogger<AccountService>.Instance);
            await using var sessions = new SessionStore(database, Options.Create(new SessionsOptions()), TimeProvider.System);
            var client = new RadiusClient("bench", "127.0.0.0/8", Secret);
            await using var policy = new SessionPolicy(database, Options.Create(new SessionsOptions()), new Gateways(radiusOptions.Value, new RadiusClientTable([client])),
                TimeProvider.System, NullLogger<SessionPolicy>.Instance);
            var handler = new PortalRadiusHandler(accounts, sessions, policy, radiusOptions);
            var from = new IPEndPoint(IPAddress.Loopback, 40000);

            // What radclient sends: User-Name, User-Password, Message-Authenticator, NAS-Identifier.
            byte[][] wires = new byte[users][];
            for (int i = 0; i < users; i++)
            {
                string user = $"user{i + 1:D4}", password = $"pw-{i + 1:D4}-secret";
                if (await accounts.CreateAsync(user, password).ConfigureAwait(false) != AccountChangeResult.Done)
                {
                    throw new InvalidOperationException($"could not create {user}");
                }

                var request = new RadiusPacket(RadiusCode.AccessRequest, (byte)i, RequestAuthenticator.CreateRandom(), []);
                request.SetString(RadiusAttributes.UserName, user);
                UserPassword.Set(request, System.Text.Encoding.UTF8.GetBytes(password), client.Secret);
                request.SetString(RadiusAttributes.NasIdentifier, "hs-bench");
                wires[i] = PacketSigner.EncodeRequest(request, client.Secret);
                RadiusPacket? first = await handler.HandleAsync(new RadiusRequest(RadiusCodec.Decode(wires[i]), client, from, RadiusPort.Authentication), CancellationToken.None).ConfigureAwait(false);
                if (first?.Code != RadiusCode.AccessAccept)
                {
                    throw new InvalidOperationException($"{user}'s first login was not accepted");
                }
            }

            Run(handler, client, from, wires, logins / 4, print: false); // JIT tiers settle
            await Task.Delay(500).ConfigureAwait(false);
            Run(handler, client, from, wires, logins, print: true);
            return 0;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static void Run(PortalRadiusHandler handler, RadiusClient client, IPEndPoint from, byte[][] wires, int logins, bool print)
    {
        long decodeTicks = 0, handlerTicks = 0, signTicks = 0, decodeBytes = 0, handlerBytes = 0, signBytes = 0;
        int slow = 0;
        for (int n = 0; n < logins; n++)
        {
            byte[] wire = wires[n % wires.Length];
            long t0 = Stopwatch.GetTimestamp(), a0 = GC.GetAllocatedBytesForCurrentThread();
            RadiusPacket packet = RadiusCodec.Decode(wire);
            if (MessageAuthenticator.Verify(packet.Raw.Span, client.Secret) != MessageAuthenticatorStatus.Valid)
            {
                throw new InvalidOperationException("Message-Authenticator did not verify");
            }

            long t1 = Stopwatch.GetTimestamp(), a1 = GC.GetAllocatedBytesForCurrentThread();
            var request = new RadiusRequest(packet, client, from, RadiusPort.Authentication);
            if (!handler.TryHandleInline(request, out ValueTask<RadiusPacket?> response) || !response.IsCompletedSuccessfully)
            {
                // The slow path (a snapshot older than the refresh rounds keep them), as a worker runs it: not counted.
                slow++;
                _ = handler.HandleAsync(request, CancellationToken.None).AsTask().GetAwaiter().GetResult();
                continue;
            }

            RadiusPacket reply = response.Result ?? throw new InvalidOperationException("no answer");
            long t2 = Stopwatch.GetTimestamp(), a2 = GC.GetAllocatedBytesForCurrentThread();
            byte[] signed = PacketSigner.EncodeResponse(reply, packet.Authenticator.Span, client.Secret, addMessageAuthenticator: true);
            long t3 = Stopwatch.GetTimestamp(), a3 = GC.GetAllocatedBytesForCurrentThread();
            if (signed[0] != (byte)RadiusCode.AccessAccept)
            {
                throw new InvalidOperationException("not an Access-Accept");
            }

            decodeTicks += t1 - t0;
            handlerTicks += t2 - t1;
            signTicks += t3 - t2;
            decodeBytes += a1 - a0;
            handlerBytes += a2 - a1;
            signBytes += a3 - a2;
        }

        if (print)
        {
            int measured = logins - slow;
            double Ns(long ticks) => ticks * 1e9 / Stopwatch.Frequency / measured;
            double B(long bytes) => (double)bytes / measured;
            Console.WriteLine($"{measured:N0} logins from memory ({slow} took the slow path, not counted), per login:");
            Console.WriteLine($"  decode + Message-Authenticator check  {Ns(decodeTicks),8:F0} ns  {B(decodeBytes),6:F0} B");
            Console.WriteLine($"  handler inline path                   {Ns(handlerTicks),8:F0} ns  {B(handlerBytes),6:F0} B");
            Console.WriteLine($"  signed Access-Accept                  {Ns(signTicks),8:F0} ns  {B(signBytes),6:F0} B");
            Console.WriteLine($"  total                                 {Ns(decodeTicks + handlerTicks + signTicks),8:F0} ns  {B(decodeBytes + handlerBytes + signBytes),6:F0} B");
        }
    }

    /// <summary>The gateways as the portal's RADIUS feature gives them to the session policy.</summary>
    private sealed class Gateways(RadiusOptions options, RadiusClientTable clients) : ISessionGateways
    {
        public int IdleTimeout => options.Reply.IdleTimeout;

        public (RadiusClient Client, IPEndPoint DisconnectEndpoint)? Find(IPAddress nas) =>
            clients.Find(nas) is { } client ? (client, new IPEndPoint(nas, options.DynamicAuthorizationPort)) : null;
    }
}
