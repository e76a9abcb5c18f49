using System.Security.Cryptography.X509Certificates;
using SharpTls.Tests.Handshake;
using SharpTls.Wire;

namespace SharpTls.Tests.Tls12;

/// <summary>TLS 1.2 client authentication (RFC 5246 §7.4.4, §7.4.6, §7.4.8) between our client and server: required, optional, none, untrusted, wrong key.</summary>
public class Tls12ClientAuthTests
{
    private static InMemoryPair Pair(ClientCertificateMode mode, X509Certificate2? clientCert, CipherSuite suite = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        Action<TlsServerOptions>? server = null, Action<TlsClientOptions>? client = null)
    {
        var s = InMemoryPair.DefaultServer(CipherSuites.Info(suite).KeyExchange == CipherSuiteKeyExchange.EcdheEcdsa ? UnitPki.EcdsaLeaf : UnitPki.RsaLeaf);
        s.Versions = TlsVersions.Tls12;
        s.ClientCertificateMode = mode;
        s.TrustedIssuers = [UnitPki.Root];
        server?.Invoke(s);
        var c = InMemoryPair.DefaultClient();
        c.Versions = TlsVersions.Tls12;
        c.CipherSuites = [suite];
        c.ClientCertificate = clientCert is null ? null : new ServerCertificate(clientCert);
        client?.Invoke(c);
        return new InMemoryPair(s, c);
    }

    [Theory]
    [InlineData(ClientCertificateMode.Required, false, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)]
    [InlineData(ClientCertificateMode.Optional, false, CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA)]
    [InlineData(ClientCertificateMode.Required, true, CipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256)]
    [InlineData(ClientCertificateMode.Optional, true, CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384)]
    public void Provided_certificate_is_verified_and_proven(ClientCertificateMode mode, bool rsaClient, CipherSuite suite)
    {
        var leaf = rsaClient ? UnitPki.RsaClientLeaf : UnitPki.ClientLeaf;
        using var pair = Pair(mode, leaf, suite);
        pair.Handshake();
        Assert.Equal(ProtocolVersion.Tls12, pair.Server.Info.Version);
        Assert.Equal(leaf.Thumbprint, pair.Server.Info.PeerCertificates[0].Thumbprint);
        Assert.StartsWith("OK", pair.Server.Info.CertificateVerification);
        Assert.Equal(leaf.Thumbprint, pair.Client.Info.LocalCertificate!.Thumbprint);
        Assert.Equal("mutual"u8.ToArray(), pair.Send(pair.Client, pair.Server, "mutual"u8.ToArray()));
    }

    [Fact]
    public void Required_and_none_is_handshake_failure()
    {
        using var pair = Pair(ClientCertificateMode.Required, null);
        pair.HandshakeFails(pair.Server, AlertDescription.HandshakeFailure, "Server.Tls12.ExpectCertificate", "requires");
    }

    [Fact]
    public void Optional_and_none_connects_without_a_peer_certificate()
    {
        using var pair = Pair(ClientCertificateMode.Optional, null);
        pair.Handshake();
        Assert.Empty(pair.Server.Info.PeerCertificates);
        Assert.Equal("no client certificate (optional)", pair.Server.Info.CertificateVerification);
    }

    [Fact]
    public void Untrusted_certificate_is_refused_with_the_verifier_alert()
    {
        using var pair = Pair(ClientCertificateMode.Required, UnitPki.ClientLeaf, server: s => s.TrustedIssuers = [UnitPki.RogueRoot]);
        pair.Pump();
        Assert.Equal(TlsStatus.Failed, pair.Server.Status);
        Assert.Equal("Server.Tls12.ExpectCertificate", pair.Server.Failure!.InternalState);
        Assert.Contains("client certificate rejected", pair.Server.Failure.Reason);
    }

    [Fact]
    public void A_certificate_signed_with_another_key_is_decrypt_error()
    {
        // The client presents its certificate but signs with another ECDSA key: CertificateVerify fails.
        using var other = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        using var pair = Pair(ClientCertificateMode.Required, UnitPki.ClientLeaf,
            client: c => c.Crypto = new SharpTls.Crypto.ScriptedCryptoProvider("other key") { Signer = (scheme, _, content) => SharpTls.Crypto.TlsSignatures.Sign(scheme, other, content) });
        pair.HandshakeFails(pair.Server, AlertDescription.DecryptError, "Server.Tls12.ExpectCertificateVerify", "does not verify");
    }
}
