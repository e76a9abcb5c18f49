using SharpTls.Wire;

namespace SharpTls.Messages.Extensions;

/// <summary>
/// compress_certificate (RFC 8879 §3).
/// <code>struct { CertificateCompressionAlgorithm algorithms&lt;2..2^8-2&gt;; } CertificateCompressionAlgorithms;</code>
/// </summary>
internal sealed class CompressCertificateExtension(IReadOnlyList<CertificateCompressionAlgorithm> algorithms) : TlsExtension
{
    public override ExtensionType Type => ExtensionType.CompressCertificate;

    public IReadOnlyList<CertificateCompressionAlgorithm> Algorithms { get; } = algorithms;

    public override void WriteData(TlsWriter w) => WireLists.WriteUInt16s(w, Algorithms, 1, 2, 0xFE);

    internal static CompressCertificateExtension Read(ref TlsReader r, ExtensionContext ctx)
        => new(WireLists.ReadUInt16s<CertificateCompressionAlgorithm>(ref r, "algorithms", 1, 2, 0xFE));
}
