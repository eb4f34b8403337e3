namespace Network.Snmp;

/// <summary>Bytes that are not a valid SNMP message: the one exception the decoders throw.</summary>
public sealed class SnmpDecodeException : Exception
{
    public SnmpDecodeException(string message, int offset = -1)
        : base(offset >= 0 ? $"{message} (at byte {offset})" : message) => Offset = offset;

    public SnmpDecodeException()
    {
    }

    public SnmpDecodeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Where in the input the problem was found, or -1.</summary>
    public int Offset { get; } = -1;
}
