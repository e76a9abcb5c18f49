using SharpTls.Wire;

namespace SharpTls.Sessions;

/// <summary>
/// What a TLS 1.0-1.2 server needs to resume a session (RFC 5246 §7.3 abbreviated handshake), sealed by
/// <see cref="TicketKeyRing"/>: into an RFC 5077 ticket, or as the value stored under a session ID in an
/// <see cref="ITlsSessionCache"/>. The abbreviated handshake checks version, suite, SNI and the extended
/// master secret against it (RFC 7627 §5.3).
/// </summary>
/// <remarks>Layout (ours, versioned): uint8 format; uint16 version; uint16 suite; opaque master_secret&lt;48&gt;;
/// uint8 ems; uint64 issued (Unix ms); uint32 lifetime (s); opaque sni&lt;0..255&gt;; opaque alpn&lt;0..255&gt;;
/// opaque client_certificate&lt;0..2^16-1&gt;; uint8 client_certificate_status; opaque policy_fingerprint&lt;0..255&gt;
/// (the verdict on the client's certificate and the fingerprint of the policy that judged it, issue 7 item 1).</remarks>
internal sealed record Tls12SessionState(
    ProtocolVersion Version,
    ushort CipherSuite,
    byte[] MasterSecret,
    bool ExtendedMasterSecret,
    long IssuedUnixMilliseconds,
    uint LifetimeSeconds,
    string? ServerName,
    string? ApplicationProtocol,
    byte[]? ClientCertificate,
    ClientCertificateStatus ClientCertificateStatus,
    byte[] PolicyFingerprint)
{
    private const byte Format = 0x12;

    public byte[] Encode()
    {
        var w = new TlsWriter(160);
        w.WriteUInt8(Format);
        w.WriteUInt16((ushort)Version);
        w.WriteUInt16(CipherSuite);
        w.WriteVector(1, MasterSecret, 1);
        w.WriteUInt8(ExtendedMasterSecret ? (byte)1 : (byte)0);
        SessionFields.WriteIssued(w, IssuedUnixMilliseconds);
        w.WriteUInt32(LifetimeSeconds);
        SessionFields.WritePeer(w, ServerName, ApplicationProtocol, ClientCertificate, ClientCertificateStatus);
        w.WriteVector(1, PolicyFingerprint);
        return w.ToArray();
    }

    /// <summary>True while the session may still be resumed at <paramref name="now"/>.</summary>
    public bool IsValidAt(DateTimeOffset now)
    {
        long age = now.ToUnixTimeMilliseconds() - IssuedUnixMilliseconds;
        return age >= -60_000 && age < LifetimeSeconds * 1000L;
    }

    /// <summary>Decodes a sealed session's state; null if it is not a TLS 1.2 session of ours.</summary>
    public static Tls12SessionState? Decode(ReadOnlySpan<byte> data)
    {
        try
        {
            var r = new TlsReader(data);
            if (r.ReadUInt8("format") != Format) return null;
            var version = (ProtocolVersion)r.ReadUInt16("version");
            ushort suite = r.ReadUInt16("suite");
            byte[] master = r.ReadVector8("master_secret", 1).ToArray();
            bool ems = r.ReadUInt8("ems") == 1;
            long issued = SessionFields.ReadIssued(ref r);
            uint lifetime = r.ReadUInt32("lifetime");
            var peer = SessionFields.ReadPeer(ref r);
            byte[] fingerprint = r.ReadVector8("policy_fingerprint").ToArray();
            r.ExpectEnd("TLS 1.2 session state");
            if (master.Length != 48) return null;
            return new Tls12SessionState(version, suite, master, ems, issued, lifetime, peer.ServerName,
                peer.ApplicationProtocol, peer.ClientCertificate, peer.Status, fingerprint);
        }
        catch (TlsProtocolException)
        {
            return null;
        }
    }
}
