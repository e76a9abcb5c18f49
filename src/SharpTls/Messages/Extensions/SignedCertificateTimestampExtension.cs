using SharpTls.Wire;

namespace SharpTls.Messages.Extensions;

/// <summary>
/// signed_certificate_timestamp (RFC 6962 §3.3). Empty in ClientHello and CertificateRequest;
/// a non-empty SCT list in ServerHello and in a TLS 1.3 CertificateEntry.
/// <code>
/// opaque SerializedSCT&lt;1..2^16-1&gt;;
/// struct { SerializedSCT sct_list &lt;1..2^16-1&gt;; } SignedCertificateTimestampList;
/// </code>
/// </summary>
internal sealed class SignedCertificateTimestampExtension : TlsExtension
{
    public override ExtensionType Type => ExtensionType.SignedCertificateTimestamp;

    /// <summary>The serialized SCTs; empty for the request form.</summary>
    public IReadOnlyList<byte[]> Timestamps { get; init; } = [];

    public override void WriteData(TlsWriter w)
    {
        if (Timestamps.Count > 0) WireLists.WriteOpaques(w, Timestamps, 2, 1, 0xFFFF, 2, 1, 0xFFFF);
    }

    internal static SignedCertificateTimestampExtension Read(ref TlsReader r, ExtensionContext ctx)
    {
        if (ctx is ExtensionContext.ClientHello or ExtensionContext.CertificateRequest) return new();
        return new() { Timestamps = WireLists.ReadOpaques(ref r, "sct_list", 2, 1, 0xFFFF, "SerializedSCT", 2, 1, 0xFFFF) };
    }
}
