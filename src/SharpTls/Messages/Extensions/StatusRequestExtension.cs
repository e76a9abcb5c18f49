using SharpTls.Wire;

namespace SharpTls.Messages.Extensions;

/// <summary>
/// status_request (RFC 6066 §8, RFC 8446 §4.4.2.1). Three forms: a request in ClientHello and
/// the TLS 1.3 CertificateRequest; an empty body in a TLS 1.2 ServerHello; the OCSP response
/// itself in a TLS 1.3 CertificateEntry (<see cref="OcspResponse"/>).
/// <code>
/// struct {
///     CertificateStatusType status_type;
///     select (status_type) { case ocsp: OCSPStatusRequest; } request;
/// } CertificateStatusRequest;
/// struct {
///     ResponderID responder_id_list&lt;0..2^16-1&gt;;
///     Extensions  request_extensions;
/// } OCSPStatusRequest;
/// opaque ResponderID&lt;1..2^16-1&gt;;
/// opaque Extensions&lt;0..2^16-1&gt;;
/// </code>
/// A request of another status_type keeps its body in <see cref="OtherRequest"/>.
/// </summary>
internal sealed class StatusRequestExtension : TlsExtension
{
    public override ExtensionType Type => ExtensionType.StatusRequest;

    /// <summary>The request's status_type; null for the empty and the response forms.</summary>
    public CertificateStatusType? StatusType { get; init; }

    /// <summary>responder_id_list (ocsp request).</summary>
    public IReadOnlyList<byte[]> ResponderIds { get; init; } = [];

    /// <summary>request_extensions (DER, ocsp request).</summary>
    public byte[] RequestExtensions { get; init; } = [];

    /// <summary>The body of a request whose status_type is not ocsp.</summary>
    public byte[]? OtherRequest { get; init; }

    /// <summary>The OCSP response (TLS 1.3 CertificateEntry form).</summary>
    public byte[]? OcspResponse { get; init; }

    /// <summary>The usual ClientHello request: ocsp, no responder ids, no extensions.</summary>
    public static StatusRequestExtension Ocsp() => new() { StatusType = CertificateStatusType.Ocsp };

    public override void WriteData(TlsWriter w)
    {
        if (OcspResponse is not null)
        {
            CertificateStatus.WriteStatus(w, OcspResponse);
            return;
        }
        if (StatusType is not { } type) return;
        w.WriteUInt8((byte)type);
        if (type != CertificateStatusType.Ocsp)
        {
            w.WriteBytes(OtherRequest ?? []);
            return;
        }
        WireLists.WriteOpaques(w, ResponderIds, 2, 0, 0xFFFF, 2, 1, 0xFFFF);
        w.WriteVector(2, RequestExtensions);
    }

    internal static StatusRequestExtension Read(ref TlsReader r, ExtensionContext ctx)
    {
        switch (ctx)
        {
            case ExtensionContext.ServerHello:
                return new StatusRequestExtension();
            // RFC 8446 §4.4.2.1: a server asks for the client's OCSP status with an empty status_request.
            case ExtensionContext.CertificateRequest when r.IsEmpty:
                return new StatusRequestExtension();
            case ExtensionContext.Certificate:
                return new StatusRequestExtension { OcspResponse = CertificateStatus.ReadStatus(ref r) };
        }
        var type = (CertificateStatusType)r.ReadUInt8("status_request.status_type");
        if (type != CertificateStatusType.Ocsp)
            return new StatusRequestExtension { StatusType = type, OtherRequest = r.ReadBytes(r.Remaining, "status_request.request").ToArray() };
        var ids = WireLists.ReadOpaques(ref r, "responder_id_list", 2, 0, 0xFFFF, "ResponderID", 2, 1, 0xFFFF);
        var exts = r.ReadVector16("request_extensions").ToArray();
        return new StatusRequestExtension { StatusType = type, ResponderIds = ids, RequestExtensions = exts };
    }
}
