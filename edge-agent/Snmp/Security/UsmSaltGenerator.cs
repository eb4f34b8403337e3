using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Network.Snmp.Security;

/// <summary>
/// The salt counter of RFC 3826 section 3.1.1.1 (and RFC 3414 section 8.1.1.1 for DES): a 64-bit integer that starts
/// at a random value and is incremented, atomically, for every encrypted message, so a salt never repeats under one key
/// until the counter wraps. Thread-safe; <see cref="Shared"/> serves the whole process.
/// </summary>
public sealed class UsmSaltGenerator
{
    private long _counter;

    /// <summary>Starts at a random value.</summary>
    public UsmSaltGenerator()
        : this(BinaryPrimitives.ReadUInt64BigEndian(RandomNumberGenerator.GetBytes(8)))
    {
    }

    /// <summary>Starts at <paramref name="start"/>: the first <see cref="Next"/> returns <paramref name="start"/> + 1. For tests.</summary>
    public UsmSaltGenerator(ulong start) => _counter = unchecked((long)start);

    public static UsmSaltGenerator Shared { get; } = new();

    /// <summary>The next value of the counter (wrapping from 2^64-1 to 0).</summary>
    public ulong Next() => unchecked((ulong)Interlocked.Increment(ref _counter));

    /// <summary>
    /// Writes the 8-byte msgPrivacyParameters for the next message: for DES, snmpEngineBoots || the low 32 bits of the
    /// counter (RFC 3414 section 8.1.1.1); for AES, the 64-bit counter (RFC 3826 section 3.1.1.1); both big-endian.
    /// </summary>
    public void NextPrivacyParameters(PrivProtocol protocol, int engineBoots, Span<byte> privacyParameters)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(privacyParameters.Length, PrivProtocols.SaltLength, nameof(privacyParameters));
        ulong salt = Next();
        if (protocol == PrivProtocol.Des)
        {
            BinaryPrimitives.WriteInt32BigEndian(privacyParameters, engineBoots);
            BinaryPrimitives.WriteUInt32BigEndian(privacyParameters[4..], unchecked((uint)salt));
        }
        else
        {
            BinaryPrimitives.WriteUInt64BigEndian(privacyParameters, salt);
        }
    }
}
