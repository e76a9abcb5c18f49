using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Crypto;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Sessions;
using SharpTls.Tests.Handshake;
using SharpTls.Wire;

namespace SharpTls.Tests.Tls12;

/// <summary>
/// The 16 KiB ticket limit (<see cref="PeerLimits.MaxTicketLength"/>) on both sides of our server: what it takes in a
/// ClientHello's session_ticket, and what it issues. A session carries the client's leaf certificate, so a ~17 KB client
/// certificate would make a ticket past the limit: at TLS 1.2 the NewSessionTicket the ServerHello promised then carries an
/// empty ticket (RFC 5077 §3.3), at TLS 1.3 none is sent, and the connection goes on; with an ordinary certificate the
/// ticket is issued and resumes.
/// </summary>
public class TicketLimitTests
{
    private static readonly Lazy<X509Certificate2> HugeClientCertificate = new(() =>
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=client with a large extension", key, HashAlgorithmName.SHA256);
        // A private, non-critical extension of 17,000 bytes (an OCTET STRING of zeros, DER: 04 82 42 68 ...).
        byte[] value = new byte[4 + 17_000];
        value[0] = 0x04;
        value[1] = 0x82;
        value[2] = 17_000 >> 8;
        value[3] = 17_000 & 0xFF;
        request.CertificateExtensions.Add(new X509Extension("1.3.6.1.4.1.55555.1", value, critical: false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadCertificate(made.RawData).CopyWithPrivateKey(key);
    });

    private static (TlsServerOptions Server, TlsClientOptions Client) Options(TlsVersions version, bool huge, TicketKeyRing ring, ClientSessionStore store)
    {
        var s = InMemoryPair.DefaultServer();
        s.Versions = version;
        s.TicketKeys = ring;
        s.SessionCache = null;
        s.ClientCertificateMode = ClientCertificateMode.Required;
        s.TrustedIssuers = [UnitPki.Root, HugeClientCertificate.Value]; // the large one is self-signed: its own issuer
        var c = InMemoryPair.DefaultClient();
        c.Versions = version;
        c.SessionStore = store;
        c.ClientCertificate = new ServerCertificate(huge ? HugeClientCertificate.Value : UnitPki.ClientLeaf);
        return (s, c);
    }

    [Theory]
    [InlineData(TlsVersions.Tls12, true)]
    [InlineData(TlsVersions.Tls12, false)]
    [InlineData(TlsVersions.Tls13, true)]
    [InlineData(TlsVersions.Tls13, false)]
    public void A_session_that_would_seal_past_the_limit_gets_no_ticket_and_the_connection_goes_on(TlsVersions version, bool huge)
    {
        Assert.True(HugeClientCertificate.Value.RawData.Length > PeerLimits.MaxTicketLength);
        using var ring = new TicketKeyRing();
        var store = new ClientSessionStore();
        var (server, client) = Options(version, huge, ring, store);
        var tickets12 = new List<int>();
        using (var first = new InMemoryPair(server, client))
        {
            // TLS 1.2's NewSessionTicket travels before ChangeCipherSpec, in the clear: its ticket's length is read off the wire.
            first.ServerToClient = wire =>
            {
                var plain = WireSurgery.Split(wire).TakeWhile(r => r.Type != ContentType.ChangeCipherSpec).Where(r => r.Type == ContentType.Handshake);
                foreach (byte[] m in WireSurgery.Messages(plain.SelectMany(r => r.Fragment).ToArray()))
                    if (m[0] == (byte)HandshakeType.NewSessionTicket)
                        tickets12.Add(HandshakeMessage.Decode<NewSessionTicket>(m, MessageContext.Negotiated(ProtocolVersion.Tls12, (ushort)first.Server.Info.CipherSuite!.Value)).Ticket.Length);
                return wire;
            };
            first.Handshake();
            Assert.Equal("after"u8.ToArray(), first.Send(first.Client, first.Server, "after"u8.ToArray()));
            Assert.Equal(huge ? HugeClientCertificate.Value.Thumbprint : UnitPki.ClientLeaf.Thumbprint, first.Server.Info.PeerCertificates[0].Thumbprint);
            Assert.Equal(ClientCertificateStatus.Verified, first.Server.Info.ClientCertificateVerdict!.Status);
        }
        if (version == TlsVersions.Tls12)
        {
            int length = Assert.Single(tickets12);
            if (huge) Assert.Equal(0, length);
            else Assert.InRange(length, 1, PeerLimits.MaxTicketLength);
        }
        using var second = new InMemoryPair(server, client);
        second.Handshake();
        Assert.Equal(!huge, second.Server.Info.Resumed);
        Assert.Equal(!huge, second.Client.Info.Resumed);
    }

    private static ScriptedCryptoProvider WithSessionTicket(int length) => new($"session-ticket-{length}")
    {
        ClientHelloReplay = h => HelloRetryRequestTests.Rebuild(h, x => HelloRetryRequestTests.With(x.Extensions, ExtensionType.SessionTicket,
            new SessionTicketExtension { Ticket = new byte[length] })),
    };

    /// <summary>A TLS 1.2 pair whose client's ClientHello carries a session_ticket of <paramref name="length"/> zero bytes.</summary>
    private static InMemoryPair OfferingATicketOf(int length)
    {
        var server = InMemoryPair.DefaultServer();
        server.Versions = TlsVersions.Tls12;
        var client = InMemoryPair.DefaultClient();
        client.Versions = TlsVersions.Tls12;
        client.Crypto = WithSessionTicket(length);
        return new InMemoryPair(server, client);
    }

    [Fact]
    public void Rfc5077_3_2_a_session_ticket_in_ClientHello_longer_than_the_limit_is_illegal_parameter()
    {
        using var pair = OfferingATicketOf(PeerLimits.MaxTicketLength + 1);
        pair.HandshakeFails(pair.Server, AlertDescription.IllegalParameter, "Server.ExpectClientHello",
            $"session_ticket: a ticket of {PeerLimits.MaxTicketLength + 1} bytes; at most {PeerLimits.MaxTicketLength}");
    }

    [Fact]
    public void A_session_ticket_at_the_limit_that_is_not_ours_gives_a_full_handshake()
    {
        using var pair = OfferingATicketOf(PeerLimits.MaxTicketLength);
        pair.Handshake();
        Assert.False(pair.Server.Info.Resumed);
        Assert.Equal(ProtocolVersion.Tls12, pair.Server.Info.Version);
    }
}
