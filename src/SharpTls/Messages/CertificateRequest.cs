using SharpTls.Messages.Extensions;
using SharpTls.Wire;

namespace SharpTls.Messages;

/// <summary>
/// CertificateRequest. TLS 1.0-1.2 (RFC 5246 §7.4.4, RFC 4346 §7.4.4), chosen when <see cref="Context"/> is null:
/// <code>
/// struct {
///     ClientCertificateType certificate_types&lt;1..2^8-1&gt;;
///     SignatureAndHashAlgorithm supported_signature_algorithms&lt;2..2^16-2&gt;;   /* TLS 1.2 only */
///     DistinguishedName certificate_authorities&lt;0..2^16-1&gt;;
/// } CertificateRequest;
/// opaque DistinguishedName&lt;1..2^16-1&gt;;
/// </code>
/// TLS 1.3 (RFC 8446 §4.3.2); signature_algorithms must be present (missing_extension):
/// <code>
/// struct {
///     opaque certificate_request_context&lt;0..2^8-1&gt;;
///     Extension extensions&lt;2..2^16-1&gt;;
/// } CertificateRequest;
/// </code>
/// </summary>
internal sealed class CertificateRequest : HandshakeMessage
{
    public override HandshakeType Type => HandshakeType.CertificateRequest;

    /// <summary>TLS 1.3: certificate_request_context; null selects the TLS 1.0-1.2 form.</summary>
    public byte[]? Context { get; init; }

    /// <summary>TLS 1.0-1.2: certificate_types.</summary>
    public IReadOnlyList<ClientCertificateType> CertificateTypes { get; init; } = [];

    /// <summary>TLS 1.2: supported_signature_algorithms; null for TLS 1.0/1.1 and SSL 3.0.</summary>
    public IReadOnlyList<SignatureScheme>? SignatureAlgorithms { get; init; }

    /// <summary>TLS 1.0-1.2: DER distinguished names of acceptable CAs.</summary>
    public IReadOnlyList<byte[]> CertificateAuthorities { get; init; } = [];

    /// <summary>TLS 1.3: the extensions.</summary>
    public ExtensionList Extensions { get; init; } = [];

    public bool IsTls13 => Context is not null;

    protected override void WriteBody(TlsWriter w)
    {
        if (Context is not null)
        {
            w.WriteVector(1, Context);
            Extensions.Write(w, 2);
            return;
        }
        WireLists.WriteUInt8s(w, CertificateTypes, 1, 0xFF);
        if (SignatureAlgorithms is not null) WireLists.WriteUInt16s(w, SignatureAlgorithms, 2, 2, 0xFFFE);
        WireLists.WriteOpaques(w, CertificateAuthorities, 2, 0, 0xFFFF, 2, 1, 0xFFFF);
    }

    internal static CertificateRequest ReadBody(ref TlsReader r, MessageContext ctx)
    {
        var version = ctx.RequireVersion(HandshakeType.CertificateRequest);
        if (version == ProtocolVersion.Tls13)
        {
            var context = r.ReadVector8("certificate_request_context").ToArray();
            var extensions = ExtensionList.Read(ref r, ExtensionContext.CertificateRequest, "extensions", 2);
            if (extensions.Find<SignatureAlgorithmsExtension>() is null)
                throw new TlsProtocolException(AlertDescription.MissingExtension, "CertificateRequest: signature_algorithms is required");
            return new CertificateRequest { Context = context, Extensions = extensions };
        }
        var types = WireLists.ReadUInt8s<ClientCertificateType>(ref r, "certificate_types", 1, 0xFF);
        var schemes = version >= ProtocolVersion.Tls12
            ? WireLists.ReadUInt16s<SignatureScheme>(ref r, "supported_signature_algorithms", 2, 2, 0xFFFE)
            : null;
        var cas = WireLists.ReadOpaques(ref r, "certificate_authorities", 2, 0, 0xFFFF, "DistinguishedName", 2, 1, 0xFFFF,
            n => PeerLimits.CheckAuthorities(n, "CertificateRequest.certificate_authorities"));
        return new CertificateRequest { CertificateTypes = types, SignatureAlgorithms = schemes, CertificateAuthorities = cas };
    }
}
