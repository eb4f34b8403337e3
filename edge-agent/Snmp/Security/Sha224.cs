using System.Buffers.Binary;
using System.Numerics;

namespace Network.Snmp.Security;

/// <summary>
/// SHA-224 (FIPS 180-4 sections 5.3.2 and 6.3): the SHA-256 compression function with its own initial hash value,
/// the digest truncated to 28 bytes. System.Security.Cryptography has no SHA-224, and RFC 7860's
/// usmHMAC128SHA224AuthProtocol needs it; everything else in this folder uses the runtime's hashes.
/// Incremental, so the 1 MB password expansion and the HMAC of a message need no copies.
/// </summary>
internal sealed class Sha224
{
    public const int HashLength = 28;
    public const int BlockLength = 64;

    // FIPS 180-4 section 4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.
    private static readonly uint[] s_k =
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    private readonly uint[] _state = new uint[8];
    private readonly uint[] _schedule = new uint[64];
    private readonly byte[] _block = new byte[BlockLength];
    private int _filled;
    private ulong _total;

    public Sha224() => Reset();

    /// <summary>The SHA-224 digest of <paramref name="data"/>.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var sha = new Sha224();
        sha.Append(data);
        byte[] digest = new byte[HashLength];
        sha.Finish(digest);
        return digest;
    }

    /// <summary>HMAC-SHA-224 (RFC 2104 with B = 64, L = 28), the full 28 bytes.</summary>
    public static byte[] Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message)
    {
        var hmac = new HmacSha224(key);
        hmac.Append(message);
        byte[] mac = new byte[HashLength];
        hmac.Finish(mac);
        return mac;
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        _total += (ulong)data.Length;
        if (_filled > 0)
        {
            int take = Math.Min(BlockLength - _filled, data.Length);
            data[..take].CopyTo(_block.AsSpan(_filled));
            _filled += take;
            data = data[take..];
            if (_filled < BlockLength)
            {
                return;
            }

            Compress(_block);
            _filled = 0;
        }

        while (data.Length >= BlockLength)
        {
            Compress(data[..BlockLength]);
            data = data[BlockLength..];
        }

        data.CopyTo(_block);
        _filled = data.Length;
    }

    /// <summary>Writes the 28-byte digest and resets, ready for the next message.</summary>
    public void Finish(Span<byte> digest)
    {
        // FIPS 180-4 section 5.1.1: 0x80, zeros, then the message length in bits as a 64-bit big-endian integer.
        ulong bits = _total * 8;
        Span<byte> block = _block;
        block[_filled++] = 0x80;
        if (_filled > BlockLength - 8)
        {
            block[_filled..].Clear();
            Compress(block);
            _filled = 0;
        }

        block[_filled..(BlockLength - 8)].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(block[(BlockLength - 8)..], bits);
        Compress(block);

        for (int i = 0; i < 7; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(digest[(i * 4)..], _state[i]);
        }

        Reset();
    }

    private void Reset()
    {
        // FIPS 180-4 section 5.3.2: the SHA-224 initial hash value.
        ReadOnlySpan<uint> initial = [0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939, 0xffc00b31, 0x68581511, 0x64f98fa7, 0xbefa4fa4];
        initial.CopyTo(_state);
        _filled = 0;
        _total = 0;
    }

    // FIPS 180-4 section 6.2.2 (SHA-256 hash computation), one 512-bit block.
    private void Compress(ReadOnlySpan<byte> block)
    {
        Span<uint> w = _schedule;
        for (int t = 0; t < 16; t++)
        {
            w[t] = BinaryPrimitives.ReadUInt32BigEndian(block[(t * 4)..]);
        }

        for (int t = 16; t < 64; t++)
        {
            uint s0 = BitOperations.RotateRight(w[t - 15], 7) ^ BitOperations.RotateRight(w[t - 15], 18) ^ (w[t - 15] >> 3);
            uint s1 = BitOperations.RotateRight(w[t - 2], 17) ^ BitOperations.RotateRight(w[t - 2], 19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }

        Span<uint> h = _state;
        uint a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
        for (int t = 0; t < 64; t++)
        {
            uint sum1 = BitOperations.RotateRight(e, 6) ^ BitOperations.RotateRight(e, 11) ^ BitOperations.RotateRight(e, 25);
            uint ch = (e & f) ^ (~e & g);
            uint t1 = hh + sum1 + ch + s_k[t] + w[t];
            uint sum0 = BitOperations.RotateRight(a, 2) ^ BitOperations.RotateRight(a, 13) ^ BitOperations.RotateRight(a, 22);
            uint maj = (a & b) ^ (a & c) ^ (b & c);
            hh = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + sum0 + maj;
        }

        h[0] += a;
        h[1] += b;
        h[2] += c;
        h[3] += d;
        h[4] += e;
        h[5] += f;
        h[6] += g;
        h[7] += hh;
    }
}

/// <summary>HMAC-SHA-224, incremental (RFC 2104: H(K XOR opad || H(K XOR ipad || text))).</summary>
internal sealed class HmacSha224
{
    private readonly Sha224 _inner = new();
    private readonly byte[] _innerPad = new byte[Sha224.BlockLength];
    private readonly byte[] _outerPad = new byte[Sha224.BlockLength];

    public HmacSha224(ReadOnlySpan<byte> key)
    {
        // RFC 2104 section 2: a key longer than B is hashed first; a shorter one is padded with zeros.
        if (key.Length > Sha224.BlockLength)
        {
            key = Sha224.Hash(key);
        }

        key.CopyTo(_innerPad);
        key.CopyTo(_outerPad);
        for (int i = 0; i < Sha224.BlockLength; i++)
        {
            _innerPad[i] ^= 0x36;
            _outerPad[i] ^= 0x5c;
        }

        _inner.Append(_innerPad);
    }

    public void Append(ReadOnlySpan<byte> data) => _inner.Append(data);

    /// <summary>Writes the 28-byte MAC and resets, ready for the next message under the same key.</summary>
    public void Finish(Span<byte> mac)
    {
        Span<byte> innerHash = stackalloc byte[Sha224.HashLength];
        _inner.Finish(innerHash);
        _inner.Append(_outerPad);
        _inner.Append(innerHash);
        _inner.Finish(mac);
        _inner.Append(_innerPad);
    }
}
