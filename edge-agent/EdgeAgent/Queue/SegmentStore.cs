using System.Buffers;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Network.EdgeAgent.Queue;

/// <summary>One record read back from the queue.</summary>
public readonly record struct QueueRecord(ulong Id, ReadOnlyMemory<byte> Payload);

/// <summary>
/// Sees one record of a <see cref="SegmentStore.Scan"/>: its id and payload (valid only during the call, never copied).
/// Returns false to stop the scan.
/// </summary>
public delegate bool QueueRecordVisitor(ulong id, ReadOnlySpan<byte> payload);

/// <summary>Where and how big the queue is.</summary>
public sealed record SegmentStoreSettings(string Folder, long MaxBytes, long SegmentBytes);

/// <summary>
/// The store-and-forward queue: append-only segment files named by their first record id, a CRC per record
/// (<see cref="RecordFormat"/>), one fsync per appended batch, and an acknowledged-offset file (<see cref="AckState"/>)
/// replaced atomically. Bounded: past <see cref="SegmentStoreSettings.MaxBytes"/> the oldest segment is dropped and
/// its records not yet acknowledged are counted as lost. Opening it truncates a corrupt tail instead of failing.
/// Thread-safe: the poller appends while the forwarder reads and acknowledges.
/// </summary>
public sealed partial class SegmentStore : IDisposable
{
    private const string SegmentSuffix = ".seg";
    private const string AckFile = "acked";

    /// <summary>Segments are read through one buffer of this size, grown for a larger record (and kept, so reading the
    /// usual records allocates nothing), shrunk back after a record larger than <see cref="MaxKeptReadBuffer"/>.</summary>
    private const int ReadBufferSize = 64 * 1024;

    private const int MaxKeptReadBuffer = 1 << 20;

    private readonly Lock _lock = new();
    private readonly SegmentStoreSettings _settings;
    private readonly ILogger _logger;
    private readonly List<Segment> _segments = [];
    private FileStream? _active;
    private ulong _nextId;
    private byte[] _readBuffer = new byte[ReadBufferSize];
    private AckState _acks;
    private long _droppedRecords;
    private ReadHint _hint;

    private SegmentStore(SegmentStoreSettings settings, ILogger logger)
    {
        _settings = settings;
        _logger = logger;
    }

    /// <summary>Records lost to the bound since the queue was opened.</summary>
    public long DroppedRecords => Interlocked.Read(ref _droppedRecords);

    /// <summary>Bytes truncated from corrupt tails when the queue was opened.</summary>
    public long TruncatedBytes { get; private set; }

    /// <summary>Raised (outside the lock) with the number of records lost each time the bound drops a segment.</summary>
    public event Action<long>? Dropped;

    public AckState Acks
    {
        get
        {
            lock (_lock)
            {
                return _acks;
            }
        }
    }

    /// <summary>The id the next appended record gets.</summary>
    public ulong NextId
    {
        get
        {
            lock (_lock)
            {
                return _nextId;
            }
        }
    }

    /// <summary>The newest record's id (0: none ever).</summary>
    public ulong LastId => NextId - 1;

    /// <summary>Bytes in segment files.</summary>
    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _segments.Sum(s => s.Length);
            }
        }
    }

    /// <summary>Records stored and not acknowledged.</summary>
    public long PendingRecords
    {
        get
        {
            lock (_lock)
            {
                return _segments.Sum(s => Unacknowledged(s));
            }
        }
    }

    public static SegmentStore Open(SegmentStoreSettings settings, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.SegmentBytes, 1024);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.MaxBytes, settings.SegmentBytes);
        Directory.CreateDirectory(settings.Folder);
        var queue = new SegmentStore(settings, logger);
        queue.Recover();
        return queue;
    }

    /// <summary>
    /// Appends <paramref name="payloads"/> as consecutive records and fsyncs once: when this returns, they survive a
    /// crash or a power loss. Returns the first and last id given.
    /// </summary>
    public (ulong First, ulong Last) Append(IReadOnlyList<ReadOnlyMemory<byte>> payloads)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        if (payloads.Count == 0)
        {
            throw new ArgumentException("nothing to append", nameof(payloads));
        }

        long dropped;
        (ulong, ulong) range;
        lock (_lock)
        {
            int size = 0;
            foreach (ReadOnlyMemory<byte> payload in payloads)
            {
                if (payload.Length > RecordFormat.MaxPayload)
                {
                    throw new ArgumentException($"a record holds at most {RecordFormat.MaxPayload} bytes", nameof(payloads));
                }

                size += RecordFormat.SizeOf(payload.Length);
            }

            Segment segment = ActiveSegment();
            byte[] buffer = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                int offset = 0;
                ulong first = _nextId;
                foreach (ReadOnlyMemory<byte> payload in payloads)
                {
                    offset += RecordFormat.Write(buffer.AsSpan(offset), _nextId++, payload.Span);
                }

                _active!.Write(buffer, 0, size);
                _active.Flush(flushToDisk: true);
                segment.LastId = _nextId - 1;
                segment.Count += payloads.Count;
                segment.Length += size;
                range = (first, _nextId - 1);
            }
            catch
            {
                // What was written may be torn: reopen so the next append starts after the last whole record.
                ulong lastGood = segment.LastId;
                _active?.Dispose();
                _active = null;
                TruncateAfter(segment, lastGood);
                _nextId = lastGood + 1;
                throw;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            dropped = EnforceBound();
        }

        if (dropped > 0)
        {
            Dropped?.Invoke(dropped);
        }

        return range;
    }

    /// <summary>
    /// Up to <paramref name="maxRecords"/> records (and about <paramref name="maxBytes"/>) with ids after
    /// <paramref name="afterId"/> and at most <paramref name="throughId"/>, oldest first, each payload copied.
    /// Ids dropped by the bound are skipped.
    /// </summary>
    public IReadOnlyList<QueueRecord> Read(ulong afterId, ulong throughId, int maxRecords, int maxBytes)
    {
        var records = new List<QueueRecord>();
        int bytes = 0;
        Scan(afterId, throughId, (id, payload) =>
        {
            records.Add(new QueueRecord(id, payload.ToArray()));
            bytes += payload.Length;
            return records.Count < maxRecords && bytes < maxBytes;
        });
        return records;
    }

    /// <summary>
    /// Shows <paramref name="visit"/> the records with ids after <paramref name="afterId"/> and at most
    /// <paramref name="throughId"/>, oldest first, without copying them, until it returns false. Ids dropped by the bound
    /// are skipped. Runs under the queue's lock: appends wait, so <paramref name="visit"/> should be quick.
    /// </summary>
    public void Scan(ulong afterId, ulong throughId, QueueRecordVisitor visit)
    {
        ArgumentNullException.ThrowIfNull(visit);
        lock (_lock)
        {
            try
            {
                foreach (Segment segment in _segments)
                {
                    if (segment.Count == 0 || segment.LastId <= afterId || segment.FirstId > throughId)
                    {
                        continue;
                    }

                    long offset = 0;
                    if (_hint.SegmentFirstId == segment.FirstId && _hint.NextId <= afterId + 1 && _hint.NextId >= segment.FirstId)
                    {
                        offset = _hint.Offset;
                    }

                    using SafeFileHandle handle = File.OpenHandle(segment.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                    bool more = true;
                    ScanSegment(handle, offset, segment.Length, ref _readBuffer, (id, payload, next) =>
                    {
                        if (id > throughId)
                        {
                            return more = false;
                        }

                        if (id > afterId)
                        {
                            _hint = new ReadHint(segment.FirstId, id + 1, next);
                            more = visit(id, payload);
                        }

                        return more;
                    });
                    if (!more)
                    {
                        return;
                    }
                }
            }
            finally
            {
                if (_readBuffer.Length > MaxKeptReadBuffer)
                {
                    _readBuffer = new byte[ReadBufferSize]; // one large record does not keep a large buffer
                }
            }
        }
    }

    /// <summary>Persists <paramref name="acks"/> (atomically, durably) and deletes the segments it covers entirely.</summary>
    public void Acknowledge(AckState acks)
    {
        lock (_lock)
        {
            DurableFiles.ReplaceAtomically(Path.Combine(_settings.Folder, AckFile), acks.ToBytes());
            _acks = acks;
            bool deleted = false;
            while (_segments.Count > 1 && _segments[0].LastId <= acks.Through)
            {
                File.Delete(_segments[0].Path);
                _segments.RemoveAt(0);
                deleted = true;
            }

            if (deleted)
            {
                DurableFiles.SyncFolder(_settings.Folder);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _active?.Dispose();
            _active = null;
        }
    }

    private Segment ActiveSegment()
    {
        Segment? last = _segments.Count > 0 ? _segments[^1] : null;
        if (last is not null && _active is not null && last.Length < _settings.SegmentBytes)
        {
            return last;
        }

        if (last is not null && _active is null && last.Length < _settings.SegmentBytes)
        {
            _active = new FileStream(last.Path, FileMode.Open, FileAccess.Write, FileShare.Read | FileShare.Delete, bufferSize: 0);
            _active.Seek(last.Length, SeekOrigin.Begin);
            return last;
        }

        _active?.Dispose();
        var segment = new Segment(Path.Combine(_settings.Folder, NameOf(_nextId)), _nextId);
        _active = new FileStream(segment.Path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, bufferSize: 0);
        DurableFiles.SyncFolder(_settings.Folder);
        segment.LastId = _nextId - 1;
        _segments.Add(segment);
        return segment;
    }

    /// <summary>Drops the oldest segments while the queue is over its bound; returns the records lost (not yet acknowledged).</summary>
    private long EnforceBound()
    {
        long total = _segments.Sum(s => s.Length);
        long lost = 0;
        while (total > _settings.MaxBytes && _segments.Count > 1)
        {
            Segment oldest = _segments[0];
            long unacked = Unacknowledged(oldest);
            File.Delete(oldest.Path);
            _segments.RemoveAt(0);
            total -= oldest.Length;
            lost += unacked;
            LogDropped(_logger, Path.GetFileName(oldest.Path), unacked, oldest.FirstId, oldest.LastId, _settings.MaxBytes);
        }

        if (lost > 0)
        {
            DurableFiles.SyncFolder(_settings.Folder);
            Interlocked.Add(ref _droppedRecords, lost);
        }

        return lost;
    }

    private void Recover()
    {
        string ackPath = Path.Combine(_settings.Folder, AckFile);
        if (File.Exists(ackPath))
        {
            if (AckState.TryParse(File.ReadAllBytes(ackPath), out AckState acks))
            {
                _acks = acks;
            }
            else
            {
                LogBadAckFile(_logger, ackPath);
            }
        }

        var files = new List<(ulong FirstId, string Path)>();
        foreach (string path in Directory.EnumerateFiles(_settings.Folder, "*" + SegmentSuffix))
        {
            if (ulong.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out ulong first))
            {
                files.Add((first, path));
            }
        }

        files.Sort((a, b) => a.FirstId.CompareTo(b.FirstId));
        ulong lastId = 0;
        foreach ((ulong firstId, string path) in files)
        {
            var segment = new Segment(path, firstId) { LastId = firstId - 1 };
            long valid = 0;
            long fileLength;
            using (SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            {
                fileLength = RandomAccess.GetLength(handle);
                ulong expected = firstId;
                ScanSegment(handle, 0, fileLength, ref _readBuffer, (id, _, next) =>
                {
                    if (id != expected)
                    {
                        return false; // ids rise by one: anything else is not what this queue wrote
                    }

                    expected++;
                    segment.Count++;
                    segment.LastId = id;
                    valid = next;
                    return true;
                });
            }

            if (valid < fileLength)
            {
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read))
                {
                    stream.SetLength(valid);
                    stream.Flush(flushToDisk: true);
                }

                TruncatedBytes += fileLength - valid;
                LogTruncated(_logger, Path.GetFileName(path), fileLength - valid, valid);
            }

            if (segment.Count == 0 || segment.FirstId <= lastId || segment.LastId <= _acks.Through)
            {
                File.Delete(path); // empty, overlapping an earlier segment, or delivered already
                continue;
            }

            segment.Length = valid;
            lastId = segment.LastId;
            _segments.Add(segment);
        }

        DurableFiles.SyncFolder(_settings.Folder);
        _nextId = Math.Max(Math.Max(lastId, _acks.Through), _acks.FreshThrough) + 1;
    }

    /// <summary>How many of <paramref name="segment"/>'s records the acknowledgements do not cover.</summary>
    private long Unacknowledged(Segment segment)
    {
        if (segment.Count == 0)
        {
            return 0;
        }

        long count = segment.Count - Overlap(segment.FirstId, segment.LastId, 1, _acks.Through);
        return _acks.HasFreshRange ? count - Overlap(segment.FirstId, segment.LastId, _acks.FreshFrom, _acks.FreshThrough) : count;

        static long Overlap(ulong first, ulong last, ulong from, ulong through) =>
            through < from ? 0 : Math.Max(0, (long)Math.Min(last, through) - (long)Math.Max(first, from) + 1);
    }

    /// <summary>Truncates <paramref name="segment"/>'s file after record <paramref name="lastGood"/> (after a failed write).</summary>
    private static void TruncateAfter(Segment segment, ulong lastGood)
    {
        try
        {
            using var stream = new FileStream(segment.Path, FileMode.Open, FileAccess.Write, FileShare.Read);
            stream.SetLength(segment.Length);
            stream.Flush(flushToDisk: true);
            segment.LastId = lastGood;
        }
        catch (IOException)
        {
            // The disk is failing; the next open truncates the torn tail.
        }
    }

    /// <summary>What <see cref="ScanSegment"/> shows of each record: its id, its payload, and the offset after it.</summary>
    private delegate bool SegmentVisitor(ulong id, ReadOnlySpan<byte> payload, long next);

    /// <summary>
    /// The whole records of a segment from <paramref name="offset"/>, through <paramref name="buffer"/> (grown when one
    /// record is larger), until <paramref name="visit"/> returns false; stops at the first bad record.
    /// </summary>
    private static void ScanSegment(SafeFileHandle handle, long offset, long length, ref byte[] buffer, SegmentVisitor visit)
    {
        int filled = 0;
        int start = 0;
        long bufferOffset = offset;
        while (true)
        {
            RecordFormat.Status status = RecordFormat.TryRead(buffer.AsSpan(start, filled - start), out ulong id, out int payloadLength, out int consumed);
            if (status == RecordFormat.Status.Ok)
            {
                ReadOnlySpan<byte> payload = buffer.AsSpan(start + RecordFormat.HeaderSize, payloadLength);
                start += consumed;
                if (!visit(id, payload, bufferOffset + start))
                {
                    return;
                }

                continue;
            }

            if (status == RecordFormat.Status.Corrupt)
            {
                return;
            }

            // Incomplete: shift what is left to the front, grow if one record is larger than the buffer, read more.
            long position = bufferOffset + start;
            if (position >= length)
            {
                return;
            }

            int left = filled - start;
            Buffer.BlockCopy(buffer, start, buffer, 0, left);
            bufferOffset = position;
            start = 0;
            filled = left;
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, RecordFormat.HeaderSize + RecordFormat.MaxPayload));
            }

            int want = (int)Math.Min(buffer.Length - filled, length - (bufferOffset + filled));
            if (want <= 0)
            {
                return;
            }

            int read = RandomAccess.Read(handle, buffer.AsSpan(filled, want), bufferOffset + filled);
            if (read <= 0)
            {
                return;
            }

            filled += read;
        }
    }

    private static string NameOf(ulong firstId) => firstId.ToString("D20", CultureInfo.InvariantCulture) + SegmentSuffix;

    [LoggerMessage(Level = LogLevel.Warning, Message = "queue full: dropped segment {Segment} with {Lost} unsent records (ids {First} to {Last}) to stay under {MaxBytes} bytes")]
    private static partial void LogDropped(ILogger logger, string segment, long lost, ulong first, ulong last, long maxBytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "queue segment {Segment}: truncated a corrupt or torn tail of {Bytes} bytes at offset {Offset}")]
    private static partial void LogTruncated(ILogger logger, string segment, long bytes, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "queue acknowledgement file {Path} is damaged: replaying from the oldest record (the NOC drops duplicates)")]
    private static partial void LogBadAckFile(ILogger logger, string path);

    private sealed class Segment(string path, ulong firstId)
    {
        public string Path { get; } = path;

        public ulong FirstId { get; } = firstId;

        public ulong LastId { get; set; }

        public int Count { get; set; }

        public long Length { get; set; }
    }

    private readonly record struct ReadHint(ulong SegmentFirstId, ulong NextId, long Offset);
}
