using SharpTls.Wire;

namespace SharpTls.Messages.Extensions;

/// <summary>
/// certificate_authorities (RFC 8446 §4.2.4): DER distinguished names of acceptable CAs.
/// <code>
/// opaque DistinguishedName&lt;1..2^16-1&gt;;
/// struct { DistinguishedName authorities&lt;3..2^16-1&gt;; } CertificateAuthoritiesExtension;
/// </code>
/// </summary>
internal sealed class CertificateAuthoritiesExtension(IReadOnlyList<byte[]> authorities) : TlsExtension
{
    public override ExtensionType Type => ExtensionType.CertificateAuthorities;

    public IReadOnlyList<byte[]> Authorities { get; } = authorities;

    public override void WriteData(TlsWriter w) => WireLists.WriteOpaques(w, Authorities, 2, 3, 0xFFFF, 2, 1, 0xFFFF);

    internal static CertificateAuthoritiesExtension Read(ref TlsReader r, ExtensionContext ctx)
        => new(WireLists.ReadOpaques(ref r, "authorities", 2, 3, 0xFFFF, "DistinguishedName", 2, 1, 0xFFFF,
            n => PeerLimits.CheckAuthorities(n, "certificate_authorities")));
}
