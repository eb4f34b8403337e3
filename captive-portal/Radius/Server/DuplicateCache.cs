using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;

namespace Network.Radius.Server;

/// <summary>
/// RFC 5080 section 2.2.2: a request with the same client address, source port, Identifier and Request Authenticator
/// as one already seen is a retransmission: it gets the cached reply again (never a second evaluation, so accounting
/// never counts twice), or is dropped while the first is still being worked on. Entries live a few seconds and the
/// cache is bounded.
/// </summary>
/// <remarks>
/// Its size is counted here (<see cref="Interlocked"/>) rather than asked of the dictionary on every request:
/// <c>ConcurrentDictionary.Count</c> takes every one of its locks (up to 1,024 as the table grows), which cost more
/// than the rest of a cached login put together.
/// </remarks>
public sealed class DuplicateCache(TimeProvider time, TimeSpan lifetime, int capacity)
{
    private readonly ConcurrentDictionary<Key, Entry> _entries = new();
    private long _lastSweep;
    private int _count;

    /// <summary>The entries held now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>What to do with a request: handle it (it is new), resend <paramref name="cachedReply"/>, or drop it.</summary>
    public DuplicateVerdict Check(IPEndPoint from, byte identifier, ReadOnlySpan<byte> requestAuthenticator, out byte[]? cachedReply)
    {
        Sweep();
        var key = new Key(from, identifier, BinaryPrimitives.ReadUInt128BigEndian(requestAuthenticator));
        long now = time.GetTimestamp();
        var fresh = new Entry(now);
        Entry entry = _entries.GetOrAdd(key, fresh);
        if (ReferenceEquals(entry, fresh))
        {
            Interlocked.Increment(ref _count);
            cachedReply = null;
            return DuplicateVerdict.New;
        }

        if (time.GetElapsedTime(entry.Created, now) > lifetime)
        {
            // An old entry under the same key: a new request that happens to reuse the identifier and authenticator.
            _entries[key] = fresh;
            cachedReply = null;
            return DuplicateVerdict.New;
        }

        cachedReply = entry.Reply;
        return cachedReply is null ? DuplicateVerdict.InProgress : DuplicateVerdict.Resend;
    }

    /// <summary>Keeps the reply for retransmissions of this request.</summary>
    public void Complete(IPEndPoint from, byte identifier, ReadOnlySpan<byte> requestAuthenticator, byte[]? reply)
    {
        var key = new Key(from, identifier, BinaryPrimitives.ReadUInt128BigEndian(requestAuthenticator));
        if (_entries.TryGetValue(key, out Entry? entry))
        {
            if (reply is null)
            {
                Remove(key); // nothing to resend (a discarded request): let a retransmission be evaluated
            }
            else
            {
                entry.Reply = reply;
            }
        }
    }

    private void Sweep()
    {
        long now = time.GetTimestamp();
        long last = Interlocked.Read(ref _lastSweep);
        bool full = Volatile.Read(ref _count) >= capacity;
        if (!full && time.GetElapsedTime(last, now) < lifetime)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return;
        }

        foreach (KeyValuePair<Key, Entry> pair in _entries)
        {
            if (time.GetElapsedTime(pair.Value.Created, now) > lifetime || (full && pair.Value.Reply is not null))
            {
                Remove(pair.Key);
            }
        }
    }

    private void Remove(Key key)
    {
        if (_entries.TryRemove(key, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    private readonly record struct Key(IPEndPoint From, byte Identifier, UInt128 Authenticator);

    private sealed class Entry(long created)
    {
        public long Created { get; } = created;

        public byte[]? Reply { get; set; }
    }
}

public enum DuplicateVerdict
{
    New,
    Resend,
    InProgress,
}
