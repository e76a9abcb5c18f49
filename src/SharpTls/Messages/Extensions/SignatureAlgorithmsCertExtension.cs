using SharpTls.Wire;

namespace SharpTls.Messages.Extensions;

/// <summary>signature_algorithms_cert (RFC 8446 §4.2.3): same body as signature_algorithms.</summary>
internal sealed class SignatureAlgorithmsCertExtension(IReadOnlyList<SignatureScheme> schemes) : SignatureSchemeListExtension(schemes)
{
    public override ExtensionType Type => ExtensionType.SignatureAlgorithmsCert;

    internal static SignatureAlgorithmsCertExtension Read(ref TlsReader r, ExtensionContext ctx) => new(ReadList(ref r));
}
