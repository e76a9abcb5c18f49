namespace SharpTls;

/// <summary>
/// A cap on the server handshakes in progress at once (issue 10, floods). When <see cref="Limit"/> handshakes are
/// running and another connection arrives, the <em>oldest</em> handshake in progress is closed to make room: a flood of
/// stalled handshakes (connections that send nothing, or half a hello, and wait for the timeout) then costs bounded
/// memory, while a real client, whose handshake takes a few round trips, still gets through; refusing the newcomer
/// instead would lock real clients out for as long as the flood lasts. One instance is shared by the connections it
/// guards: <see cref="IO.TlsStream"/> uses its listener's (<see cref="TlsServerListener.HandshakeLimit"/>), the
/// Kestrel middleware one per set of endpoints. Thread-safe.
/// </summary>
public sealed class TlsHandshakeLimit
{
    private readonly object _lock = new();
    private readonly LinkedList<TlsHandshakeLease> _running = new();
    private long _evicted;
    private bool _full;

    /// <summary>A cap of <paramref name="limit"/> handshakes at once (at least 1).</summary>
    public TlsHandshakeLimit(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        Limit = limit;
    }

    /// <summary>Handshakes allowed at once.</summary>
    public int Limit { get; }

    /// <summary>Handshakes in progress now.</summary>
    public int InProgress
    {
        get { lock (_lock) return _running.Count; }
    }

    /// <summary>Handshakes closed to make room since this limit was made.</summary>
    public long Evicted => Interlocked.Read(ref _evicted);

    /// <summary>
    /// Registers one handshake. When <see cref="Limit"/> are in progress, the oldest of them is closed to make room:
    /// <paramref name="cancelToMakeRoom"/> of that handshake is cancelled and its lease reports
    /// <see cref="TlsHandshakeLease.Evicted"/>. Dispose the lease when the handshake ends, however it ends.
    /// </summary>
    public TlsHandshakeLease Enter(CancellationTokenSource cancelToMakeRoom)
    {
        ArgumentNullException.ThrowIfNull(cancelToMakeRoom);
        var lease = new TlsHandshakeLease(this, cancelToMakeRoom);
        TlsHandshakeLease? oldest = null;
        lock (_lock)
        {
            if (_running.Count >= Limit)
            {
                oldest = _running.First!.Value;
                _running.RemoveFirst();
                oldest.Evicted = true;
                lease.FirstEvictionOfBurst = !_full;
                _full = true;
            }
            lease.Node = _running.AddLast(lease);
        }
        if (oldest is not null)
        {
            Interlocked.Increment(ref _evicted);
            try
            {
                oldest.CancelToMakeRoom.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // That handshake ended meanwhile: the room is made all the same.
            }
        }
        return lease;
    }

    internal void Leave(TlsHandshakeLease lease)
    {
        lock (_lock)
        {
            if (lease.Node?.List is not null) _running.Remove(lease.Node);
            // The burst of evictions is over once there is room again: the next one is reported anew.
            if (_running.Count < Limit) _full = false;
        }
    }
}

/// <summary>One handshake's place under a <see cref="TlsHandshakeLimit"/>; dispose it when the handshake ends.</summary>
public sealed class TlsHandshakeLease : IDisposable
{
    private readonly TlsHandshakeLimit _limit;
    private int _disposed;

    internal TlsHandshakeLease(TlsHandshakeLimit limit, CancellationTokenSource cancelToMakeRoom)
    {
        _limit = limit;
        CancelToMakeRoom = cancelToMakeRoom;
    }

    internal CancellationTokenSource CancelToMakeRoom { get; }

    internal LinkedListNode<TlsHandshakeLease>? Node { get; set; }

    /// <summary>True once this handshake was closed to make room for a newer one (its token was cancelled for that).</summary>
    public bool Evicted { get; internal set; }

    /// <summary>True when admitting this handshake closed another and it was the first time since the limit last had
    /// room: report the limit once per burst, not once per connection.</summary>
    public bool FirstEvictionOfBurst { get; internal set; }

    /// <summary>The limit this lease counts against.</summary>
    public TlsHandshakeLimit Limit => _limit;

    /// <summary>Gives the place back.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _limit.Leave(this);
    }
}
