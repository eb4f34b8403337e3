using System.Security.Cryptography;
using System.Text;

namespace Network.CaptivePortal.Gateway;

/// <summary>
/// CoovaChilli's UAM redirect signature. The gateway builds the whole portal URL (its <c>uamserver</c>, <c>?res=…</c>
/// and every parameter, escaped), then appends <c>&amp;md=</c> and the upper-case hex of
/// <c>MD5(url + uamsecret)</c>, where <c>url</c> is everything before <c>&amp;md=</c>. A redirect whose <c>md</c> does not
/// match was changed on the way (or made up) and is refused.
/// </summary>
public static class UamSignature
{
    private const string Marker = "&md=";

    /// <summary>Appends <c>&amp;md=</c> to <paramref name="url"/> as the gateway does (for tests and the simulator).</summary>
    public static string Sign(string url, string secret)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url + Marker + Convert.ToHexString(Digest(url, secret));
    }

    /// <summary>
    /// True when <paramref name="url"/> ends in <c>&amp;md=</c> and 32 hex digits that are the signature of what comes
    /// before, under <paramref name="secret"/>. Compared in constant time; lower-case hex is accepted too.
    /// </summary>
    public static bool Verify(string url, string secret)
    {
        ArgumentNullException.ThrowIfNull(url);
        int at = url.LastIndexOf(Marker, StringComparison.Ordinal);
        if (at < 0 || string.IsNullOrEmpty(secret))
        {
            return false;
        }

        ReadOnlySpan<char> hex = url.AsSpan(at + Marker.Length);
        Span<byte> given = stackalloc byte[MD5.HashSizeInBytes];
        if (hex.Length != MD5.HashSizeInBytes * 2 || Convert.FromHexString(hex, given, out _, out int written) != System.Buffers.OperationStatus.Done
            || written != given.Length)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Digest(url[..at], secret), given);
    }

    private static byte[] Digest(string signed, string secret)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(signed + secret);
        try
        {
#pragma warning disable CA5351 // MD5 is what CoovaChilli's protocol defines; the secret keeps it from being forged by a client.
            return MD5.HashData(bytes);
#pragma warning restore CA5351
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
