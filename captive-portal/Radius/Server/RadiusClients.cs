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

/// <summary>A NAS (hotspot gateway) allowed to talk to us: an address or a CIDR block, and its shared secret.</summary>
public sealed class RadiusClient
{
    private int _seenMessageAuthenticator;

    public RadiusClient(string name, string address, string secret, MessageAuthenticatorPolicy requireMessageAuthenticator = MessageAuthenticatorPolicy.True)
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
        RequireMessageAuthenticator = requireMessageAuthenticator;
    }

    public string Name { get; }

    public IPNetwork Network { get; }

    /// <summary>The shared secret's bytes. Never logged, never printed.</summary>
    public byte[] Secret { get; }

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

    public override string ToString() => $"{Name} ({Network}, Message-Authenticator {RequireMessageAuthenticator})";
}

/// <summary>The NAS clients by address: an exact address wins over a block, a longer prefix over a shorter.</summary>
public sealed class RadiusClientTable
{
    private readonly RadiusClient[] _clients;

    public RadiusClientTable(IEnumerable<RadiusClient> clients)
    {
        // Longest prefix first, so the first match is the most specific.
        _clients = [.. clients.OrderByDescending(c => c.Network.PrefixLength)];
    }

    public IReadOnlyList<RadiusClient> Clients => _clients;

    public RadiusClient? Find(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (RadiusClient client in _clients)
        {
            if (client.Network.Contains(address))
            {
                return client;
            }
        }

        return null;
    }
}
