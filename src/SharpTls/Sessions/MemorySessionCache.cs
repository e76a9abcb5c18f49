namespace SharpTls.Sessions;

/// <summary>
/// The default <see cref="ITlsSessionCache"/>: in process memory, bounded in count (the oldest entry
/// goes first when full) and in lifetime (each entry expires after the lifetime it was stored with,
/// capped by <see cref="MaxLifetime"/>). Thread-safe; one instance serves a listener.
/// </summary>
public sealed class MemorySessionCache : ITlsSessionCache
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _order = new();
    private readonly TimeProvider _time;

    /// <summary>A cache of at most <paramref name="capacity"/> sessions.</summary>
    public MemorySessionCache(int capacity = 20_000, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The most sessions kept.</summary>
    public int Capacity { get; }

    /// <summary>No entry lives longer than this, whatever it was stored with (Schannel's default: 10 hours).</summary>
    public TimeSpan MaxLifetime { get; init; } = TimeSpan.FromHours(10);

    /// <summary>How many sessions are held (expired ones included until they are looked up or pushed out).</summary>
    public int Count { get { lock (_entries) return _entries.Count; } }

    /// <inheritdoc />
    public ValueTask<byte[]?> GetAsync(ReadOnlyMemory<byte> sessionId, CancellationToken cancellationToken)
    {
        string key = Convert.ToHexString(sessionId.Span);
        lock (_entries)
        {
            if (!_entries.TryGetValue(key, out var entry)) return ValueTask.FromResult<byte[]?>(null);
            if (_time.GetUtcNow() >= entry.Expires)
            {
                RemoveLocked(key, entry);
                return ValueTask.FromResult<byte[]?>(null);
            }
            return ValueTask.FromResult<byte[]?>(entry.Value.ToArray());
        }
    }

    /// <inheritdoc />
    public ValueTask SetAsync(ReadOnlyMemory<byte> sessionId, ReadOnlyMemory<byte> session, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        if (lifetime <= TimeSpan.Zero) return ValueTask.CompletedTask;
        string key = Convert.ToHexString(sessionId.Span);
        var expires = _time.GetUtcNow() + (lifetime < MaxLifetime ? lifetime : MaxLifetime);
        lock (_entries)
        {
            if (_entries.TryGetValue(key, out var old)) RemoveLocked(key, old);
            while (_entries.Count >= Capacity && _order.First is { } oldest)
                RemoveLocked(oldest.Value, _entries[oldest.Value]);
            _entries[key] = new Entry(session.ToArray(), expires, _order.AddLast(key));
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask RemoveAsync(ReadOnlyMemory<byte> sessionId, CancellationToken cancellationToken)
    {
        string key = Convert.ToHexString(sessionId.Span);
        lock (_entries)
        {
            if (_entries.TryGetValue(key, out var entry)) RemoveLocked(key, entry);
        }
        return ValueTask.CompletedTask;
    }

    private void RemoveLocked(string key, Entry entry)
    {
        _entries.Remove(key);
        _order.Remove(entry.Node);
    }

    private sealed record Entry(byte[] Value, DateTimeOffset Expires, LinkedListNode<string> Node);
}
