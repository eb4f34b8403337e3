using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Network.Radius.Crypto;

/// <summary>
/// MD5 (RFC 1321) in managed code, as a value that is copied to fork a hash: RADIUS hashes many short packets (one to
/// three 64-octet blocks each), where a call into OpenSSL per piece costs more than the compression itself, and HMAC
/// (RFC 2104) can start from a state that has already absorbed the padded key (<see cref="HmacMd5Key"/>). MD5 is what
/// RFC 2865, 2866, 3579 and 5176 define for RADIUS/UDP; it is no choice of ours and is used for nothing else.
/// </summary>
internal struct Md5
{
    public const int HashLength = 16;
    public const int BlockLength = 64;

    private uint _a;
    private uint _b;
    private uint _c;
    private uint _d;
    private long _length; // octets appended so far
    private Block _pending; // the start of an unfinished block: _length % 64 octets

    /// <summary>A hash of nothing yet (RFC 1321 section 3.3, the initial words A, B, C, D).</summary>
    public static Md5 Create() => new() { _a = 0x67452301, _b = 0xefcdab89, _c = 0x98badcfe, _d = 0x10325476 };

    /// <summary>MD5 of the concatenation of the pieces.</summary>
    public static void Hash(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, ReadOnlySpan<byte> d, Span<byte> destination)
    {
        Md5 md5 = Create();
        md5.Append(a);
        md5.Append(b);
        md5.Append(c);
        md5.Append(d);
        md5.Finish(destination);
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        int used = (int)(_length & (BlockLength - 1));
        _length += data.Length;
        Span<byte> pending = _pending;
        if (used > 0)
        {
            int take = Math.Min(BlockLength - used, data.Length);
            data[..take].CopyTo(pending[used..]);
            data = data[take..];
            if (used + take < BlockLength)
            {
                return;
            }

            Compress(pending);
        }

        while (data.Length >= BlockLength)
        {
            Compress(data[..BlockLength]);
            data = data[BlockLength..];
        }

        data.CopyTo(pending);
    }

    /// <summary>Pads (RFC 1321 sections 3.1, 3.2), writes the 16-octet digest (section 3.5). The value is spent afterwards.</summary>
    public void Finish(Span<byte> destination)
    {
        if (destination.Length < HashLength)
        {
            throw new ArgumentException("MD5 needs 16 octets", nameof(destination));
        }

        long bits = _length * 8;
        int used = (int)(_length & (BlockLength - 1));
        Span<byte> pending = _pending;
        pending[used++] = 0x80;
        if (used > BlockLength - 8)
        {
            pending[used..].Clear();
            Compress(pending);
            used = 0;
        }

        pending[used..(BlockLength - 8)].Clear();
        BinaryPrimitives.WriteInt64LittleEndian(pending[(BlockLength - 8)..], bits);
        Compress(pending);
        BinaryPrimitives.WriteUInt32LittleEndian(destination, _a);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], _b);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], _c);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], _d);
    }

    // RFC 1321 section 3.4: four rounds of 16 operations over one 64-octet block.
    private void Compress(ReadOnlySpan<byte> block)
    {
        Span<uint> x = stackalloc uint[16];
        for (int i = 0; i < 16; i++)
        {
            x[i] = BinaryPrimitives.ReadUInt32LittleEndian(block[(i * 4)..]);
        }

        uint a = _a, b = _b, c = _c, d = _d;
        ReadOnlySpan<uint> t = T;

        // Round 1: F(X,Y,Z) = XY v not(X) Z; [abcd k s i] a = b + ((a + F(b,c,d) + X[k] + T[i]) <<< s).
        for (int i = 0; i < 16; i += 4)
        {
            a = b + BitOperations.RotateLeft(a + ((b & c) | (~b & d)) + x[i] + t[i], 7);
            d = a + BitOperations.RotateLeft(d + ((a & b) | (~a & c)) + x[i + 1] + t[i + 1], 12);
            c = d + BitOperations.RotateLeft(c + ((d & a) | (~d & b)) + x[i + 2] + t[i + 2], 17);
            b = c + BitOperations.RotateLeft(b + ((c & d) | (~c & a)) + x[i + 3] + t[i + 3], 22);
        }

        // Round 2: G(X,Y,Z) = XZ v Y not(Z); message word (1 + 5j) mod 16.
        for (int i = 16; i < 32; i += 4)
        {
            a = b + BitOperations.RotateLeft(a + ((b & d) | (c & ~d)) + x[((5 * i) + 1) & 15] + t[i], 5);
            d = a + BitOperations.RotateLeft(d + ((a & c) | (b & ~c)) + x[((5 * (i + 1)) + 1) & 15] + t[i + 1], 9);
            c = d + BitOperations.RotateLeft(c + ((d & b) | (a & ~b)) + x[((5 * (i + 2)) + 1) & 15] + t[i + 2], 14);
            b = c + BitOperations.RotateLeft(b + ((c & a) | (d & ~a)) + x[((5 * (i + 3)) + 1) & 15] + t[i + 3], 20);
        }

        // Round 3: H(X,Y,Z) = X xor Y xor Z; message word (5 + 3j) mod 16.
        for (int i = 32; i < 48; i += 4)
        {
            a = b + BitOperations.RotateLeft(a + (b ^ c ^ d) + x[((3 * i) + 5) & 15] + t[i], 4);
            d = a + BitOperations.RotateLeft(d + (a ^ b ^ c) + x[((3 * (i + 1)) + 5) & 15] + t[i + 1], 11);
            c = d + BitOperations.RotateLeft(c + (d ^ a ^ b) + x[((3 * (i + 2)) + 5) & 15] + t[i + 2], 16);
            b = c + BitOperations.RotateLeft(b + (c ^ d ^ a) + x[((3 * (i + 3)) + 5) & 15] + t[i + 3], 23);
        }

        // Round 4: I(X,Y,Z) = Y xor (X v not(Z)); message word 7j mod 16.
        for (int i = 48; i < 64; i += 4)
        {
            a = b + BitOperations.RotateLeft(a + (c ^ (b | ~d)) + x[(7 * i) & 15] + t[i], 6);
            d = a + BitOperations.RotateLeft(d + (b ^ (a | ~c)) + x[(7 * (i + 1)) & 15] + t[i + 1], 10);
            c = d + BitOperations.RotateLeft(c + (a ^ (d | ~b)) + x[(7 * (i + 2)) & 15] + t[i + 2], 15);
            b = c + BitOperations.RotateLeft(b + (d ^ (c | ~a)) + x[(7 * (i + 3)) & 15] + t[i + 3], 21);
        }

        _a += a;
        _b += b;
        _c += c;
        _d += d;
    }

    // RFC 1321 section 3.4: T[i] = floor(4294967296 * abs(sin(i))), i = 1..64.
    private static ReadOnlySpan<uint> T =>
    [
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
        0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
        0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
        0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
        0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
        0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
        0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
    ];

    [InlineArray(BlockLength)]
    private struct Block
    {
        private byte _element;
    }
}

/// <summary>
/// An HMAC-MD5 key (RFC 2104) with the inner and outer pad blocks already hashed: each MAC then costs the message's
/// blocks and two more, not four. Keys longer than 64 octets are hashed first, as RFC 2104 section 2 says.
/// Holds no copy of the key itself, only the two MD5 states derived from it.
/// </summary>
internal sealed class HmacMd5Key
{
    private readonly Md5 _inner;
    private readonly Md5 _outer;

    public HmacMd5Key(ReadOnlySpan<byte> key)
    {
        Span<byte> k = stackalloc byte[Md5.BlockLength];
        k.Clear();
        if (key.Length > Md5.BlockLength)
        {
            Md5.Hash(key, default, default, default, k);
        }
        else
        {
            key.CopyTo(k);
        }

        Span<byte> pad = stackalloc byte[Md5.BlockLength];
        for (int i = 0; i < pad.Length; i++)
        {
            pad[i] = (byte)(k[i] ^ 0x36);
        }

        _inner = Md5.Create();
        _inner.Append(pad);
        for (int i = 0; i < pad.Length; i++)
        {
            pad[i] = (byte)(k[i] ^ 0x5c);
        }

        _outer = Md5.Create();
        _outer.Append(pad);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(k);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(pad);
    }

    /// <summary>The inner hash, already keyed: append the message, then <see cref="Finish"/>.</summary>
    public Md5 Start() => _inner;

    /// <summary>HMAC = MD5(K xor opad, MD5(K xor ipad, message)).</summary>
    public void Finish(ref Md5 inner, Span<byte> destination)
    {
        Span<byte> innerHash = stackalloc byte[Md5.HashLength];
        inner.Finish(innerHash);
        Md5 outer = _outer;
        outer.Append(innerHash);
        outer.Finish(destination);
    }
}
