using System.Collections.Frozen;
using System.Text;

namespace Network.CaptivePortal.Accounts;

/// <summary>What a new username and password must be; the portal's "New user" form and the CLI check the same rules.</summary>
public static class AccountPolicy
{
    public const int MinUsernameLength = 3;
    public const int MaxUsernameLength = 32;
    public const int MinPasswordLength = 8;

    /// <summary>RFC 2865 section 5.2: PAP's User-Password carries at most 128 octets, so a longer password could never log in.</summary>
    public const int MaxPasswordBytes = 128;

    // The most common passwords of eight characters or more (public breach corpora), and the obvious local ones
    // in the region's three languages.
    private static readonly FrozenSet<string> s_common = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
    [
        "password", "password1", "password123", "passw0rd", "12345678", "123456789", "1234567890", "0123456789",
        "11111111", "00000000", "87654321", "12341234", "11223344", "qwertyuiop", "qwerty123", "qwerty12",
        "1q2w3e4r", "1qaz2wsx", "zaq12wsx", "abcd1234", "abcdefgh", "iloveyou", "sunshine", "princess",
        "football", "baseball", "welcome1", "superman", "starwars", "trustno1", "letmein1", "dragon12",
        "azertyuiop", "azerty123", "azerty12", "motdepasse", "wachtwoord", "welkom01", "welkom123", "bonjour1",
        "soleil123", "brussels", "bruxelles", "brussel1", "urbizone", "urbizone1", "freewifi", "wifiwifi",
    ]);

    /// <summary>3 to 32 characters, ASCII letters, digits, <c>.</c> <c>_</c> <c>-</c>; compared without regard to case.</summary>
    public static bool IsValidUsername(string? username) =>
        username is { Length: >= MinUsernameLength and <= MaxUsernameLength }
        && username.AsSpan().IndexOfAnyExcept(s_usernameCharacters) < 0;

    private static readonly System.Buffers.SearchValues<char> s_usernameCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");

    /// <summary>Checks a password chosen for <paramref name="username"/>; <see cref="AccountChangeResult.Done"/> when it may be used.</summary>
    public static AccountChangeResult CheckPassword(string username, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (password.Length < MinPasswordLength)
        {
            return AccountChangeResult.PasswordTooShort;
        }

        if (Encoding.UTF8.GetByteCount(password) > MaxPasswordBytes)
        {
            return AccountChangeResult.PasswordTooLong;
        }

        if (string.Equals(password, username, StringComparison.OrdinalIgnoreCase))
        {
            return AccountChangeResult.PasswordEqualsUsername;
        }

        return s_common.Contains(password) ? AccountChangeResult.PasswordTooCommon : AccountChangeResult.Done;
    }
}
