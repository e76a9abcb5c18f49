using System.Text;
using SharpTls.Wire;

namespace SharpTls.Sessions;

/// <summary>
/// The fields TLS 1.3 ticket state and TLS 1.2 session state share, written and read one way: the issue time, and
/// what the session was for and who the client was (SNI, ALPN, the client's leaf certificate and its verdict).
/// </summary>
internal static class SessionFields
{
    /// <summary>uint64 issued (Unix ms), as two uint32.</summary>
    public static void WriteIssued(TlsWriter w, long unixMilliseconds)
    {
        w.WriteUInt32((uint)(unixMilliseconds >> 32));
        w.WriteUInt32((uint)unixMilliseconds);
    }

    public static long ReadIssued(ref TlsReader r) => ((long)r.ReadUInt32("issued") << 32) | r.ReadUInt32("issued");

    /// <summary>opaque sni&lt;0..255&gt;; opaque alpn&lt;0..255&gt;; opaque client_certificate&lt;0..2^16-1&gt;; uint8 client_certificate_status.</summary>
    public static void WritePeer(TlsWriter w, string? serverName, string? applicationProtocol, byte[]? clientCertificate, ClientCertificateStatus status)
    {
        w.WriteAsciiVector(1, serverName ?? "");
        w.WriteAsciiVector(1, applicationProtocol ?? "");
        w.WriteVector(2, clientCertificate ?? []);
        w.WriteUInt8((byte)status);
    }

    /// <summary>Reads what <see cref="WritePeer"/> wrote; empty values come back as null.</summary>
    public static (string? ServerName, string? ApplicationProtocol, byte[]? ClientCertificate, ClientCertificateStatus Status) ReadPeer(ref TlsReader r)
    {
        string sni = Encoding.ASCII.GetString(r.ReadVector8("sni"));
        string alpn = Encoding.ASCII.GetString(r.ReadVector8("alpn"));
        byte[] certificate = r.ReadVector16("client_certificate").ToArray();
        var status = (ClientCertificateStatus)r.ReadUInt8("client_certificate_status");
        return (sni.Length == 0 ? null : sni, alpn.Length == 0 ? null : alpn, certificate.Length == 0 ? null : certificate, status);
    }
}
