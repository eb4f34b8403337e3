namespace Network.Radius.Codec;

/// <summary>Bytes that are not a valid RADIUS packet or attribute: the one exception the decoders throw.</summary>
public sealed class RadiusDecodeException : Exception
{
    public RadiusDecodeException(string message, int offset = -1)
        : base(offset >= 0 ? $"{message} (at byte {offset})" : message) => Offset = offset;

    public RadiusDecodeException()
    {
    }

    public RadiusDecodeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Where in the input the problem was found, or -1.</summary>
    public int Offset { get; } = -1;
}
