namespace Network.CaptivePortal.Polls;

/// <summary>
/// The 19 communes of the Brussels-Capital Region, where a proposed place is: a stable key, and the name in Dutch and French
/// (English uses the French name but for the City of Brussels). A list rather than free text, so a place is found without a map.
/// </summary>
public static class Communes
{
    public sealed record Commune(string Key, string Nl, string Fr, string En);

    public static IReadOnlyList<Commune> All { get; } =
    [
        new("anderlecht", "Anderlecht", "Anderlecht", "Anderlecht"),
        new("auderghem", "Oudergem", "Auderghem", "Auderghem"),
        new("berchem-sainte-agathe", "Sint-Agatha-Berchem", "Berchem-Sainte-Agathe", "Berchem-Sainte-Agathe"),
        new("bruxelles", "Brussel", "Bruxelles", "City of Brussels"),
        new("etterbeek", "Etterbeek", "Etterbeek", "Etterbeek"),
        new("evere", "Evere", "Evere", "Evere"),
        new("forest", "Vorst", "Forest", "Forest"),
        new("ganshoren", "Ganshoren", "Ganshoren", "Ganshoren"),
        new("ixelles", "Elsene", "Ixelles", "Ixelles"),
        new("jette", "Jette", "Jette", "Jette"),
        new("koekelberg", "Koekelberg", "Koekelberg", "Koekelberg"),
        new("molenbeek-saint-jean", "Sint-Jans-Molenbeek", "Molenbeek-Saint-Jean", "Molenbeek-Saint-Jean"),
        new("saint-gilles", "Sint-Gillis", "Saint-Gilles", "Saint-Gilles"),
        new("saint-josse-ten-noode", "Sint-Joost-ten-Node", "Saint-Josse-ten-Noode", "Saint-Josse-ten-Noode"),
        new("schaerbeek", "Schaarbeek", "Schaerbeek", "Schaerbeek"),
        new("uccle", "Ukkel", "Uccle", "Uccle"),
        new("watermael-boitsfort", "Watermaal-Bosvoorde", "Watermael-Boitsfort", "Watermael-Boitsfort"),
        new("woluwe-saint-lambert", "Sint-Lambrechts-Woluwe", "Woluwe-Saint-Lambert", "Woluwe-Saint-Lambert"),
        new("woluwe-saint-pierre", "Sint-Pieters-Woluwe", "Woluwe-Saint-Pierre", "Woluwe-Saint-Pierre"),
    ];

    public static bool IsKnown(string? key) => All.Any(c => c.Key == key);

    /// <summary>The commune's name in <paramref name="lang"/> (<c>nl</c>, <c>fr</c>, <c>en</c>); the key itself when unknown.</summary>
    public static string Name(string key, string lang) => All.FirstOrDefault(c => c.Key == key) is { } c
        ? lang switch { "nl" => c.Nl, "fr" => c.Fr, _ => c.En }
        : key;
}
