using System.Security.Cryptography.X509Certificates;
using SharpTls.Diagnostics;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Wire;
using CertificateRequest = SharpTls.Messages.CertificateRequest;

namespace SharpTls.Tests.Handshake;

/// <summary>Client authentication (RFC 8446 §4.3.2, §4.4.2): required, optional, none, untrusted.</summary>
public class ClientCertificateTests
{
    private static InMemoryPair Pair(ClientCertificateMode mode, X509Certificate2? clientCert, HandshakeTraceCollector? clientTrace = null,
        Action<TlsServerOptions>? server = null)
    {
        var s = InMemoryPair.DefaultServer();
        s.ClientCertificateMode = mode;
        s.TrustedIssuers = [UnitPki.Root];
        server?.Invoke(s);
        var c = InMemoryPair.DefaultClient();
        c.ClientCertificate = clientCert is null ? null : new ServerCertificate(clientCert);
        c.Trace = clientTrace;
        return new InMemoryPair(s, c);
    }

    private static TlsClientOptions Resuming(Sessions.ClientSessionStore store, X509Certificate2? clientCert)
    {
        var c = InMemoryPair.DefaultClient();
        c.ClientCertificate = clientCert is null ? null : new ServerCertificate(clientCert);
        c.SessionStore = store;
        return c;
    }

    [Theory]
    [InlineData(ClientCertificateMode.Required)]
    [InlineData(ClientCertificateMode.Optional)]
    public void ProvidedCertificateIsVerifiedAgainstTrustedIssuers(ClientCertificateMode mode)
    {
        var trace = new HandshakeTraceCollector();
        using var pair = Pair(mode, UnitPki.ClientLeaf, trace);
        pair.Handshake();
        Assert.Equal(UnitPki.ClientLeaf.Thumbprint, pair.Server.Info.PeerCertificates[0].Thumbprint);
        Assert.StartsWith("OK", pair.Server.Info.CertificateVerification);
        Assert.Equal(UnitPki.ClientLeaf.Thumbprint, pair.Client.Info.LocalCertificate!.Thumbprint);

        // certificate_authorities names the trusted issuers (RFC 8446 §4.2.4).
        var request = trace.Entries.Single(e => !e.Sent && e.ContentType == ContentType.Handshake && e.Bytes[0] == (byte)HandshakeType.CertificateRequest);
        var decoded = HandshakeMessage.Decode<CertificateRequest>(request.Bytes, MessageContext.Tls13);
        var authorities = decoded.Extensions.Find<CertificateAuthoritiesExtension>()!.Authorities;
        Assert.Single(authorities);
        Assert.Equal(UnitPki.Root.SubjectName.RawData, authorities[0]);
        Assert.NotNull(decoded.Extensions.Find<SignatureAlgorithmsExtension>());
        Assert.Equal("mutual"u8.ToArray(), pair.Send(pair.Client, pair.Server, "mutual"u8.ToArray()));
    }

    [Fact]
    public void RequiredAndNoneIsCertificateRequired()
    {
        using var pair = Pair(ClientCertificateMode.Required, null);
        pair.HandshakeFails(pair.Server, AlertDescription.CertificateRequired, "Server.Tls13.ExpectCertificate", "requires");
    }

    [Fact]
    public void OptionalAndNoneSucceeds()
    {
        using var pair = Pair(ClientCertificateMode.Optional, null);
        pair.Handshake();
        Assert.Empty(pair.Server.Info.PeerCertificates);
        Assert.Equal("ok"u8.ToArray(), pair.Send(pair.Client, pair.Server, "ok"u8.ToArray()));
    }

    [Fact]
    public void NoneModeSendsNoCertificateRequest()
    {
        var trace = new HandshakeTraceCollector();
        using var pair = Pair(ClientCertificateMode.None, UnitPki.ClientLeaf, trace);
        pair.Handshake();
        Assert.DoesNotContain(trace.Entries, e => !e.Sent && e.ContentType == ContentType.Handshake && e.Bytes[0] == (byte)HandshakeType.CertificateRequest);
        Assert.Empty(pair.Server.Info.PeerCertificates);
        Assert.Null(pair.Client.Info.LocalCertificate);
    }

    [Theory]
    [InlineData(ClientCertificateMode.Required)]
    [InlineData(ClientCertificateMode.Optional)]
    public void CertificateFromAnUntrustedIssuerIsUnknownCa(ClientCertificateMode mode)
    {
        using var pair = Pair(mode, UnitPki.RogueClientLeaf);
        pair.HandshakeFails(pair.Server, AlertDescription.UnknownCa, "Server.Tls13.ExpectCertificate", "client certificate rejected");
    }

    [Fact]
    public void ServerCertificateAsClientCertificateIsRefused()
    {
        // Wrong EKU: a serverAuth-only certificate offered for client authentication.
        using var pair = Pair(ClientCertificateMode.Required, UnitPki.EcdsaLeaf);
        pair.HandshakeFails(pair.Server, AlertDescription.UnsupportedCertificate, "Server.Tls13.ExpectCertificate", "client certificate rejected");
    }

    [Theory]
    [InlineData(SignatureScheme.RsaPssRsaeSha256)]
    [InlineData(SignatureScheme.RsaPssRsaeSha512)]
    public void RsaClientCertificateSignsWithPss(SignatureScheme scheme)
    {
        using var pair = Pair(ClientCertificateMode.Required, UnitPki.RsaClientLeaf, server: s => s.SignatureSchemes = [SignatureScheme.EcdsaSecp256r1Sha256, scheme]);
        pair.Handshake();
        Assert.Equal(UnitPki.RsaClientLeaf.Thumbprint, pair.Server.Info.PeerCertificates[0].Thumbprint);
    }

    [Fact]
    public void BadClientCertificateVerifyIsDecryptError()
    {
        var keys = new KeyCapture();
        using var pair = Pair(ClientCertificateMode.Required, UnitPki.ClientLeaf, server: s => s.KeyLog = keys);
        pair.ClientToServer = WireSurgery.RewriteHandshakeFlight(keys, serverFlight: false, CipherSuite.TLS_AES_128_GCM_SHA256,
            WireSurgery.Replace(HandshakeType.CertificateVerify, WireSurgery.FlipLastByte));
        pair.HandshakeFails(pair.Server, AlertDescription.DecryptError, "Server.Tls13.ExpectCertificateVerify", "does not verify");
    }

    [Fact]
    public void ClientCertificateIsRememberedInResumedSessions()
    {
        var store = new Sessions.ClientSessionStore();
        var s = InMemoryPair.DefaultServer();
        s.ClientCertificateMode = ClientCertificateMode.Required;
        s.TrustedIssuers = [UnitPki.Root];
        using (var first = new InMemoryPair(s, Resuming(store, UnitPki.ClientLeaf))) first.Handshake();
        using var second = new InMemoryPair(s, Resuming(store, UnitPki.ClientLeaf));
        second.Handshake();
        Assert.True(second.Server.Info.Resumed);
    }

    [Fact]
    public void TicketWithoutClientCertificateDoesNotBypassARequiredCertificate()
    {
        var store = new Sessions.ClientSessionStore();
        var s = InMemoryPair.DefaultServer();
        s.ClientCertificateMode = ClientCertificateMode.Optional;
        s.TrustedIssuers = [UnitPki.Root];
        using (var first = new InMemoryPair(s, Resuming(store, null))) first.Handshake();
        Assert.True(store.Count("www.contoso.test") > 0);
        s.ClientCertificateMode = ClientCertificateMode.Required;
        using var second = new InMemoryPair(s, Resuming(store, null));
        second.HandshakeFails(second.Server, AlertDescription.CertificateRequired, "Server.Tls13.ExpectCertificate", "requires");
        Assert.False(second.Server.Info.Resumed);
    }
}
