using SharpTls.Wire;

namespace SharpTls.Messages;

/// <summary>
/// CompressedCertificate (RFC 8879 §4), sent in place of a TLS 1.3 Certificate to a peer that offered compress_certificate:
/// <code>
/// struct {
///     CertificateCompressionAlgorithm algorithm;
///     uint24 uncompressed_length;
///     opaque compressed_certificate_message&lt;1..2^24-1&gt;;
/// } CompressedCertificate;
/// </code>
/// The compressed bytes are the Certificate message's body (no 4-byte handshake header; RFC 8879 erratum 8753), and
/// uncompressed_length is that body's length. Decompression (bounded) is <see cref="Handshake.Tls13.CertificateCompression"/>'s.
/// </summary>
internal sealed class CompressedCertificate : HandshakeMessage
{
    public override HandshakeType Type => HandshakeType.CompressedCertificate;

    /// <summary>The algorithm, which must be one the receiver offered.</summary>
    public CertificateCompressionAlgorithm Algorithm { get; init; }

    /// <summary>The length of the Certificate body once decompressed, as the sender claims it.</summary>
    public int UncompressedLength { get; init; }

    /// <summary>compressed_certificate_message.</summary>
    public byte[] CompressedMessage { get; init; } = [];

    protected override void WriteBody(TlsWriter w)
    {
        w.WriteUInt16((ushort)Algorithm);
        w.WriteUInt24(UncompressedLength);
        w.WriteVector(3, CompressedMessage, 1);
    }

    internal static CompressedCertificate ReadBody(ref TlsReader r) => new()
    {
        Algorithm = (CertificateCompressionAlgorithm)r.ReadUInt16("CompressedCertificate.algorithm"),
        UncompressedLength = r.ReadUInt24("CompressedCertificate.uncompressed_length"),
        CompressedMessage = r.ReadVector24("compressed_certificate_message", 1).ToArray(),
    };
}
