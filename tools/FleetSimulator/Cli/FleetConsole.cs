using System.Globalization;

namespace Network.FleetSimulator;

/// <summary>
/// Commands the running simulator takes on its standard input, one a line, to stage an incident:
/// <c>down DEVICE</c> cuts a device's uplink (ifOperStatus down, as a dug-up fibre), <c>up DEVICE</c> mends it;
/// DEVICE is the index or the sysName from the fleet list.
/// </summary>
public static class FleetConsole
{
    public const string Help = "commands on stdin: down DEVICE | up DEVICE   (DEVICE: index or sysName)";

    /// <summary>Carries out one line and says what happened (or why not).</summary>
    public static string Apply(Fleet fleet, string line)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        string[] words = (line ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words is not [("down" or "up") and var verb, string name])
        {
            return words.Length == 0 ? "" : $"? {Help}";
        }

        FleetDevice? device = int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index < fleet.Devices.Count
            ? fleet.Devices[index]
            : fleet.Devices.FirstOrDefault(d => string.Equals(d.SysName, name, StringComparison.Ordinal));
        if (device is null)
        {
            return $"? no device '{name}'";
        }

        device.Device.CutUplink(verb == "down");
        return $"{device.SysName}: uplink {verb}";
    }

    /// <summary>Reads commands until the input ends (a service without a terminal simply never sends any).</summary>
    public static async Task RunAsync(Fleet fleet, TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        while (await input.ReadLineAsync(cancellationToken) is string line)
        {
            string answer = Apply(fleet, line);
            if (answer.Length > 0)
            {
                await output.WriteLineAsync(answer);
                await output.FlushAsync(cancellationToken);
            }
        }
    }
}
