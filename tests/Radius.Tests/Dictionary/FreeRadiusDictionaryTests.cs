using Network.Radius.Dictionary;

namespace Network.Radius.Tests.Dictionary;

/// <summary>
/// Every definition against FreeRADIUS 3.2's installed dictionaries (/usr/share/freeradius, package freeradius-common):
/// the same number, the same type, the same value names. Read as facts to compare with, never copied.
/// </summary>
public sealed class FreeRadiusDictionaryTests
{
    private const string Folder = "/usr/share/freeradius";

    private static readonly string[] s_files =
    [
        "dictionary.rfc2865", "dictionary.rfc2866", "dictionary.rfc2869", "dictionary.rfc3162", "dictionary.rfc3576",
        "dictionary.rfc5176", "dictionary.wispr", "dictionary.chillispot", "dictionary.mikrotik",
    ];

    [Fact]
    public void Every_definition_FreeRADIUS_also_has_agrees_on_number_type_and_concat()
    {
        FreeRadius fr = FreeRadius.Load();
        int compared = 0;
        foreach (RadiusAttributeDefinition definition in RadiusAttributes.All)
        {
            if (!fr.Attributes.TryGetValue(definition.Name, out FrAttribute? theirs))
            {
                // CoovaChilli's own attributes 10-57 (radius_chillispot.h) are not in FreeRADIUS's dictionary.chillispot.
                Assert.True(definition.VendorId == RadiusVendors.ChilliSpot, $"{definition.Name} is not in FreeRADIUS's dictionaries");
                continue;
            }

            compared++;
            Assert.True(theirs.Vendor == definition.VendorId, $"{definition.Name}: vendor {theirs.Vendor} there, {definition.VendorId} here");
            Assert.True(theirs.Number == definition.Type, $"{definition.Name}: number {theirs.Number} there, {definition.Type} here");
            Assert.True(Agrees(definition, theirs.Type), $"{definition.Name}: type {theirs.Type} there, {definition.DataType} here");
            Assert.True(theirs.Concat == definition.Concat, $"{definition.Name}: concat {theirs.Concat} there, {definition.Concat} here");
        }

        Assert.True(compared >= 120, $"only {compared} definitions compared");
    }

    [Fact]
    public void Every_vendor_attribute_FreeRADIUS_knows_for_WISPr_ChilliSpot_and_MikroTik_is_defined_here()
    {
        FreeRadius fr = FreeRadius.Load();
        foreach (FrAttribute theirs in fr.Attributes.Values)
        {
            if (theirs.Vendor is RadiusVendors.Wispr or RadiusVendors.ChilliSpot or RadiusVendors.Mikrotik)
            {
                Assert.True(RadiusDictionary.Default.TryGet(theirs.Vendor, (byte)theirs.Number, out _), $"{theirs.Name} ({theirs.Vendor}:{theirs.Number}) is missing");
            }
        }
    }

    [Fact]
    public void Every_named_value_agrees_with_FreeRADIUS()
    {
        FreeRadius fr = FreeRadius.Load();
        int compared = 0;
        foreach (RadiusAttributeDefinition definition in RadiusAttributes.All)
        {
            if (!fr.Values.TryGetValue(definition.Name, out Dictionary<string, uint>? theirs))
            {
                continue;
            }

            foreach (RadiusNamedValue value in definition.Values)
            {
                Assert.True(theirs.TryGetValue(value.Name, out uint number), $"{definition.Name} {value.Name} is not in FreeRADIUS");
                Assert.True(number == value.Value, $"{definition.Name} {value.Name}: {number} there, {value.Value} here");
                compared++;
            }
        }

        Assert.True(compared >= 100, $"only {compared} values compared");
    }

    private static bool Agrees(RadiusAttributeDefinition definition, string theirs) => definition.DataType switch
    {
        RadiusDataType.Text => theirs == "string",
        // User-Password is "string encrypt=1" there: its octets on the wire are hidden, so octets here.
        RadiusDataType.Octets => theirs == "octets" || (theirs == "string" && definition.Name == "User-Password"),
        RadiusDataType.Integer or RadiusDataType.Enum => theirs == "integer",
        RadiusDataType.Time => theirs == "date",
        RadiusDataType.Ipv4Addr => theirs == "ipaddr",
        RadiusDataType.Ipv6Addr => theirs == "ipv6addr",
        RadiusDataType.Ipv6Prefix => theirs == "ipv6prefix",
        RadiusDataType.Ifid => theirs == "ifid",
        RadiusDataType.Vsa => theirs == "vsa",
        _ => false,
    };

    private sealed record FrAttribute(string Name, uint Vendor, uint Number, string Type, bool Concat);

    private sealed class FreeRadius
    {
        public Dictionary<string, FrAttribute> Attributes { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Dictionary<string, Dictionary<string, uint>> Values { get; } = new(StringComparer.OrdinalIgnoreCase);

        public static FreeRadius Load()
        {
            var result = new FreeRadius();
            var vendors = new Dictionary<string, uint>(StringComparer.OrdinalIgnoreCase);
            foreach (string file in s_files)
            {
                string path = Path.Combine(Folder, file);
                Assert.True(File.Exists(path), $"{path} is missing: apt-get install -y freeradius-common");
                uint vendor = 0;
                foreach (string line in File.ReadLines(path))
                {
                    string[] f = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                    if (f.Length == 0 || f[0].StartsWith('#'))
                    {
                        continue;
                    }

                    switch (f[0])
                    {
                        case "VENDOR":
                            vendors[f[1]] = Number(f[2]);
                            break;
                        case "BEGIN-VENDOR":
                            vendor = vendors[f[1]];
                            break;
                        case "END-VENDOR":
                            vendor = 0;
                            break;
                        case "ATTRIBUTE":
                            string type = f[3].Split('[')[0];
                            bool concat = f.Length > 4 && f[4].Contains("concat", StringComparison.Ordinal);
                            result.Attributes.TryAdd(f[1], new FrAttribute(f[1], vendor, Number(f[2]), type, concat));
                            break;
                        case "VALUE":
                            if (!result.Values.TryGetValue(f[1], out Dictionary<string, uint>? values))
                            {
                                result.Values[f[1]] = values = new Dictionary<string, uint>(StringComparer.OrdinalIgnoreCase);
                            }

                            values.TryAdd(f[2], Number(f[3]));
                            break;
                    }
                }
            }

            return result;
        }

        private static uint Number(string text) => text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.Parse(text.AsSpan(2), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture)
            : uint.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }
}
