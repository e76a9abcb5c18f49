using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Sessions;
using SharpTls.Tests.Handshake;
using SharpTls.Wire;

namespace SharpTls.Tests.Tls12;

/// <summary>TLS 1.2 resumption by session ID (seed 004's three cases, through the server's session cache) and the client-certificate bypass regression of issue 7 item 1.</summary>
public class Tls12ResumptionTests
{
    private static TlsServerOptions Server(ITlsSessionCache cache, TicketKeyRing ring, bool tickets)
    {
        var s = InMemoryPair.DefaultServer(UnitPki.RsaLeaf);
        s.Versions = TlsVersions.Tls12;
        s.SessionCache = cache;
        s.TicketKeys = ring;
        s.EnableSessionTickets = tickets;
        return s;
    }

    private static TlsClientOptions Client(ClientSessionStore store, CipherSuite suite = CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA256, X509Certificate2? certificate = null)
    {
        var c = InMemoryPair.DefaultClient();
        c.Versions = TlsVersions.Tls12;
        c.CipherSuites = [suite];
        c.SessionStore = store;
        c.ClientCertificate = certificate is null ? null : new ServerCertificate(certificate);
        return c;
    }

    [Fact]
    public async Task Session_id_new_then_resumed_then_refused_when_forgotten()
    {
        var cache = new MemorySessionCache();
        using var ring = new TicketKeyRing();
        var options = Server(cache, ring, tickets: false);
        var store = new ClientSessionStore();
        byte[] id;
        using (var first = new InMemoryPair(options, Client(store)))
        {
            first.Handshake();
            Assert.False(first.Server.Info.Resumed);
            // Case 1: a new session ID, stored in the cache, sealed (the cache never sees the master secret).
            id = store.FindTls12("www.contoso.test", DateTimeOffset.UtcNow)!.SessionId;
            Assert.Equal(32, id.Length);
            Assert.Equal(1, cache.Count);
            byte[] stored = (await cache.GetAsync(id, default))!;
            Assert.NotNull(ring.Open(stored));
        }
        using (var second = new InMemoryPair(options, Client(store)))
        {
            // Case 2: the client's ID is resumed.
            second.Handshake();
            Assert.True(second.Server.Info.Resumed);
            Assert.True(second.Client.Info.Resumed);
            Assert.Equal("by id"u8.ToArray(), second.Send(second.Client, second.Server, "by id"u8.ToArray()));
        }
        await cache.RemoveAsync(id, default);
        using (var third = new InMemoryPair(options, Client(store)))
        {
            // Unknown ID: a full handshake with a new ID.
            third.Handshake();
            Assert.False(third.Server.Info.Resumed);
            Assert.False(third.Client.Info.Resumed);
            Assert.NotEqual(id, store.FindTls12("www.contoso.test", DateTimeOffset.UtcNow)!.SessionId);
        }
    }

    [Fact]
    public void No_session_id_when_the_server_will_not_resume()
    {
        // Case 3: no cache, no tickets: the ServerHello carries an empty session ID and the client keeps nothing.
        var options = Server(new MemorySessionCache(), new TicketKeyRing(), tickets: false);
        options.SessionCache = null;
        var store = new ClientSessionStore();
        using var pair = new InMemoryPair(options, Client(store));
        pair.Handshake();
        Assert.Null(store.FindTls12("www.contoso.test", DateTimeOffset.UtcNow));
    }

    private static X509Certificate2 SelfSignedClient()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=self-signed client", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pfx), null);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Unverified_certificate_under_optional_does_not_resume_into_required(bool tickets)
    {
        // Issue 7 item 1 for TLS 1.2: a self-signed client certificate is accepted unverified by an Optional binding
        // without trusted issuers; a Required binding sharing the ticket keys and the session cache must not take it on resumption.
        var cache = new MemorySessionCache();
        using var ring = new TicketKeyRing();
        using var self = SelfSignedClient();
        var optional = Server(cache, ring, tickets);
        optional.ClientCertificateMode = ClientCertificateMode.Optional;
        optional.TrustedIssuers = [];
        optional.Name = "optional";
        var required = Server(cache, ring, tickets);
        required.ClientCertificateMode = ClientCertificateMode.Required;
        required.TrustedIssuers = [UnitPki.Root];
        required.Name = "required";
        var store = new ClientSessionStore();
        using (var first = new InMemoryPair(optional, Client(store, certificate: self)))
        {
            first.Handshake();
            Assert.Equal(ClientCertificateStatus.NotVerified, first.Server.Info.ClientCertificateVerdict!.Status);
        }
        Assert.NotNull(store.FindTls12("www.contoso.test", DateTimeOffset.UtcNow));
        using var second = new InMemoryPair(required, Client(store, certificate: self));
        second.Pump();
        Assert.False(second.Server.Info.Resumed);
        Assert.Equal(TlsStatus.Failed, second.Server.Status);
        Assert.Equal("Server.Tls12.ExpectCertificate", second.Server.Failure!.InternalState);
        Assert.Contains("client certificate rejected", second.Server.Failure.Reason);
    }

    [Fact]
    public void Verified_certificate_resumes_under_the_same_required_policy_and_keeps_its_verdict()
    {
        var cache = new MemorySessionCache();
        using var ring = new TicketKeyRing();
        var required = Server(cache, ring, tickets: true);
        required.ClientCertificateMode = ClientCertificateMode.Required;
        required.TrustedIssuers = [UnitPki.Root];
        var store = new ClientSessionStore();
        using (var first = new InMemoryPair(required, Client(store, certificate: UnitPki.ClientLeaf))) first.Handshake();
        using var second = new InMemoryPair(required, Client(store, certificate: UnitPki.ClientLeaf));
        second.Handshake();
        Assert.True(second.Server.Info.Resumed);
        var verdict = second.Server.Info.ClientCertificateVerdict!;
        Assert.Equal((ClientCertificateStatus.Verified, true), (verdict.Status, verdict.FromResumedSession));
        Assert.Equal(UnitPki.ClientLeaf.Thumbprint, second.Server.Info.PeerCertificates[0].Thumbprint);
    }
}
