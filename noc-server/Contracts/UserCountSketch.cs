using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Network.Contracts;

/// <summary>
/// A HyperLogLog sketch (Flajolet, Fusy, Gandouet, Meunier 2007) of distinct user keys: 1,024 one-byte registers
/// (precision 10, a standard error of about 3.3 %), a 64-bit hash (the first 8 bytes of SHA-256, the same on every
/// process and release), the small-range correction (linear counting). Adding a key twice changes nothing; two sketches
/// merge register by register into the sketch of the union. What leaves the portal is the registers, never a key.
/// </summary>
public sealed class UserCountSketch
{
    public const int Precision = 10;
    public const int Size = 1 << Precision;

    private readonly byte[] _registers;

    public UserCountSketch() => _registers = new byte[Size];

    private UserCountSketch(byte[] registers) => _registers = registers;

    /// <summary>The registers (a copy).</summary>
    public byte[] ToArray() => (byte[])_registers.Clone();

    /// <summary>The registers in base64, as <see cref="UserSketch.Registers"/> carries them.</summary>
    public string ToBase64() => Convert.ToBase64String(_registers);

    /// <summary>A sketch from its registers, or null when they are not <see cref="Size"/> bytes of ranks a 64-bit hash can give.</summary>
    public static UserCountSketch? FromArray(ReadOnlySpan<byte> registers)
    {
        if (registers.Length != Size)
        {
            return null;
        }

        foreach (byte rank in registers)
        {
            if (rank > 64 - Precision + 1)
            {
                return null;
            }
        }

        return new UserCountSketch(registers.ToArray());
    }

    /// <summary>A sketch from base64 registers, or null when they are not a sketch.</summary>
    public static UserCountSketch? FromBase64(string? text)
    {
        if (text is null || text.Length > 2 * Size)
        {
            return null;
        }

        byte[] bytes = new byte[Size + 3];
        return Convert.TryFromBase64String(text, bytes, out int written) ? FromArray(bytes.AsSpan(0, written)) : null;
    }

    /// <summary>Counts a user key (case matters: the caller gives one form per user).</summary>
    public void Add(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        ulong x = BinaryPrimitives.ReadUInt64BigEndian(hash);
        int index = (int)(x >> (64 - Precision));
        ulong rest = x << Precision;
        byte rank = (byte)Math.Min(BitOperations.LeadingZeroCount(rest) + 1, 64 - Precision + 1);
        if (rank > _registers[index])
        {
            _registers[index] = rank;
        }
    }

    /// <summary>Takes in another sketch: this becomes the sketch of both sets.</summary>
    public void Merge(UserCountSketch other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (int i = 0; i < Size; i++)
        {
            if (other._registers[i] > _registers[i])
            {
                _registers[i] = other._registers[i];
            }
        }
    }

    /// <summary>The estimated number of distinct keys, rounded.</summary>
    public long Estimate()
    {
        double sum = 0;
        int zeros = 0;
        foreach (byte rank in _registers)
        {
            sum += Math.ScaleB(1.0, -rank);
            if (rank == 0)
            {
                zeros++;
            }
        }

        double alpha = 0.7213 / (1 + (1.079 / Size));
        double estimate = alpha * Size * Size / sum;
        if (estimate <= 2.5 * Size && zeros > 0)
        {
            estimate = Size * Math.Log((double)Size / zeros);
        }

        return (long)Math.Round(estimate);
    }
}
