using SharpTls.Wire;

namespace SharpTls.Records;

/// <summary>
/// One record as the <see cref="RecordDeframer"/> cut it from the stream. Its spans point into
/// the deframer's buffer and stay valid until the next call on that deframer; the fragment is
/// writable so that record protection can open it in place.
/// </summary>
/// <remarks>
/// RFC 5246 §6.2.1 / RFC 8446 §5.1:
/// <code>
/// struct {
///     ContentType type;
///     ProtocolVersion legacy_record_version;
///     uint16 length;
///     opaque fragment[TLSPlaintext.length];
/// } TLSPlaintext;
/// </code>
/// For an SSL 2.0-compatible ClientHello (<see cref="IsSslv2ClientHello"/>) the header is the
/// 2-byte msg_length, <see cref="Version"/> is 0x0002 and the fragment is the V2ClientHello from
/// msg_type on: parse it with <see cref="Sslv2ClientHello.Parse"/>.
/// </remarks>
internal readonly ref struct TlsRecord
{
    internal TlsRecord(ContentType type, ushort version, ReadOnlySpan<byte> header, Span<byte> fragment, bool sslv2)
    {
        Type = type;
        Version = version;
        Header = header;
        Fragment = fragment;
        IsSslv2ClientHello = sslv2;
    }

    /// <summary>The (outer) content type.</summary>
    public ContentType Type { get; }

    /// <summary>legacy_record_version as sent.</summary>
    public ushort Version { get; }

    /// <summary>The header bytes as received (5 bytes; 2 for an SSL 2.0 record).</summary>
    public ReadOnlySpan<byte> Header { get; }

    /// <summary>The fragment (possibly protected), writable for in-place decryption.</summary>
    public Span<byte> Fragment { get; }

    /// <summary>True when this is an SSL 2.0-compatible ClientHello (RFC 5246 Appendix E.2).</summary>
    public bool IsSslv2ClientHello { get; }
}
