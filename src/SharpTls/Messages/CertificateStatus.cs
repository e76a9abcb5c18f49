using SharpTls.Wire;

namespace SharpTls.Messages;

/// <summary>
/// CertificateStatus (RFC 6066 §8): the stapled OCSP response of a TLS 1.0-1.2 server. The same
/// structure is the body of status_request in a TLS 1.3 CertificateEntry (RFC 8446 §4.4.2.1).
/// <code>
/// struct {
///     CertificateStatusType status_type;
///     select (status_type) { case ocsp: OCSPResponse response; } response;
/// } CertificateStatus;
/// opaque OCSPResponse&lt;1..2^24-1&gt;;
/// </code>
/// Only ocsp is accepted; another status_type is illegal_parameter.
/// </summary>
internal sealed class CertificateStatus : HandshakeMessage
{
    public override HandshakeType Type => HandshakeType.CertificateStatus;

    /// <summary>The DER OCSPResponse.</summary>
    public byte[] OcspResponse { get; init; } = [];

    protected override void WriteBody(TlsWriter w) => WriteStatus(w, OcspResponse);

    internal static CertificateStatus ReadBody(ref TlsReader r) => new() { OcspResponse = ReadStatus(ref r) };

    internal static void WriteStatus(TlsWriter w, byte[] ocspResponse)
    {
        w.WriteUInt8((byte)CertificateStatusType.Ocsp);
        w.WriteVector(3, ocspResponse, 1);
    }

    internal static byte[] ReadStatus(ref TlsReader r)
    {
        byte type = r.ReadUInt8("status_type");
        if (type != (byte)CertificateStatusType.Ocsp)
            throw TlsProtocolException.Illegal($"status_type: {type} is not ocsp (1)");
        return r.ReadVector24("OCSPResponse", 1).ToArray();
    }
}
