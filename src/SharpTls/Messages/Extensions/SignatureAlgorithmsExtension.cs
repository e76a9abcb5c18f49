using SharpTls.Wire;

namespace SharpTls.Messages.Extensions;

/// <summary>
/// The shape shared by signature_algorithms and signature_algorithms_cert (RFC 8446 §4.2.3):
/// <code>struct { SignatureScheme supported_signature_algorithms&lt;2..2^16-2&gt;; } SignatureSchemeList;</code>
/// </summary>
internal abstract class SignatureSchemeListExtension(IReadOnlyList<SignatureScheme> schemes) : TlsExtension
{
    public IReadOnlyList<SignatureScheme> Schemes { get; } = schemes;

    public override void WriteData(TlsWriter w) => WireLists.WriteUInt16s(w, Schemes, 2, 2, 0xFFFE);

    internal static SignatureScheme[] ReadList(ref TlsReader r)
        => WireLists.ReadUInt16s<SignatureScheme>(ref r, "supported_signature_algorithms", 2, 2, 0xFFFE);
}

/// <summary>signature_algorithms (RFC 8446 §4.2.3, RFC 5246 §7.4.1.4.1).</summary>
internal sealed class SignatureAlgorithmsExtension(IReadOnlyList<SignatureScheme> schemes) : SignatureSchemeListExtension(schemes)
{
    public override ExtensionType Type => ExtensionType.SignatureAlgorithms;

    internal static SignatureAlgorithmsExtension Read(ref TlsReader r, ExtensionContext ctx) => new(ReadList(ref r));
}
