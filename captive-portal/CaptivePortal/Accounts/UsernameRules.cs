using System.Collections.Frozen;
using System.Text;

namespace Network.CaptivePortal.Accounts;

/// <summary>What a chosen username can be, beyond <see cref="AccountPolicy.IsValidUsername"/>'s characters.</summary>
public enum UsernameVerdict
{
    Allowed,

    /// <summary>Not 3 to 32 of <c>a-z A-Z 0-9 . _ -</c>.</summary>
    Invalid,

    /// <summary>Letters of another script (Cyrillic <c>а</c> looks like Latin <c>a</c>): refused, so no name can pose as another.</summary>
    OtherScript,

    /// <summary>A name people would take for the operator's (admin, helpdesk, urbizone...), or one that looks like it.</summary>
    Reserved,
}

/// <summary>
/// The rules a person's new username goes through on the "New user" form:
/// Unicode NFKC first (full-width <c>ｍａｒｉｅ</c> becomes <c>marie</c>, as a phone keyboard may type it), then only
/// ASCII letters, digits and <c>. _ -</c> (so mixed scripts and the confusables of UTS #39 between scripts cannot occur),
/// then no reserved name, compared by <see cref="Skeleton"/> so <c>adm1n</c> and <c>rnarie</c> count as <c>admin</c> and <c>marie</c>.
/// </summary>
public static class UsernameRules
{
    private static readonly FrozenSet<string> s_reserved = new[]
    {
        "admin", "administrator", "root", "system", "operator", "support", "helpdesk", "help", "info", "contact",
        "noc", "radius", "portal", "hotspot", "wifi", "urbizone", "postmaster", "hostmaster", "webmaster", "abuse",
        "security", "privacy", "guest", "anonymous", "nobody", "null", "test", "user",
    }.Select(Skeleton).ToFrozenSet(StringComparer.Ordinal);

    // Reserved as a prefix too: "admin2", "helpdesk.brussel", "urbizone-noc".
    private static readonly string[] s_reservedPrefixes = [.. new[] { "admin", "helpdesk", "support", "urbizone", "operator" }.Select(Skeleton)];

    /// <summary>Normalises what was typed (NFKC, trimmed) and says whether it may become a username.</summary>
    public static UsernameVerdict Check(string? typed, out string normalized)
    {
        normalized = Normalize(typed);
        if (normalized.Length == 0)
        {
            return UsernameVerdict.Invalid;
        }

        if (!AccountPolicy.IsValidUsername(normalized))
        {
            // Letters outside ASCII after NFKC are another script or a look-alike: say so rather than "invalid".
            return normalized.Any(c => c > 0x7F && char.IsLetter(c)) ? UsernameVerdict.OtherScript : UsernameVerdict.Invalid;
        }

        string skeleton = Skeleton(normalized);
        return s_reserved.Contains(skeleton) || s_reservedPrefixes.Any(p => skeleton.StartsWith(p, StringComparison.Ordinal))
            ? UsernameVerdict.Reserved
            : UsernameVerdict.Allowed;
    }

    /// <summary>NFKC and trimmed; at most a few hundred characters are looked at.</summary>
    public static string Normalize(string? typed)
    {
        if (string.IsNullOrWhiteSpace(typed))
        {
            return "";
        }

        string text = typed.Length > 256 ? typed[..256] : typed;
        return text.Normalize(NormalizationForm.FormKC).Trim();
    }

    /// <summary>
    /// The shape of a valid username as a reader sees it, after UTS #39's idea of a skeleton restricted to ASCII:
    /// lower case, <c>0</c>→<c>o</c>, <c>1</c>/<c>i</c>→<c>l</c>, <c>5</c>→<c>s</c>, <c>rn</c>→<c>m</c>, <c>vv</c>→<c>w</c>,
    /// <c>cl</c>→<c>d</c>, and <c>. _ -</c> all one separator. Two usernames with one skeleton cannot both exist.
    /// </summary>
    public static string Skeleton(string username)
    {
        ArgumentNullException.ThrowIfNull(username);
        var builder = new StringBuilder(username.Length);
        foreach (char c in username.ToLowerInvariant())
        {
            builder.Append(c switch
            {
                '0' => 'o',
                '1' or 'i' or '|' => 'l',
                '5' => 's',
                '_' or '-' => '.',
                _ => c,
            });
        }

        return builder.Replace("rn", "m").Replace("vv", "w").Replace("cl", "d").ToString();
    }
}
