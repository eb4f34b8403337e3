using System.Diagnostics.CodeAnalysis;

namespace Network.CaptivePortal.Accounts;

/// <summary>
/// MAC addresses as gateways send them in Calling-Station-Id and as users' devices are remembered.
/// The one stored form is RFC 3580 section 3.21's: six upper-case hex pairs joined by hyphens, <c>00-10-A4-23-19-C0</c>.
/// </summary>
public static class MacAddress
{
    /// <summary>
    /// Accepts <c>00-10-a4-23-19-c0</c>, <c>00:10:A4:23:19:C0</c>, <c>0010.a423.19c0</c> and <c>0010A42319C0</c>
    /// (what CoovaChilli, openNDS, Cisco and MikroTik send); anything else is not a MAC.
    /// </summary>
    public static bool TryNormalize([NotNullWhen(true)] string? text, [NotNullWhen(true)] out string? normalized)
    {
        normalized = null;
        if (text is null)
        {
            return false;
        }

        ReadOnlySpan<char> input = text.AsSpan().Trim();
        if (input.Length is not (12 or 14 or 17))
        {
            return false;
        }

        Span<char> digits = stackalloc char[12];
        int count = 0;
        foreach (char c in input)
        {
            if (char.IsAsciiHexDigit(c))
            {
                if (count == 12)
                {
                    return false;
                }

                digits[count++] = char.ToUpperInvariant(c);
            }
            else if (c is not ('-' or ':' or '.'))
            {
                return false;
            }
        }

        if (count != 12 || !HasKnownSeparators(input))
        {
            return false;
        }

        normalized = string.Create(17, digits.ToArray(), static (span, hex) =>
        {
            for (int i = 0; i < 6; i++)
            {
                span[i * 3] = hex[i * 2];
                span[(i * 3) + 1] = hex[(i * 2) + 1];
                if (i < 5)
                {
                    span[(i * 3) + 2] = '-';
                }
            }
        });
        return true;
    }

    private static bool HasKnownSeparators(ReadOnlySpan<char> input) => input.Length switch
    {
        12 => true,
        // aabb.ccdd.eeff
        14 => input[4] == '.' && input[9] == '.',
        // aa-bb-cc-dd-ee-ff or aa:bb:cc:dd:ee:ff, one separator throughout
        _ => input[2] is '-' or ':' && input[5] == input[2] && input[8] == input[2] && input[11] == input[2] && input[14] == input[2],
    };
}
