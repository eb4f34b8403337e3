using System.Security.Cryptography;
using Network.Radius.Packets;

namespace Network.Radius.Crypto;

/// <summary>
/// User-Password hiding (RFC 2865 section 5.2). The password is padded with nulls to a multiple of 16 octets (at most
/// 128), then each 16-octet block is XORed with an MD5 of the secret and the previous cipher block:
/// <code>
///   b1 = MD5(S + RA)       c(1) = p1 xor b1
///   b2 = MD5(S + c(1))     c(2) = p2 xor b2
///          . . .
///   bi = MD5(S + c(i-1))   c(i) = pi xor bi
/// </code>
/// where S is the shared secret and RA the 128-bit Request Authenticator. Unhiding reverses it and strips the trailing
/// padding nulls.
/// </summary>
public static class UserPassword
{
    /// <summary>RFC 2865 section 5.2: User-Password is attribute 2.</summary>
    public const byte AttributeType = 2;

    /// <summary>RFC 2865 section 5.2: "The String field is between 16 and 128 octets long, inclusive."</summary>
    public const int MaxLength = 128;

    private const int BlockLength = 16;

    /// <summary>The hidden length of a password of <paramref name="passwordLength"/> octets: a multiple of 16, at least 16.</summary>
    public static int HiddenLength(int passwordLength) => Math.Max(BlockLength, (passwordLength + BlockLength - 1) / BlockLength * BlockLength);

    /// <summary>Hides a password of at most 128 octets; throws <see cref="ArgumentException"/> for a longer one.</summary>
    public static byte[] Hide(ReadOnlySpan<byte> password, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> requestAuthenticator)
    {
        byte[] hidden = new byte[HiddenLength(password.Length)];
        Hide(password, secret, requestAuthenticator, hidden);
        return hidden;
    }

    /// <summary>Hides a password into <paramref name="destination"/>; returns the octets written (<see cref="HiddenLength"/>).</summary>
    public static int Hide(ReadOnlySpan<byte> password, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> requestAuthenticator, Span<byte> destination)
    {
        if (password.Length > MaxLength)
        {
            throw new ArgumentException($"a User-Password has at most {MaxLength} octets, not {password.Length}", nameof(password));
        }

        RequireAuthenticator(requestAuthenticator);
        int length = HiddenLength(password.Length);
        if (destination.Length < length)
        {
            throw new ArgumentException($"the hidden password needs {length} octets", nameof(destination));
        }

        Span<byte> output = destination[..length];
        output.Clear();
        password.CopyTo(output);
        Span<byte> b = stackalloc byte[BlockLength];
        ReadOnlySpan<byte> previous = requestAuthenticator;
        for (int i = 0; i < length; i += BlockLength)
        {
            RadiusHash.Md5(secret, previous, default, default, b);
            Span<byte> block = output.Slice(i, BlockLength);
            for (int j = 0; j < BlockLength; j++)
            {
                block[j] ^= b[j];
            }

            previous = block;
        }

        CryptographicOperations.ZeroMemory(b);
        return length;
    }

    /// <summary>
    /// Recovers a password; false (never an exception) when the hidden value is not 16 to 128 octets in whole 16-octet
    /// blocks. A wrong secret cannot be detected here: it yields a wrong password.
    /// </summary>
    public static bool TryUnhide(ReadOnlySpan<byte> hidden, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> requestAuthenticator, out byte[] password)
    {
        password = [];
        Span<byte> plain = stackalloc byte[MaxLength];
        if (!TryUnhide(hidden, secret, requestAuthenticator, plain, out int length))
        {
            return false;
        }

        password = plain[..length].ToArray();
        CryptographicOperations.ZeroMemory(plain);
        return true;
    }

    /// <summary>
    /// <see cref="TryUnhide(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, out byte[])"/> into the caller's
    /// <paramref name="destination"/> (at least <see cref="MaxLength"/> octets, cleared by the caller after use):
    /// <paramref name="length"/> is the password's length there.
    /// </summary>
    public static bool TryUnhide(ReadOnlySpan<byte> hidden, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> requestAuthenticator, Span<byte> destination, out int length)
    {
        length = 0;
        if (hidden.Length < BlockLength || hidden.Length > MaxLength || hidden.Length % BlockLength != 0
            || requestAuthenticator.Length != RadiusPacket.AuthenticatorLength || destination.Length < hidden.Length)
        {
            return false;
        }

        Span<byte> b = stackalloc byte[BlockLength];
        ReadOnlySpan<byte> previous = requestAuthenticator;
        for (int i = 0; i < hidden.Length; i += BlockLength)
        {
            RadiusHash.Md5(secret, previous, default, default, b);
            for (int j = 0; j < BlockLength; j++)
            {
                destination[i + j] = (byte)(hidden[i + j] ^ b[j]);
            }

            previous = hidden.Slice(i, BlockLength);
        }

        length = hidden.Length;
        while (length > 0 && destination[length - 1] == 0)
        {
            length--;
        }

        CryptographicOperations.ZeroMemory(b);
        return true;
    }

    /// <summary>
    /// The password of an Access-Request: its first User-Password unhidden with the packet's Request Authenticator.
    /// False when there is none or it is malformed.
    /// </summary>
    public static bool TryGet(RadiusPacket request, ReadOnlySpan<byte> secret, out byte[] password)
    {
        ArgumentNullException.ThrowIfNull(request);
        password = [];
        return request.TryGetAttribute(AttributeType, out RadiusAttribute attribute)
            && TryUnhide(attribute.Value.Span, secret, request.Authenticator.Span, out password);
    }

    /// <summary><see cref="TryGet(RadiusPacket, ReadOnlySpan{byte}, out byte[])"/> into the caller's buffer (see <see cref="TryUnhide(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte}, out int)"/>).</summary>
    public static bool TryGet(RadiusPacket request, ReadOnlySpan<byte> secret, Span<byte> destination, out int length)
    {
        ArgumentNullException.ThrowIfNull(request);
        length = 0;
        return request.TryGetAttribute(AttributeType, out RadiusAttribute attribute)
            && TryUnhide(attribute.Value.Span, secret, request.Authenticator.Span, destination, out length);
    }

    /// <summary>
    /// Sets an Access-Request's User-Password (replacing any) hidden with the packet's current Authenticator: set the
    /// Request Authenticator first (<see cref="RequestAuthenticator.CreateRandom"/>).
    /// </summary>
    public static void Set(RadiusPacket request, ReadOnlySpan<byte> password, ReadOnlySpan<byte> secret)
    {
        ArgumentNullException.ThrowIfNull(request);
        byte[] hidden = Hide(password, secret, request.Authenticator.Span);
        int at = request.Attributes.FindIndex(a => a.Type == AttributeType);
        request.RemoveAttributes(AttributeType);
        request.Attributes.Insert(at < 0 ? request.Attributes.Count : at, new RadiusAttribute(AttributeType, hidden));
    }

    internal static void RequireAuthenticator(ReadOnlySpan<byte> authenticator)
    {
        if (authenticator.Length != RadiusPacket.AuthenticatorLength)
        {
            throw new ArgumentException($"an Authenticator is {RadiusPacket.AuthenticatorLength} octets, not {authenticator.Length}", nameof(authenticator));
        }
    }
}
