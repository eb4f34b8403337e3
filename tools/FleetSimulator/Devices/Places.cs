namespace Network.FleetSimulator;

/// <summary>A real place of the Brussels region where the programme put, or plans, a device.</summary>
internal sealed record Place(string Name, string Municipality, bool Indoor)
{
    /// <summary>The place as a host-name label: <c>Dr. Schweitzerplein</c> is <c>dr-schweitzerplein</c>.</summary>
    public string Slug
    {
        get
        {
            var chars = new List<char>(Name.Length);
            foreach (char c in Name.ToLowerInvariant())
            {
                if (char.IsAsciiLetterOrDigit(c))
                {
                    chars.Add(c);
                }
                else if (chars.Count > 0 && chars[^1] != '-')
                {
                    chars.Add('-');
                }
            }

            return new string([.. chars]).Trim('-');
        }
    }
}

/// <summary>The places of ARCHITECTURE.md: Urbizone hotspot sites and the nineteen municipalities for schools.</summary>
internal static class Places
{
    /// <summary>Outdoor squares of 2015, the 2016 poll winners, and indoor town halls and public offices.</summary>
    public static readonly Place[] Hotspots =
    [
        new("Beursplein", "Brussel", Indoor: false),
        new("Flageyplein", "Elsene", Indoor: false),
        new("Sint-Denijsplein", "Vorst", Indoor: false),
        new("Colignonplein", "Schaarbeek", Indoor: false),
        new("Gemeenteplaats", "Sint-Jans-Molenbeek", Indoor: false),
        new("Raadsplein", "Anderlecht", Indoor: false),
        new("Sint-Gillisvoorplein", "Sint-Gillis", Indoor: false),
        new("Simon Bolivarlaan", "Brussel", Indoor: false),
        new("Haven, Van Praetbrug - Budabrug", "Brussel", Indoor: false),
        new("Sint-Gorikshallen", "Brussel", Indoor: true),
        new("Sint-Goedelevoorplein", "Brussel", Indoor: false),
        new("Esplanade van het Europees Parlement", "Brussel", Indoor: false),
        new("Dr. Schweitzerplein", "Sint-Agatha-Berchem", Indoor: false),
        new("Sint-Joostplein", "Sint-Joost-ten-Node", Indoor: false),
        new("Simonisplein", "Koekelberg", Indoor: false),
        new("Gemeentehuis Elsene", "Elsene", Indoor: true),
        new("Actiris", "Brussel", Indoor: true),
    ];

    /// <summary>Fiber to the School sites: a secondary school in each municipality of the region.</summary>
    public static readonly Place[] Schools =
    [
        .. new[]
        {
            "Anderlecht", "Brussel", "Elsene", "Etterbeek", "Evere", "Ganshoren", "Jette", "Koekelberg", "Oudergem",
            "Schaarbeek", "Sint-Agatha-Berchem", "Sint-Gillis", "Sint-Jans-Molenbeek", "Sint-Joost-ten-Node",
            "Sint-Lambrechts-Woluwe", "Sint-Pieters-Woluwe", "Ukkel", "Vorst", "Watermaal-Bosvoorde",
        }.Select(m => new Place("Secundaire school", m, Indoor: true)),
    ];
}
