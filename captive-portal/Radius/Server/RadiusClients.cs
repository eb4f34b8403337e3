using System.Net;
using System.Net.Sockets;

namespace Network.Radius.Server;

/// <summary>
/// Whether a NAS must send Message-Authenticator in every Access-Request (RFC 3579 section 3.2; BlastRADIUS,
/// CVE-2024-3596). <see cref="Auto"/> requires it once the client has sent one, as FreeRADIUS 3.2.5 and later do.
/// </summary>
public enum MessageAuthenticatorPolicy
{
    True,
    False,
    Auto,
}

/// <summary>
/// A NAS (hotspot gateway) allowed to talk to us: an address or a CIDR block, and its shared secret; while the secret
/// changes, also the next one, and both are accepted (the gateway moves to the next one when the operator changes it
/// there; then the next one becomes the secret and the old one is dropped).
/// </summary>
public sealed class RadiusClient
{
    private int _seenMessageAuthenticator;
    private byte[] _lastProven;

    public RadiusClient(string name, string address, string secret, MessageAuthenticatorPolicy requireMessageAuthenticator = MessageAuthenticatorPolicy.True,
        string? nextSecret = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (string.IsNullOrEmpty(secret))
        {
            throw new ArgumentException($"client '{name}' has no secret", nameof(secret));
        }

        Name = name;
        Network = IPNetwork.TryParse(address, out IPNetwork network)
            ? network
            : IPAddress.TryParse(address, out IPAddress? ip)
                ? new IPNetwork(ip, ip.AddressFamily == AddressFamily.InterNetwork ? 32 : 128)
                : throw new ArgumentException($"client '{name}': '{address}' is neither an IP address nor a CIDR block", nameof(address));
        Secret = System.Text.Encoding.UTF8.GetBytes(secret);
        NextSecret = string.IsNullOrEmpty(nextSecret) || nextSecret == secret ? null : System.Text.Encoding.UTF8.GetBytes(nextSecret);
        _lastProven = Secret;
        RequireMessageAuthenticator = requireMessageAuthenticator;
    }

    public string Name { get; }

    public IPNetwork Network { get; }

    /// <summary>The shared secret's bytes. Never logged, never printed.</summary>
    public byte[] Secret { get; }

    /// <summary>The secret the client is moving to, accepted as well as <see cref="Secret"/>; null when none. Never logged.</summary>
    public byte[]? NextSecret { get; }

    /// <summary>
    /// The secret the client's last authenticated packet was made with: the one to sign what we send it unasked
    /// (Disconnect-Request) while its secret changes.
    /// </summary>
    public byte[] SecretInUse => Volatile.Read(ref _lastProven);

    public MessageAuthenticatorPolicy RequireMessageAuthenticator { get; }

    /// <summary>Has this client ever sent a valid Message-Authenticator (the <see cref="MessageAuthenticatorPolicy.Auto"/> latch)?</summary>
    public bool HasSentMessageAuthenticator => Volatile.Read(ref _seenMessageAuthenticator) != 0;

    /// <summary>True when an Access-Request from this client must carry a valid Message-Authenticator.</summary>
    public bool MustSendMessageAuthenticator => RequireMessageAuthenticator switch
    {
        MessageAuthenticatorPolicy.True => true,
        MessageAuthenticatorPolicy.Auto => HasSentMessageAuthenticator,
        _ => false,
    };

    public void NoteMessageAuthenticator() => Volatile.Write(ref _seenMessageAuthenticator, 1);

    /// <summary>Records which of the client's secrets proved its last packet (see <see cref="SecretInUse"/>).</summary>
    public void NoteSecret(byte[] secret)
    {
        if (!ReferenceEquals(Volatile.Read(ref _lastProven), secret))
        {
            Volatile.Write(ref _lastProven, secret);
        }
    }

    /// <summary>Carries what was learned of the client under its previous settings (the Message-Authenticator latch) into these.</summary>
    public void TakeOver(RadiusClient previous)
    {
        ArgumentNullException.ThrowIfNull(previous);
        if (previous.HasSentMessageAuthenticator)
        {
            NoteMessageAuthenticator();
        }

        byte[] proven = previous.SecretInUse;
        if (NextSecret is { } next && proven.AsSpan().SequenceEqual(next))
        {
            _lastProven = next;
        }
    }

    public override string ToString() =>
        $"{Name} ({Network}, Message-Authenticator {RequireMessageAuthenticator}{(NextSecret is null ? "" : ", changing its secret")})";
}

/// <summary>
/// The NAS clients by address: an exact address wins over a block, a longer prefix over a shorter. The table can be
/// replaced while the server runs (a configuration reloaded to add a gateway or change a secret): a request is checked
/// against the table as it was when the request arrived.
/// </summary>
public sealed class RadiusClientTable
{
    private RadiusClient[] _clients;

    public RadiusClientTable(IEnumerable<RadiusClient> clients)
    {
        _clients = Ordered(clients);
    }

    public IReadOnlyList<RadiusClient> Clients => Volatile.Read(ref _clients);

    /// <summary>Takes <paramref name="clients"/> as the table; a client of the same name keeps what was learned of it.</summary>
    public void Replace(IEnumerable<RadiusClient> clients)
    {
        RadiusClient[] next = Ordered(clients);
        Dictionary<string, RadiusClient> previous = Volatile.Read(ref _clients).ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
        foreach (RadiusClient client in next)
        {
            if (previous.TryGetValue(client.Name, out RadiusClient? before))
            {
                client.TakeOver(before);
            }
        }

        Volatile.Write(ref _clients, next);
    }

    public RadiusClient? Find(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (RadiusClient client in Volatile.Read(ref _clients))
        {
            if (client.Network.Contains(address))
            {
                return client;
            }
        }

        return null;
    }

    // Longest prefix first, so the first match is the most specific.
    private static RadiusClient[] Ordered(IEnumerable<RadiusClient> clients) => [.. clients.OrderByDescending(c => c.Network.PrefixLength)];
}
