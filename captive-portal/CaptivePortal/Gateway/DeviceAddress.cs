using System.Globalization;

namespace Network.CaptivePortal.Gateway;

/// <summary>What a MAC address says about the device.</summary>
public static class DeviceAddress
{
    /// <summary>
    /// IEEE 802 "locally administered" bit: the second-lowest bit of the first octet (<c>x2</c>, <c>x6</c>, <c>xA</c>, <c>xE</c>).
    /// Phones set it on the random, per-network or rotating addresses of their private Wi-Fi mode (iOS 14+, Android 10+),
    /// so such an address cannot be remembered: it will not be the device's address for long.
    /// </summary>
    public static bool IsLocallyAdministered(string normalizedMac)
    {
        ArgumentNullException.ThrowIfNull(normalizedMac);
        return normalizedMac.Length >= 2
            && byte.TryParse(normalizedMac.AsSpan(0, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out byte first)
            && (first & 0x02) != 0;
    }
}
