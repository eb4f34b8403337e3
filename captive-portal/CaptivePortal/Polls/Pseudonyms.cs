using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Network.CaptivePortal.Polls;

/// <summary>
/// An account's pseudonym in the polls: HMAC-SHA256 of its id (8 bytes, big-endian) under <see cref="PollsOptions.PseudonymKey"/>,
/// in lower-case hex. The same account always gets the same pseudonym (one voice), and without the key nobody can tell
/// whose it is; the name is never part of it.
/// </summary>
public sealed class Pseudonyms(IOptions<PollsOptions> options)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(options.Value.PseudonymKey);

    public string Of(long accountId)
    {
        Span<byte> id = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(id, accountId);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, id, mac);
        return Convert.ToHexStringLower(mac);
    }
}
