using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;

namespace Network.Noc.TimeSeries;

/// <summary>
/// The embedded store's write-ahead log: every write appends one record before the call returns, so points held in
/// memory survive a crash of the process (and, with <c>SyncWrites</c>, a power cut). Files are
/// <c>NNNNNNNNNNNN.log</c> in the store's folder; all of them are deleted once their points are merged into SQLite.
/// <code>
/// record  = header payload
/// header  = magic "TSL1" (u32 LE) | count (i32 LE) | CRC-32 of payload (u32 LE) | reserved 0 (u32)
/// payload = count × ( series id (i32 LE) | timestamp, Unix ms (i64 LE) | value (f64 LE) )
/// </code>
/// Recovery reads records until the first one that is short or fails its CRC (a torn write at a crash), and stops there.
/// </summary>
internal sealed class PointLog : IDisposable
{
    private const uint Magic = 0x314C5354;
    private const int HeaderBytes = 16;
    private const int EntryBytes = 20;

    private readonly string _folder;
    private readonly bool _sync;
    private FileStream? _file;
    private long _generation;
    private byte[] _buffer = new byte[64 * 1024];

    public PointLog(string folder, bool sync)
    {
        _folder = folder;
        _sync = sync;
    }

    /// <summary>Feeds every intact record of the existing log files to <paramref name="point"/>, oldest first; returns the points read.</summary>
    public long Recover(Action<int, long, double> point)
    {
        Directory.CreateDirectory(_folder);
        long total = 0;
        foreach (string path in LogFiles())
        {
            _generation = Math.Max(_generation, GenerationOf(path));
            byte[] bytes = File.ReadAllBytes(path);
            int offset = 0;
            while (bytes.Length - offset >= HeaderBytes)
            {
                ReadOnlySpan<byte> header = bytes.AsSpan(offset, HeaderBytes);
                int count = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
                if (BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic || count < 0 || count > (bytes.Length - offset - HeaderBytes) / EntryBytes)
                {
                    break;
                }

                ReadOnlySpan<byte> payload = bytes.AsSpan(offset + HeaderBytes, count * EntryBytes);
                if (Crc32.HashToUInt32(payload) != BinaryPrimitives.ReadUInt32LittleEndian(header[8..]))
                {
                    break;
                }

                for (int i = 0; i < payload.Length; i += EntryBytes)
                {
                    point(BinaryPrimitives.ReadInt32LittleEndian(payload[i..]),
                        BinaryPrimitives.ReadInt64LittleEndian(payload[(i + 4)..]),
                        BinaryPrimitives.ReadDoubleLittleEndian(payload[(i + 12)..]));
                }

                total += count;
                offset += HeaderBytes + payload.Length;
            }
        }

        return total;
    }

    /// <summary>Appends the points whose id is not 0 as one record, written to the OS (and to the disk with sync) before it returns.</summary>
    public void Append(ReadOnlySpan<int> ids, ReadOnlySpan<SeriesPoint> points, int accepted)
    {
        int size = HeaderBytes + (accepted * EntryBytes);
        if (_buffer.Length < size)
        {
            _buffer = new byte[Math.Max(size, _buffer.Length * 2)];
        }

        Span<byte> payload = _buffer.AsSpan(HeaderBytes, accepted * EntryBytes);
        int offset = 0;
        for (int i = 0; i < ids.Length; i++)
        {
            if (ids[i] == 0)
            {
                continue;
            }

            ref readonly SeriesPoint p = ref points[i];
            BinaryPrimitives.WriteInt32LittleEndian(payload[offset..], ids[i]);
            BinaryPrimitives.WriteInt64LittleEndian(payload[(offset + 4)..], p.TimestampMs);
            BinaryPrimitives.WriteDoubleLittleEndian(payload[(offset + 12)..], p.Value);
            offset += EntryBytes;
        }

        Span<byte> header = _buffer.AsSpan(0, HeaderBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], accepted);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32.HashToUInt32(payload));
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 0);

        FileStream file = _file ??= OpenNext();
        file.Write(_buffer, 0, size);
        file.Flush(_sync);
    }

    /// <summary>Deletes every log file (their points are stored elsewhere now); the next append starts a new one.</summary>
    public void Truncate()
    {
        _file?.Dispose();
        _file = null;
        foreach (string path in LogFiles())
        {
            File.Delete(path);
        }
    }

    public void Dispose()
    {
        _file?.Dispose();
        _file = null;
    }

    private FileStream OpenNext()
    {
        Directory.CreateDirectory(_folder);
        _generation++;
        string path = Path.Combine(_folder, _generation.ToString("D12", CultureInfo.InvariantCulture) + ".log");
        // No buffering of our own: each record goes to the OS in one write.
        return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
    }

    private string[] LogFiles()
    {
        if (!Directory.Exists(_folder))
        {
            return [];
        }

        string[] files = Directory.GetFiles(_folder, "*.log");
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    private static long GenerationOf(string path) =>
        long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out long g) ? g : 0;
}
