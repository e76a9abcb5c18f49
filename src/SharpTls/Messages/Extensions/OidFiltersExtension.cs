using SharpTls.Wire;

namespace SharpTls.Messages.Extensions;

/// <summary>One OID filter: a certificate extension OID (DER, without tag and length) and the DER values it must have.</summary>
internal sealed record OidFilter(byte[] Oid, byte[] Values);

/// <summary>
/// oid_filters (RFC 8446 §4.2.5), in the TLS 1.3 CertificateRequest.
/// <code>
/// struct {
///     opaque certificate_extension_oid&lt;1..2^8-1&gt;;
///     opaque certificate_extension_values&lt;0..2^16-1&gt;;
/// } OIDFilter;
/// struct { OIDFilter filters&lt;0..2^16-1&gt;; } OIDFilterExtension;
/// </code>
/// </summary>
internal sealed class OidFiltersExtension(IReadOnlyList<OidFilter> filters) : TlsExtension
{
    public override ExtensionType Type => ExtensionType.OidFilters;

    public IReadOnlyList<OidFilter> Filters { get; } = filters;

    public override void WriteData(TlsWriter w)
    {
        var mark = w.BeginVector(2);
        foreach (var f in Filters)
        {
            w.WriteVector(1, f.Oid, 1);
            w.WriteVector(2, f.Values);
        }
        w.EndVector(mark);
    }

    internal static OidFiltersExtension Read(ref TlsReader r, ExtensionContext ctx)
    {
        var list = r.ReadVector16Reader("filters");
        var filters = new List<OidFilter>();
        while (!list.IsEmpty)
        {
            var oid = list.ReadVector8("certificate_extension_oid", 1).ToArray();
            filters.Add(new OidFilter(oid, list.ReadVector16("certificate_extension_values").ToArray()));
        }
        return new OidFiltersExtension(filters);
    }
}
