using SharpTls.Wire;

namespace SharpTls.Messages;

/// <summary>
/// CertificateVerify. TLS 1.2 (RFC 5246 §7.4.8) and TLS 1.3 (RFC 8446 §4.4.3):
/// <code>
/// struct {
///     SignatureScheme algorithm;
///     opaque signature&lt;0..2^16-1&gt;;
/// } CertificateVerify;
/// </code>
/// TLS 1.0/1.1 and SSL 3.0: the signature alone (<see cref="Scheme"/> null):
/// <code>struct { opaque signature&lt;0..2^16-1&gt;; } CertificateVerify;</code>
/// </summary>
internal sealed class CertificateVerify : HandshakeMessage
{
    public override HandshakeType Type => HandshakeType.CertificateVerify;

    /// <summary>The signature scheme (TLS 1.2, 1.3); null before TLS 1.2.</summary>
    public SignatureScheme? Scheme { get; init; }

    public byte[] Signature { get; init; } = [];

    protected override void WriteBody(TlsWriter w)
    {
        if (Scheme is { } s) w.WriteUInt16((ushort)s);
        w.WriteVector(2, Signature);
    }

    internal static CertificateVerify ReadBody(ref TlsReader r, MessageContext ctx)
    {
        ctx.RequireVersion(HandshakeType.CertificateVerify);
        SignatureScheme? scheme = ctx.HasSignatureScheme ? (SignatureScheme)r.ReadUInt16("algorithm") : null;
        return new CertificateVerify { Scheme = scheme, Signature = r.ReadVector16("signature").ToArray() };
    }
}
