using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Konscious.Security.Cryptography;
using Sodium = NSec.Cryptography;

namespace Network.CaptivePortal.Accounts;

/// <summary>Argon2 cost: memory in KiB, passes over it, lanes.</summary>
public sealed record Argon2Parameters(int MemoryKiB, int Iterations, int Parallelism)
{
    /// <summary>
    /// OWASP Password Storage Cheat Sheet (Argon2id, first of its equivalent choices):
    /// m = 19 MiB (19456 KiB), t = 2 iterations, p = 1 degree of parallelism.
    /// </summary>
    public static Argon2Parameters Owasp { get; } = new(19 * 1024, 2, 1);
}

public enum PasswordAlgorithm
{
    Argon2id,
    Pbkdf2Sha256,
    Pbkdf2Sha512,
}

/// <summary>
/// A parsed password hash in PHC string format (github.com/P-H-C/phc-string-format):
/// <c>$argon2id$v=19$m=19456,t=2,p=1$&lt;salt&gt;$&lt;hash&gt;</c>, or, for accounts an operator migrates from
/// another system, <c>$pbkdf2-sha512$i=210000$&lt;salt&gt;$&lt;hash&gt;</c> and <c>$pbkdf2-sha256$i=600000$…</c>.
/// Salt and hash are standard base64 without padding, as PHC says.
/// </summary>
public sealed record PasswordHash(PasswordAlgorithm Algorithm, int MemoryKiB, int Iterations, int Parallelism, byte[] Salt, byte[] Hash)
{
    /// <summary>The Argon2 version this code writes and reads: 0x13, "v=19" (RFC 9106 section 3.1).</summary>
    public const int Argon2Version = 19;

    private const int MaxMemoryKiB = 1024 * 1024;
    private const int MaxIterations = 10_000_000;

    public string ToPhcString() => Algorithm switch
    {
        PasswordAlgorithm.Argon2id => string.Create(CultureInfo.InvariantCulture,
            $"$argon2id$v={Argon2Version}$m={MemoryKiB},t={Iterations},p={Parallelism}${B64(Salt)}${B64(Hash)}"),
        PasswordAlgorithm.Pbkdf2Sha256 => string.Create(CultureInfo.InvariantCulture, $"$pbkdf2-sha256$i={Iterations}${B64(Salt)}${B64(Hash)}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"$pbkdf2-sha512$i={Iterations}${B64(Salt)}${B64(Hash)}"),
    };

    public override string ToString() => ToPhcString();

    /// <summary>Parses a PHC string; rejects unknown algorithms, other Argon2 versions and absurd costs.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out PasswordHash? hash)
    {
        hash = null;
        if (text is null || !text.StartsWith('$'))
        {
            return false;
        }

        string[] fields = text[1..].Split('$');
        switch (fields)
        {
            case ["argon2id", string version, string parameters, string salt, string digest]:
                if (version != "v=" + Argon2Version.ToString(CultureInfo.InvariantCulture)
                    || !TryParseParameters(parameters, ["m", "t", "p"], out int[] mtp)
                    || mtp[2] is < 1 or > 16 || mtp[0] < 8 * mtp[2] || mtp[0] > MaxMemoryKiB || mtp[1] is < 1 or > 100
                    || !TryFromB64(salt, out byte[]? saltBytes) || !TryFromB64(digest, out byte[]? hashBytes)
                    || saltBytes.Length < 8 || hashBytes.Length is < 16 or > 64)
                {
                    return false;
                }

                hash = new PasswordHash(PasswordAlgorithm.Argon2id, mtp[0], mtp[1], mtp[2], saltBytes, hashBytes);
                return true;
            case [string name and ("pbkdf2-sha256" or "pbkdf2-sha512"), string parameters, string salt, string digest]:
                if (!TryParseParameters(parameters, ["i"], out int[] i) || i[0] is < 1 or > MaxIterations
                    || !TryFromB64(salt, out byte[]? pSalt) || !TryFromB64(digest, out byte[]? pHash)
                    || pSalt.Length < 8 || pHash.Length is < 16 or > 64)
                {
                    return false;
                }

                PasswordAlgorithm algorithm = name == "pbkdf2-sha256" ? PasswordAlgorithm.Pbkdf2Sha256 : PasswordAlgorithm.Pbkdf2Sha512;
                hash = new PasswordHash(algorithm, 0, i[0], 0, pSalt, pHash);
                return true;
            default:
                return false;
        }
    }

    private static bool TryParseParameters(string text, string[] names, out int[] values)
    {
        values = new int[names.Length];
        string[] pairs = text.Split(',');
        if (pairs.Length != names.Length)
        {
            return false;
        }

        for (int i = 0; i < names.Length; i++)
        {
            string[] pair = pairs[i].Split('=');
            if (pair.Length != 2 || pair[0] != names[i]
                || !int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static bool TryFromB64(string text, [NotNullWhen(true)] out byte[]? bytes)
    {
        bytes = null;
        if (text.Length == 0 || text.Length % 4 == 1 || text.Contains('=', StringComparison.Ordinal))
        {
            return false;
        }

        string padded = text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
        byte[] buffer = new byte[padded.Length / 4 * 3];
        if (!Convert.TryFromBase64String(padded, buffer, out int written))
        {
            return false;
        }

        bytes = buffer[..written];
        return true;
    }
}

/// <summary>
/// Hashes new passwords with Argon2id and verifies Argon2id and PBKDF2-HMAC-SHA256/512 hashes in constant time. Argon2id
/// with one lane and a 16-byte salt (everything this class writes) runs in libsodium (NSec), about twice as fast as the
/// managed Konscious, which takes the rest (several lanes, other salt lengths of imported hashes). Passwords are normalised to Unicode NFKC first (NIST SP 800-63B section 5.1.1.2), so the same password typed
/// on two keyboards gives the same bytes.
/// </summary>
public sealed class PasswordHasher(Argon2Parameters parameters)
{
    public const int SaltLength = 16;
    public const int HashLength = 32;

    /// <summary>OWASP Password Storage Cheat Sheet (2023): PBKDF2-HMAC-SHA256 needs 600,000 iterations.</summary>
    public const int Pbkdf2Sha256Iterations = 600_000;

    /// <summary>OWASP Password Storage Cheat Sheet (2023): PBKDF2-HMAC-SHA512 needs 210,000 iterations.</summary>
    public const int Pbkdf2Sha512Iterations = 210_000;

    public Argon2Parameters Parameters { get; } = parameters;

    public string Hash(string password)
    {
        byte[] salt = RandomNumberGenerator.GetBytes(SaltLength);
        byte[] digest = Argon2id(password, salt, Parameters.MemoryKiB, Parameters.Iterations, Parameters.Parallelism, HashLength);
        return new PasswordHash(PasswordAlgorithm.Argon2id, Parameters.MemoryKiB, Parameters.Iterations, Parameters.Parallelism, salt, digest)
            .ToPhcString();
    }

    /// <summary>
    /// True when <paramref name="password"/> matches <paramref name="hash"/>. <paramref name="needsRehash"/> says the
    /// hash is of another algorithm or other parameters than this hasher writes.
    /// </summary>
    public bool Verify(string password, PasswordHash hash, out bool needsRehash)
    {
        byte[] computed = hash.Algorithm switch
        {
            PasswordAlgorithm.Argon2id => Argon2id(password, hash.Salt, hash.MemoryKiB, hash.Iterations, hash.Parallelism, hash.Hash.Length),
            PasswordAlgorithm.Pbkdf2Sha256 => Pbkdf2(password, hash.Salt, hash.Iterations, HashAlgorithmName.SHA256, hash.Hash.Length),
            _ => Pbkdf2(password, hash.Salt, hash.Iterations, HashAlgorithmName.SHA512, hash.Hash.Length),
        };
        needsRehash = NeedsRehash(hash);
        return CryptographicOperations.FixedTimeEquals(computed, hash.Hash);
    }

    public bool NeedsRehash(PasswordHash hash) =>
        hash.Algorithm != PasswordAlgorithm.Argon2id
        || hash.MemoryKiB != Parameters.MemoryKiB || hash.Iterations != Parameters.Iterations || hash.Parallelism != Parameters.Parallelism
        || hash.Salt.Length != SaltLength || hash.Hash.Length != HashLength;

    /// <summary>NFKC, then UTF-8; the caller clears the returned array (it is rented).</summary>
    internal static byte[] PasswordBytes(string password, out int length)
    {
        string normalized = password.IsNormalized(NormalizationForm.FormKC) ? password : password.Normalize(NormalizationForm.FormKC);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(normalized.Length));
        length = Encoding.UTF8.GetBytes(normalized, buffer);
        return buffer;
    }

    internal static void Return(byte[] buffer, int length)
    {
        CryptographicOperations.ZeroMemory(buffer.AsSpan(0, length));
        ArrayPool<byte>.Shared.Return(buffer);
    }

    private static byte[] Argon2id(string password, byte[] salt, int memoryKiB, int iterations, int parallelism, int length)
    {
        byte[] rented = PasswordBytes(password, out int count);
        try
        {
            if (parallelism == 1 && salt.Length == SaltLength && Libsodium(rented.AsSpan(0, count), salt, memoryKiB, iterations, length) is { } digest)
            {
                return digest;
            }

            // Konscious keeps the array it is given; give it an exact copy and clear it afterwards.
            byte[] exact = rented.AsSpan(0, count).ToArray();
            try
            {
                using var argon = new Argon2id(exact)
                {
                    Salt = salt,
                    MemorySize = memoryKiB,
                    Iterations = iterations,
                    DegreeOfParallelism = parallelism,
                };
                return argon.GetBytes(length);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(exact);
            }
        }
        finally
        {
            Return(rented, count);
        }
    }

    // libsodium's crypto_pwhash (Argon2id v1.3, one lane, a 16-byte salt); null for costs or a length it does not take.
    private static byte[]? Libsodium(ReadOnlySpan<byte> password, byte[] salt, int memoryKiB, int iterations, int length)
    {
        try
        {
            Sodium.PasswordBasedKeyDerivationAlgorithm algorithm = Sodium.PasswordBasedKeyDerivationAlgorithm.Argon2id(
                new Sodium.Argon2Parameters { DegreeOfParallelism = 1, MemorySize = memoryKiB, NumberOfPasses = iterations });
            return algorithm.DeriveBytes(password, salt, length);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static byte[] Pbkdf2(string password, byte[] salt, int iterations, HashAlgorithmName algorithm, int length)
    {
        byte[] rented = PasswordBytes(password, out int count);
        try
        {
            return Rfc2898DeriveBytes.Pbkdf2(rented.AsSpan(0, count), salt, iterations, algorithm, length);
        }
        finally
        {
            Return(rented, count);
        }
    }
}
