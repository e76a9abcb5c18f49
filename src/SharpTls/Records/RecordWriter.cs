using System.Buffers;
using SharpTls.Wire;

namespace SharpTls.Records;

/// <summary>
/// The sending side of the record layer: cuts outgoing bytes of one content type into records of
/// at most <see cref="MaxFragmentLength"/> plaintext bytes, seals each with the current
/// <see cref="Protection"/> and writes them to an <see cref="IBufferWriter{T}"/>. Handshake messages
/// queued with <see cref="QueueHandshake"/> are coalesced (ServerHello, Certificate and
/// ServerHelloDone in one record) until <see cref="Flush"/>, a write of another type, or a key change.
/// </summary>
/// <remarks>
/// The writer owns its protection: <see cref="ChangeProtection"/> disposes the previous one (zeroing
/// its keys) and refuses while handshake bytes are queued, since those belong under the old keys.
/// </remarks>
internal sealed class RecordWriter : IDisposable
{
    private readonly ArrayPool<byte> _pool;
    private byte[]? _queue;
    private int _queued;
    private int _maxFragmentLength = RecordLimits.MaxPlaintextLength;

    /// <summary>Creates a writer with the null protection, renting from <paramref name="pool"/>.</summary>
    public RecordWriter(ArrayPool<byte>? pool = null) => _pool = pool ?? ArrayPool<byte>.Shared;

    /// <summary>The current protection (initially <see cref="NullRecordProtection"/>).</summary>
    public IRecordProtection Protection { get; private set; } = new NullRecordProtection();

    /// <summary>legacy_record_version written in headers (0x0301 is usual for a first ClientHello; TLS 1.3 protection writes 0x0303 anyway).</summary>
    public ushort RecordVersion { get; set; } = (ushort)ProtocolVersion.Tls12;

    /// <summary>
    /// The largest plaintext per record: 2^14 by default, smaller by max_fragment_length (RFC 6066 §4)
    /// or record_size_limit (RFC 8449; for TLS 1.3 pass the limit minus one, as it counts the inner
    /// content type). Between 1 and 2^14.
    /// </summary>
    public int MaxFragmentLength
    {
        get => _maxFragmentLength;
        set
        {
            if (value is < 1 or > RecordLimits.MaxPlaintextLength) throw new ArgumentOutOfRangeException(nameof(value));
            _maxFragmentLength = value;
        }
    }

    /// <summary>
    /// The 1/n-1 record split against BEAST (as NSS, OpenSSL's empty-fragment variant and Schannel do on the client): with
    /// a chained-IV CBC protection (SSL 3.0, TLS 1.0), each write of application data sends its first byte in a record of
    /// its own, so the IV of the record carrying the rest follows a MAC the attacker could not predict.
    /// </summary>
    public bool SplitChainedIvRecords { get; set; }

    /// <summary>True while handshake bytes wait for <see cref="Flush"/>.</summary>
    public bool HasQueuedHandshake => _queued > 0;

    /// <summary>Installs new keys for this direction; disposes the old protection.</summary>
    public void ChangeProtection(IRecordProtection next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (_queued > 0)
            throw new InvalidOperationException("flush the queued handshake messages before changing keys");
        var old = Protection;
        Protection = next;
        if (!ReferenceEquals(old, next)) old.Dispose();
    }

    /// <summary>Queues one or more whole handshake messages to be coalesced into records.</summary>
    public void QueueHandshake(ReadOnlySpan<byte> messages)
    {
        if (messages.IsEmpty) return;
        if (_queue is null || _queue.Length - _queued < messages.Length)
        {
            var bigger = _pool.Rent(Math.Max(_queued + messages.Length, Math.Max(4096, (_queue?.Length ?? 0) * 2)));
            if (_queue is not null)
            {
                _queue.AsSpan(0, _queued).CopyTo(bigger);
                ReturnQueue();
            }
            _queue = bigger;
        }
        messages.CopyTo(_queue.AsSpan(_queued));
        _queued += messages.Length;
    }

    /// <summary>Writes the queued handshake bytes as records.</summary>
    public void Flush(IBufferWriter<byte> output)
    {
        if (_queued == 0) return;
        WriteFragments(ContentType.Handshake, _queue.AsSpan(0, _queued), output);
        ReturnQueue();
    }

    /// <summary>
    /// Writes <paramref name="data"/> of <paramref name="type"/> as records, flushing queued handshake
    /// bytes first. Empty data writes nothing (use <see cref="WriteEmptyRecord"/> for an empty application-data record).
    /// </summary>
    public void Write(ContentType type, ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        Flush(output);
        WriteFragments(type, data, output);
    }

    /// <summary>Writes one zero-length application-data record (a traffic-analysis countermeasure).</summary>
    public void WriteEmptyRecord(IBufferWriter<byte> output)
    {
        Flush(output);
        Protection.Seal(ContentType.ApplicationData, RecordVersion, [], output);
    }

    private void WriteFragments(ContentType type, ReadOnlySpan<byte> data, IBufferWriter<byte> output)
    {
        if (type == ContentType.ApplicationData && SplitChainedIvRecords && data.Length > 1 && Protection is CbcRecordProtection { ChainsIv: true })
        {
            Protection.Seal(type, RecordVersion, data[..1], output);
            data = data[1..];
        }
        while (!data.IsEmpty)
        {
            int n = Math.Min(data.Length, _maxFragmentLength);
            Protection.Seal(type, RecordVersion, data[..n], output);
            data = data[n..];
        }
    }

    private void ReturnQueue()
    {
        if (_queue is null) return;
        _queue.AsSpan(0, _queued).Clear();
        _pool.Return(_queue);
        _queue = null;
        _queued = 0;
    }

    /// <summary>Drops queued bytes and disposes the protection (zeroing its keys).</summary>
    public void Dispose()
    {
        ReturnQueue();
        Protection.Dispose();
    }
}
