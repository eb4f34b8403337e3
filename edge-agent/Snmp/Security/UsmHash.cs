using System.Security.Cryptography;

namespace Network.Snmp.Security;

/// <summary>
/// An incremental hash or HMAC for one authentication protocol: the runtime's <see cref="IncrementalHash"/>, or
/// <see cref="Sha224"/> where the runtime has none. Key derivation streams the 1 MB expansion through it, and
/// verification feeds the message around the MAC slot without copying the message.
/// </summary>
internal sealed class UsmHash : IDisposable
{
    private readonly IncrementalHash? _runtime;
    private readonly Sha224? _sha224;
    private readonly HmacSha224? _hmacSha224;

    private UsmHash(AuthProtocol protocol, IncrementalHash? runtime, Sha224? sha224, HmacSha224? hmacSha224)
    {
        Length = protocol.HashLength();
        _runtime = runtime;
        _sha224 = sha224;
        _hmacSha224 = hmacSha224;
    }

    /// <summary>The length of what <see cref="Finish"/> writes: the full hash or HMAC, before any truncation.</summary>
    public int Length { get; }

    public static UsmHash CreateHash(AuthProtocol protocol) =>
        protocol == AuthProtocol.HmacSha224
            ? new UsmHash(protocol, null, new Sha224(), null)
            : new UsmHash(protocol, IncrementalHash.CreateHash(protocol.HashName()), null, null);

    public static UsmHash CreateHmac(AuthProtocol protocol, ReadOnlySpan<byte> key) =>
        protocol == AuthProtocol.HmacSha224
            ? new UsmHash(protocol, null, null, new HmacSha224(key))
            : new UsmHash(protocol, IncrementalHash.CreateHMAC(protocol.HashName(), key), null, null);

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_runtime is not null)
        {
            _runtime.AppendData(data);
        }
        else if (_sha224 is not null)
        {
            _sha224.Append(data);
        }
        else
        {
            _hmacSha224!.Append(data);
        }
    }

    /// <summary>Writes <see cref="Length"/> bytes and resets for the next input.</summary>
    public void Finish(Span<byte> destination)
    {
        if (_runtime is not null)
        {
            _runtime.GetHashAndReset(destination);
        }
        else if (_sha224 is not null)
        {
            _sha224.Finish(destination);
        }
        else
        {
            _hmacSha224!.Finish(destination);
        }
    }

    public void Dispose() => _runtime?.Dispose();
}
