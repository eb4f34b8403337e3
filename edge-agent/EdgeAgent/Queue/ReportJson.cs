using System.Text.Json;

namespace Network.EdgeAgent.Queue;

/// <summary>
/// Reads the arrays of a stored <see cref="AgentReport"/> (<c>{"samples":[...],"events":[...]}</c>) without turning
/// them into objects: the forwarder counts a record's samples and copies them into a batch as they are stored.
/// </summary>
public static class ReportJson
{
    /// <summary>The samples array's property name.</summary>
    public static ReadOnlySpan<byte> Samples => "samples"u8;

    /// <summary>The events array's property name.</summary>
    public static ReadOnlySpan<byte> Events => "events"u8;

    /// <summary>How many elements the top-level array <paramref name="property"/> has (0 when it is absent or null).</summary>
    public static int Count(ReadOnlySpan<byte> report, ReadOnlySpan<byte> property) => Visit(report, property, null);

    /// <summary>Writes each element of the top-level array <paramref name="property"/> into <paramref name="writer"/> as it is; returns how many.</summary>
    public static int CopyElements(ReadOnlySpan<byte> report, ReadOnlySpan<byte> property, Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        return Visit(report, property, writer);
    }

    private static int Visit(ReadOnlySpan<byte> report, ReadOnlySpan<byte> property, Utf8JsonWriter? writer)
    {
        var reader = new Utf8JsonReader(report);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a queue record is not a JSON object");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool wanted = reader.ValueTextEquals(property);
            reader.Read();
            if (!wanted || reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }

            int count = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                int start = (int)reader.TokenStartIndex;
                reader.Skip();
                writer?.WriteRawValue(report[start..(int)reader.BytesConsumed], skipInputValidation: true);
                count++;
            }

            return count;
        }

        return 0;
    }
}
