using SharpTls.Wire;

namespace SharpTls.Sessions;

/// <summary>
/// What a TLS 1.3 server needs to resume a session, sealed into the ticket by
/// <see cref="TicketKeyRing"/> (the server keeps no per-session state).
/// </summary>
/// <remarks>Layout (our own, versioned): uint8 format(1); uint16 version; uint16 suite;
/// opaque psk&lt;1..255&gt;; uint64 issued (Unix ms); uint32 age_add; uint32 lifetime (s);
/// opaque sni&lt;0..255&gt;; opaque alpn&lt;0..255&gt;; opaque client_certificate&lt;0..2^16-1&gt; (the leaf, DER; empty when none);
/// uint8 client_certificate_status; opaque policy_fingerprint[32] (of the policy that judged the client certificate).</remarks>
internal sealed record TicketState(
    ProtocolVersion Version,
    ushort CipherSuite,
    byte[] Psk,
    long IssuedUnixMilliseconds,
    uint AgeAdd,
    uint LifetimeSeconds,
    string? ServerName,
    string? ApplicationProtocol,
    byte[]? ClientCertificate,
    ClientCertificateStatus ClientCertificateStatus,
    byte[] PolicyFingerprint)
{
    private const byte Format = 3;
    private const int FingerprintLength = 32;

    public byte[] Encode()
    {
        var w = TlsWriter.RentScratch();
        try
        {
            WriteTo(w);
            return w.ToArray();
        }
        finally
        {
            TlsWriter.ReturnScratch(w);
        }
    }

    /// <summary>Writes the state into <paramref name="w"/> (it holds the PSK: wipe what the writer held afterwards).</summary>
    public void WriteTo(TlsWriter w)
    {
        w.WriteUInt8(Format);
        w.WriteUInt16((ushort)Version);
        w.WriteUInt16(CipherSuite);
        w.WriteVector(1, Psk, 1);
        SessionFields.WriteIssued(w, IssuedUnixMilliseconds);
        w.WriteUInt32(AgeAdd);
        w.WriteUInt32(LifetimeSeconds);
        SessionFields.WritePeer(w, ServerName, ApplicationProtocol, ClientCertificate, ClientCertificateStatus);
        w.WriteBytes(PolicyFingerprint);
    }

    /// <summary>Decodes a ticket's state; null if it is not ours (format or length mismatch).</summary>
    public static TicketState? Decode(ReadOnlySpan<byte> data)
    {
        try
        {
            var r = new TlsReader(data);
            if (r.ReadUInt8("format") != Format) return null;
            var version = (ProtocolVersion)r.ReadUInt16("version");
            ushort suite = r.ReadUInt16("suite");
            byte[] psk = r.ReadVector8("psk", 1).ToArray();
            long issued = SessionFields.ReadIssued(ref r);
            uint ageAdd = r.ReadUInt32("age_add");
            uint lifetime = r.ReadUInt32("lifetime");
            var peer = SessionFields.ReadPeer(ref r);
            byte[] fingerprint = r.ReadBytes(FingerprintLength, "policy_fingerprint").ToArray();
            r.ExpectEnd("ticket state");
            if (!Enum.IsDefined(peer.Status)) return null;
            return new TicketState(version, suite, psk, issued, ageAdd, lifetime, peer.ServerName, peer.ApplicationProtocol,
                peer.ClientCertificate, peer.Status, fingerprint);
        }
        catch (TlsProtocolException)
        {
            return null;
        }
    }
}
