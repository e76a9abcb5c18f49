using System.Buffers;
using SharpTls.Wire;

namespace SharpTls.Records;

/// <summary>
/// One complete handshake message cut by <see cref="HandshakeReassembler"/>. Its spans point into
/// the reassembler's buffer and stay valid until the next call on that reassembler: copy what must
/// outlive it (<see cref="Bytes"/> is what the transcript hashes).
/// </summary>
/// <remarks>
/// RFC 8446 §4 / RFC 5246 §7.4:
/// <code>
/// struct {
///     HandshakeType msg_type;
///     uint24 length;
///     select (Handshake.msg_type) { ... };
/// } Handshake;
/// </code>
/// </remarks>
internal readonly ref struct HandshakeMessage
{
    internal HandshakeMessage(ReadOnlySpan<byte> bytes) => Bytes = bytes;

    /// <summary>msg_type.</summary>
    public HandshakeType Type => (HandshakeType)Bytes[0];

    /// <summary>The whole message, 4-byte header included.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    /// <summary>The message body (after the 4-byte header).</summary>
    public ReadOnlySpan<byte> Body => Bytes[HandshakeReassembler.HeaderLength..];
}

/// <summary>
/// Joins handshake record fragments into handshake messages (RFC 5246 §6.2.1, RFC 8446 §5.1):
/// several messages may share a record, one message may span many records. Feed each handshake
/// fragment with <see cref="Add"/>, then take messages with <see cref="TryGetMessage"/> until it
/// returns false.
/// </summary>
/// <remarks>
/// <para>Limits: a message whose header claims more than <see cref="MaxMessageLength"/> (or
/// <see cref="MaxCertificateMessageLength"/> for Certificate and CompressedCertificate) is refused
/// with <c>illegal_parameter</c> as soon as its header is in, before anything is buffered for it; a
/// ClientHello may be as long as its syntax allows (<see cref="MaxClientHelloLength"/>; illegal_parameter beyond, like the other limits);
/// the buffer only ever grows with bytes actually received.</para>
/// <para>Rules the engine asks for: <see cref="CheckInterleaving"/> when a record of another type
/// arrives (a handshake message must not be interleaved, <c>unexpected_message</c>), and
/// <see cref="CheckRecordBoundary"/> at each TLS 1.3 key change (RFC 8446 §5.1: a message must not
/// span a key change, <c>unexpected_message</c>); <see cref="HasPartialData"/> is the query behind both.</para>
/// </remarks>
internal sealed class HandshakeReassembler : IDisposable
{
    /// <summary>msg_type(1) + length(3).</summary>
    public const int HeaderLength = 4;

    /// <summary>The default limit on a handshake message body: 64 KiB.</summary>
    public const int DefaultMaxMessageLength = 64 * 1024;

    /// <summary>
    /// The largest ClientHello body the syntax allows (RFC 8446 §4.1.2): version 2, random 32, session id 1+32,
    /// cipher suites 2+65,534, compression methods 1+255, extensions 2+65,535 = 131,396 bytes (128.3 KiB). Every
    /// well-formed ClientHello fits (issue 10 item 6: hellos over 64 KiB were refused); a longer claim cannot be one.
    /// </summary>
    public const int MaxClientHelloLength = 2 + 32 + 1 + 32 + 2 + 65534 + 1 + 255 + 2 + 65535;

    private readonly ArrayPool<byte> _pool;
    private byte[]? _buffer;
    private int _start;
    private int _end;
    private int _checked; // offset up to which message headers have been checked against the limits

    /// <summary>Creates a reassembler renting from <paramref name="pool"/> (the shared pool by default).</summary>
    public HandshakeReassembler(ArrayPool<byte>? pool = null) => _pool = pool ?? ArrayPool<byte>.Shared;

    /// <summary>Largest accepted handshake message body (default 64 KiB).</summary>
    public int MaxMessageLength { get; set; } = DefaultMaxMessageLength;

    /// <summary>Largest accepted Certificate / CompressedCertificate body (default 64 KiB; raise it for long chains).</summary>
    public int MaxCertificateMessageLength { get; set; } = DefaultMaxMessageLength;

    /// <summary>
    /// True when bytes are buffered that have not been returned as a message: an incomplete message,
    /// or complete ones not yet taken. At a key change or before a record of another type this must be false.
    /// </summary>
    public bool HasPartialData => _end > _start;

    /// <summary>Bytes buffered and not yet returned.</summary>
    public int BufferedCount => _end - _start;

    /// <summary>Adds the plaintext of one handshake record. A zero-length fragment is <c>unexpected_message</c>.</summary>
    public void Add(ReadOnlySpan<byte> fragment)
    {
        if (fragment.IsEmpty)
            throw new TlsProtocolException(AlertDescription.UnexpectedMessage, "handshake record: zero-length fragment (RFC 8446 §5.1)");
        int held = _end - _start;
        int checkedAhead = Math.Max(0, _checked - _start);
        if (_buffer is null || _buffer.Length - held < fragment.Length)
        {
            var bigger = _pool.Rent(Math.Max(held + fragment.Length, Math.Max(4096, (_buffer?.Length ?? 0) * 2)));
            _buffer?.AsSpan(_start, held).CopyTo(bigger);
            ReturnBuffer();
            _buffer = bigger;
        }
        else if (_start > 0)
        {
            _buffer.AsSpan(_start, held).CopyTo(_buffer);
            _buffer.AsSpan(held, _start).Clear();
        }
        _start = 0;
        _end = held;
        _checked = checkedAhead;
        fragment.CopyTo(_buffer.AsSpan(_end));
        _end += fragment.Length;
        CheckHeaders();
    }

    /// <summary>
    /// Yields the next complete message, or false when none is complete. The message stays valid until
    /// the next call on this reassembler.
    /// </summary>
    public bool TryGetMessage(out HandshakeMessage message)
    {
        message = default;
        int held = _end - _start;
        if (held == 0)
        {
            ReturnBuffer();
            return false;
        }
        if (held < HeaderLength) return false;
        var b = _buffer!.AsSpan(_start, held);
        int total = HeaderLength + ((b[1] << 16) | (b[2] << 8) | b[3]);
        if (held < total) return false;
        message = new HandshakeMessage(b[..total]);
        _start += total;
        return true;
    }

    /// <summary>
    /// Throws <c>unexpected_message</c> when a record of type <paramref name="incoming"/> (not handshake)
    /// arrives while a handshake message is incomplete (RFC 8446 §5.1, RFC 5246 §6.2.1).
    /// </summary>
    public void CheckInterleaving(ContentType incoming)
    {
        if (incoming != ContentType.Handshake && HasPartialData)
            throw new TlsProtocolException(AlertDescription.UnexpectedMessage,
                $"{RecordLimits.TypeName(incoming)} record interleaved with an incomplete handshake message ({BufferedCount} byte(s) pending)");
    }

    /// <summary>
    /// Throws <c>unexpected_message</c> when bytes are pending at a key change: the message named by
    /// <paramref name="lastMessage"/> (ClientHello, ServerHello, Finished, KeyUpdate, EndOfEarlyData)
    /// did not end on a record boundary (RFC 8446 §5.1).
    /// </summary>
    public void CheckRecordBoundary(HandshakeType lastMessage)
    {
        if (HasPartialData)
            throw new TlsProtocolException(AlertDescription.UnexpectedMessage,
                $"{lastMessage} did not end on a record boundary before a key change ({BufferedCount} byte(s) follow it)");
    }

    private void CheckHeaders()
    {
        var b = _buffer!;
        if (_checked < _start) _checked = _start;
        while (_end - _checked >= HeaderLength)
        {
            var type = (HandshakeType)b[_checked];
            int length = (b[_checked + 1] << 16) | (b[_checked + 2] << 8) | b[_checked + 3];
            if (type == HandshakeType.ClientHello)
            {
                if (length > MaxClientHelloLength)
                    throw TlsProtocolException.Illegal($"ClientHello length {length} exceeds the limit of {MaxClientHelloLength}, the largest a well-formed ClientHello can be");
            }
            else
            {
                int limit = type is HandshakeType.Certificate or HandshakeType.CompressedCertificate
                    ? MaxCertificateMessageLength : MaxMessageLength;
                if (length > limit)
                    throw TlsProtocolException.Illegal($"handshake message type {(byte)type}: length {length} exceeds the limit of {limit}");
            }
            _checked += HeaderLength + length;
        }
    }

    private void ReturnBuffer()
    {
        if (_buffer is null) return;
        _buffer.AsSpan(0, _end).Clear();
        _pool.Return(_buffer);
        _buffer = null;
        _start = _end = _checked = 0;
    }

    /// <summary>Gives the buffer back to the pool (wiped).</summary>
    public void Dispose() => ReturnBuffer();
}
