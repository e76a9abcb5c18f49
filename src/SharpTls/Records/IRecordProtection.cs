using System.Buffers;
using SharpTls.Wire;

namespace SharpTls.Records;

/// <summary>
/// The protection of one direction of a connection: a cipher state with its keys and its sequence
/// number (RFC 5246 §6.1, RFC 8446 §5.2-§5.3). The sequence number starts at 0, counts every record
/// sealed or opened, and may not wrap: after record 2^64-1 the instance refuses to work.
/// Implementations: <see cref="NullRecordProtection"/>, <see cref="Tls13RecordProtection"/>,
/// <see cref="Tls12AeadRecordProtection"/>, <see cref="CbcRecordProtection"/>. Dispose zeroes the keys.
/// </summary>
/// <remarks>
/// Failures a peer can cause are <see cref="TlsProtocolException"/>: <c>bad_record_mac</c> for any
/// record that does not authenticate (whatever the reason: tag, MAC, padding, too short),
/// <c>record_overflow</c> for a fragment or plaintext beyond its limit, <c>unexpected_message</c>
/// for a TLS 1.3 inner plaintext of only zeros.
/// </remarks>
internal interface IRecordProtection : IDisposable
{
    /// <summary>True for the null protection (no keys yet).</summary>
    bool IsNull { get; }

    /// <summary>The sequence number of the next record (for key-usage limits and KeyUpdate).</summary>
    ulong SequenceNumber { get; }

    /// <summary>
    /// The most bytes a sealed record adds to a plaintext of <paramref name="plaintextLength"/> bytes,
    /// header excluded (explicit IV/nonce, MAC, padding, tag, TLS 1.3 content type and padding).
    /// </summary>
    int MaxOverhead(int plaintextLength);

    /// <summary>
    /// Seals one record of <paramref name="type"/> (header and protected fragment) into
    /// <paramref name="output"/>. <paramref name="recordVersion"/> goes into the header (TLS 1.3 always
    /// writes 0x0303). A plaintext over 2^14 bytes is <c>record_overflow</c>.
    /// </summary>
    void Seal(ContentType type, ushort recordVersion, ReadOnlySpan<byte> plaintext, IBufferWriter<byte> output);

    /// <summary>
    /// Opens one record in place: <paramref name="fragment"/> is the record's fragment as received,
    /// <paramref name="type"/> and <paramref name="recordVersion"/> its header fields. Returns the
    /// plaintext (a slice of <paramref name="fragment"/>) and its real content type (the inner type in TLS 1.3).
    /// </summary>
    Span<byte> Open(ContentType type, ushort recordVersion, Span<byte> fragment, out ContentType contentType);

    /// <summary>
    /// Frees what the protection can rebuild from its keys (the AEADs' native cipher contexts) while the connection
    /// waits for its peer; the next record rebuilds it. The keys and the sequence number stay.
    /// </summary>
    void ReleaseIdle() { }
}

/// <summary>Helpers over <see cref="IRecordProtection"/>.</summary>
internal static class RecordProtectionExtensions
{
    /// <summary>Opens a record from the deframer in place (see <see cref="IRecordProtection.Open"/>).</summary>
    public static Span<byte> Open(this IRecordProtection protection, TlsRecord record, out ContentType contentType)
        => protection.Open(record.Type, record.Version, record.Fragment, out contentType);
}
