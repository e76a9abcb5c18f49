using System.Buffers;
using System.Buffers.Binary;
using SharpTls.Wire;

namespace SharpTls.Records;

/// <summary>
/// Cuts an incoming byte stream into records (RFC 5246 §6.2, RFC 8446 §5.1), sans I/O: bytes
/// go in by <see cref="Feed"/> (or <see cref="GetFeedBuffer"/> + <see cref="CommitFeed"/> to read
/// a socket straight into the buffer) in chunks of any size; records come out of
/// <see cref="TryRead"/>.
/// </summary>
/// <remarks>
/// <para>Buffering: at most one maximal record (5 + <see cref="MaxFragmentLength"/> bytes) is held.
/// <see cref="Feed"/> takes only what fits and returns how much it took; the caller drains with
/// <see cref="TryRead"/> and feeds the rest. Progress is guaranteed: when the buffer is full,
/// <see cref="TryRead"/> either yields a record or throws. The buffer is rented from an
/// <see cref="ArrayPool{T}"/> and given back as soon as it is empty, so an idle connection holds
/// nothing; no allocation happens per record.</para>
/// <para>Checks, each as soon as the bytes that decide it are present: the content type must be
/// 20..23 (else <c>unexpected_message</c>); the version's major byte must be 3 (else
/// <c>protocol_version</c> on the first record, where it means "not SSL 3.0/TLS at all", and
/// <c>decode_error</c> on any later record, where it means a corrupt stream); the length must not
/// exceed <see cref="MaxFragmentLength"/> (<c>record_overflow</c>); empty Handshake / Alert /
/// ChangeCipherSpec records are refused (<see cref="RecordLimits.CheckPlaintext"/>). Whether the
/// minor version matches the negotiated one is the engine's call (RFC 8446 ignores it).</para>
/// </remarks>
internal sealed class RecordDeframer : IDisposable
{
    private readonly ArrayPool<byte> _pool;
    private byte[]? _buffer;
    private int _start;
    private int _end;
    private int _highWater;
    private int _maxFragmentLength = RecordLimits.MaxPlaintextLength;

    /// <summary>Creates a deframer renting from <paramref name="pool"/> (the shared pool by default).</summary>
    public RecordDeframer(ArrayPool<byte>? pool = null) => _pool = pool ?? ArrayPool<byte>.Shared;

    /// <summary>
    /// The largest record fragment accepted. Starts at 2^14 (plaintext records); the engine raises it
    /// to <see cref="RecordLimits.MaxCiphertextLength"/> once the peer's records are protected.
    /// Between 1 and 2^14 + 2048.
    /// </summary>
    public int MaxFragmentLength
    {
        get => _maxFragmentLength;
        set
        {
            if (value is < 1 or > RecordLimits.MaxCiphertextLengthTls12)
                throw new ArgumentOutOfRangeException(nameof(value));
            _maxFragmentLength = value;
        }
    }

    /// <summary>
    /// Server side: recognise an SSL 2.0-compatible ClientHello (RFC 5246 Appendix E.2) as the
    /// first record of the connection. Off by default.
    /// </summary>
    public bool AcceptSslv2ClientHello { get; set; }

    /// <summary>True once the first record of the connection has been read.</summary>
    public bool FirstRecordRead { get; private set; }

    /// <summary>Bytes held that are not yet part of a returned record.</summary>
    public int BufferedCount => _end - _start;

    /// <summary>True while a buffer is rented (for tests of the idle-connection rule).</summary>
    public bool HoldsBuffer => _buffer is not null;

    /// <summary>The length of the rented buffer, 0 when none (for tests of the stalled-handshake rule).</summary>
    internal int HeldBufferLength => _buffer?.Length ?? 0;

    private int Capacity => RecordLimits.HeaderLength + _maxFragmentLength;

    /// <summary>
    /// Copies as many bytes of <paramref name="data"/> as fit (at most one maximal record buffered)
    /// and returns how many were taken. Invalidates the last record returned.
    /// </summary>
    public int Feed(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return 0;
        Compact();
        int n = Math.Min(Math.Max(0, Capacity - _end), data.Length);
        if (n == 0) return 0;
        EnsureLength(_end + n);
        data[..n].CopyTo(_buffer!.AsSpan(_end));
        CommitFeed(n);
        return n;
    }

    /// <summary>
    /// Makes the buffer hold at least <paramref name="length"/> bytes. It is rented for what has arrived, not for a
    /// maximal record: a peer that sends a few bytes and stalls (half a record header) holds a small array, not
    /// 32 KB (issue 10); a buffer outgrown is wiped before it goes back to the pool.
    /// </summary>
    private void EnsureLength(int length)
    {
        if (_buffer is not null && _buffer.Length >= length) return;
        var bigger = _pool.Rent(length);
        if (_buffer is not null)
        {
            _buffer.AsSpan(0, _end).CopyTo(bigger);
            _buffer.AsSpan(0, _highWater).Clear();
            _pool.Return(_buffer);
            _highWater = _end;
        }
        _buffer = bigger;
    }

    private void Compact()
    {
        if (_buffer is null || _start == 0) return;
        _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
        _end -= _start;
        _start = 0;
    }

    /// <summary>
    /// The free space to read into (empty when a full record is waiting to be read). Follow with
    /// <see cref="CommitFeed"/>. Invalidates the last record returned.
    /// </summary>
    public Span<byte> GetFeedBuffer()
    {
        Compact();
        EnsureLength(Capacity);
        return _buffer!.AsSpan(_end, Math.Max(0, Capacity - _end));
    }

    /// <summary>Marks <paramref name="count"/> bytes written into <see cref="GetFeedBuffer"/> as received.</summary>
    public void CommitFeed(int count)
    {
        if (_buffer is null || count < 0 || count > Math.Min(Capacity, _buffer.Length) - _end)
            throw new ArgumentOutOfRangeException(nameof(count));
        _end += count;
        _highWater = Math.Max(_highWater, _end);
    }

    /// <summary>
    /// Yields the next complete record, or false when more bytes are needed. The record's spans
    /// stay valid until the next call on this deframer. Throws <see cref="TlsProtocolException"/>
    /// for a malformed header, as soon as the offending byte is buffered.
    /// </summary>
    public bool TryRead(out TlsRecord record)
    {
        record = default;
        int available = _end - _start;
        if (available == 0)
        {
            Release();
            return false;
        }
        var buf = _buffer!.AsSpan(_start, available);

        if (!FirstRecordRead && AcceptSslv2ClientHello && (buf[0] & 0x80) != 0)
        {
            if (available < 3) return false;
            if (buf[2] == Sslv2ClientHello.MsgTypeClientHello)
                return TryReadSslv2(buf, out record);
        }

        if (!RecordLimits.IsKnownContentType(buf[0]))
            throw new TlsProtocolException(AlertDescription.UnexpectedMessage,
                $"record header: unknown content type {buf[0]}");
        if (available < 2) return false;
        if (buf[1] != 3)
        {
            string reason = $"record header: version major byte {buf[1]} (0x{buf[1]:x2}xx), not SSL 3.0/TLS";
            throw FirstRecordRead ? TlsProtocolException.Decode(reason)
                : new TlsProtocolException(AlertDescription.ProtocolVersion, reason);
        }
        if (available < RecordLimits.HeaderLength) return false;

        var type = (ContentType)buf[0];
        ushort version = BinaryPrimitives.ReadUInt16BigEndian(buf[1..]);
        int length = BinaryPrimitives.ReadUInt16BigEndian(buf[3..]);
        if (length > _maxFragmentLength)
            throw new TlsProtocolException(AlertDescription.RecordOverflow,
                $"{RecordLimits.TypeName(type)} record: length {length} exceeds {_maxFragmentLength}");
        if (length == 0) RecordLimits.CheckPlaintext(type, 0);
        if (available < RecordLimits.HeaderLength + length) return false;

        record = new TlsRecord(type, version, buf[..RecordLimits.HeaderLength],
            buf.Slice(RecordLimits.HeaderLength, length), sslv2: false);
        _start += RecordLimits.HeaderLength + length;
        FirstRecordRead = true;
        return true;
    }

    // RFC 5246 Appendix E.2: a 2-byte header, high bit set, 15-bit length of what follows.
    private bool TryReadSslv2(Span<byte> buf, out TlsRecord record)
    {
        record = default;
        int length = ((buf[0] & 0x7F) << 8) | buf[1];
        if (length > _maxFragmentLength)
            throw new TlsProtocolException(AlertDescription.RecordOverflow,
                $"SSL 2.0 ClientHello: msg_length {length} exceeds {_maxFragmentLength}");
        if (buf.Length < 2 + length) return false;
        record = new TlsRecord(ContentType.Handshake, (ushort)ProtocolVersion.Ssl2, buf[..2], buf.Slice(2, length), sslv2: true);
        _start += 2 + length;
        FirstRecordRead = true;
        return true;
    }

    private void Release()
    {
        if (_buffer is null) return;
        // Records are decrypted in place: wipe what was used before the array goes back to the pool.
        _buffer.AsSpan(0, _highWater).Clear();
        _pool.Return(_buffer);
        _highWater = 0;
        _buffer = null;
        _start = _end = 0;
    }

    /// <summary>Gives the buffer back to the pool.</summary>
    public void Dispose() => Release();
}
