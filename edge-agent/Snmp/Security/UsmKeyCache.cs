using System.Collections.Concurrent;

namespace Network.Snmp.Security;

/// <summary>
/// Localized keys by user and engine, thread-safe. Ku (the 1 MB password expansion, about a millisecond or more per
/// pass phrase) is derived once per (protocol, pass phrase) and kept; localization (one short hash) once per
/// (user, engine ID). A manager polling the same engine every 30 s therefore derives nothing after the first request.
/// </summary>
/// <remarks>
/// Both maps are bounded: past <see cref="Capacity"/> entries a map is emptied and refills on demand, so an agent
/// flooded with made-up engine IDs or a manager tried with many wrong pass phrases cannot grow it without limit.
/// </remarks>
public sealed class UsmKeyCache
{
    public const int DefaultCapacity = 65_536;

    private readonly ConcurrentDictionary<(AuthProtocol Protocol, string Password), Lazy<byte[]>> _masterKeys = new();
    private readonly ConcurrentDictionary<UsmUser, ConcurrentDictionary<byte[], LocalizedKeys>> _localized = new();
    private int _localizedCount;

    public UsmKeyCache(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>The keys of <paramref name="user"/> localized to <paramref name="engineId"/>; the same instance on every later call.</summary>
    public LocalizedKeys Get(UsmUser user, ReadOnlySpan<byte> engineId)
    {
        ArgumentNullException.ThrowIfNull(user);
        ConcurrentDictionary<byte[], LocalizedKeys> byEngine = _localized.GetOrAdd(user, _ => new(EngineIdComparer.Instance));
        var lookup = byEngine.GetAlternateLookup<ReadOnlySpan<byte>>();
        if (lookup.TryGetValue(engineId, out LocalizedKeys? keys))
        {
            return keys;
        }

        if (Interlocked.Increment(ref _localizedCount) > Capacity)
        {
            _localized.Clear();
            Interlocked.Exchange(ref _localizedCount, 1);
            byEngine = _localized.GetOrAdd(user, _ => new(EngineIdComparer.Instance));
        }

        keys = Localize(user, engineId);
        return byEngine.GetOrAdd(engineId.ToArray(), keys);
    }

    /// <summary>Ku of a pass phrase, derived once per (protocol, pass phrase) even when many threads ask at once.</summary>
    public byte[] MasterKey(AuthProtocol protocol, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (_masterKeys.TryGetValue((protocol, password), out Lazy<byte[]>? known))
        {
            return known.Value;
        }

        if (_masterKeys.Count >= Capacity)
        {
            _masterKeys.Clear();
        }

        return _masterKeys.GetOrAdd((protocol, password), k => new Lazy<byte[]>(() => UsmKeys.PasswordToKey(k.Protocol, k.Password))).Value;
    }

    private LocalizedKeys Localize(UsmUser user, ReadOnlySpan<byte> engineId)
    {
        if (!user.Authenticates)
        {
            return new LocalizedKeys([], []);
        }

        byte[] authKey = UsmKeys.Localize(user.Auth, MasterKey(user.Auth, user.AuthPassword), engineId);
        byte[] privKey = user.Encrypts
            ? UsmKeys.LocalizePrivacyKey(user.Auth, user.Priv, MasterKey(user.Auth, user.PrivPassword), engineId)
            : [];
        return new LocalizedKeys(authKey, privKey);
    }

    private sealed class EngineIdComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly EngineIdComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => GetHashCode(obj.AsSpan());

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = new HashCode();
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
