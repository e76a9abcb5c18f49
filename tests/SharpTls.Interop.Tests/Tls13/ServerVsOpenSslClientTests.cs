using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls13;

/// <summary>Our TLS 1.3 server (TlsStream) with openssl s_client as the client.</summary>
public class ServerVsOpenSslClientTests
{
    private static readonly TestPki Pki = TestPki.Shared;

    [Fact]
    public async Task X25519_EchoesData()
    {
        await using var server = SharpTlsServer.Start();
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, Groups = "X25519" }, "hello sharptls", "hello sharptls");
        Assert.True(c.HandshakeCompleted, c.ToString());
        Assert.Equal((ProtocolVersion.Tls13, "x25519", true, false, false), (c.Version!.Value, c.Group, c.Verified, c.Resumed, c.HelloRetryRequest));
        Assert.Equal("TLS_AES_128_GCM_SHA256", c.Cipher);
        Assert.Equal("O=SharpTls Tests, CN=localhost", c.PeerCertificateSubject);
        var s = await server.WaitForEndAsync();
        Assert.True(s.HandshakeCompleted, s.ToString());
        Assert.Equal((ProtocolVersion.Tls13, NamedGroup.X25519, CipherSuite.TLS_AES_128_GCM_SHA256, "localhost", false, false),
            (s.Info.Version, s.Info.Group, s.Info.CipherSuite, s.Info.ServerName, s.Info.HelloRetryRequested, s.Info.Resumed));
        Assert.Equal(SignatureScheme.EcdsaSecp256r1Sha256, s.Info.SignatureScheme);
        Assert.Contains("hello sharptls", s.Received);
        Assert.Null(s.Failure);
    }

    /// <summary>X448 (RFC 7748, RFC 8446 §4.2.7) and the RFC 7919 groups as TLS 1.3 key shares (RFC 8446 §4.2.8.1), from s_client's only share.</summary>
    [Theory]
    [InlineData("x448", "x448", NamedGroup.X448)]
    [InlineData("ffdhe2048", "ffdhe2048", NamedGroup.Ffdhe2048)]
    [InlineData("ffdhe3072", "ffdhe3072", NamedGroup.Ffdhe3072)]
    [InlineData("ffdhe4096", "ffdhe4096", NamedGroup.Ffdhe4096)]
    [InlineData("ffdhe6144", "ffdhe6144", NamedGroup.Ffdhe6144)]
    [InlineData("ffdhe8192", "ffdhe8192", NamedGroup.Ffdhe8192)]
    public async Task Group_EchoesData(string opensslGroup, string expected, NamedGroup ours)
    {
        await using var server = SharpTlsServer.Start();
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, Groups = opensslGroup }, "group " + opensslGroup, "group " + opensslGroup);
        Assert.True(c.HandshakeCompleted, c.ToString());
        Assert.Equal((ProtocolVersion.Tls13, expected, true, false), (c.Version!.Value, c.Group, c.Verified, c.HelloRetryRequest));
        var s = await server.WaitForEndAsync();
        Assert.True(s.HandshakeCompleted, s.ToString());
        Assert.Equal((ours, false), (s.Info.Group!.Value, s.Info.HelloRetryRequested));
        Assert.Contains("group " + opensslGroup, s.Received);
    }

    [Fact]
    public async Task P256_Only_RsaCertificate_Aes256()
    {
        await using var server = SharpTlsServer.Start(SharpTlsServer.DefaultOptions(Pki.ServerRsa));
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, Groups = "P-256", Ciphersuites = "TLS_AES_256_GCM_SHA384" }, "p256", "p256");
        Assert.True(c.HandshakeCompleted, c.ToString());
        Assert.Equal(("secp256r1", "TLS_AES_256_GCM_SHA384", false), (c.Group, c.Cipher, c.HelloRetryRequest));
        var s = await server.WaitForHandshakeAsync();
        Assert.Equal((NamedGroup.Secp256r1, CipherSuite.TLS_AES_256_GCM_SHA384, false), (s.Info.Group, s.Info.CipherSuite, s.Info.HelloRetryRequested));
        Assert.Equal(SignatureScheme.RsaPssRsaeSha256, s.Info.SignatureScheme);
    }

    [Fact]
    public async Task HelloRetryRequest_ClientSharesP256_ServerTakesOnlyX25519()
    {
        await using var server = SharpTlsServer.Start(o => o.Groups = [NamedGroup.X25519]);
        // s_client sends a key share for the first group only (P-256); our server wants X25519 and asks again.
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, Groups = "P-256:X25519" }, "after hrr", "after hrr");
        Assert.True(c.HandshakeCompleted, c.ToString());
        Assert.Equal((true, "x25519"), (c.HelloRetryRequest, c.Group));
        Assert.Matches(@"<<< [^\n]*ServerHello", c.Output);
        var s = await server.WaitForHandshakeAsync();
        Assert.Equal((true, NamedGroup.X25519), (s.Info.HelloRetryRequested, s.Info.Group));
    }

    [Fact]
    public async Task Resumption_SessOutSessIn_Reused()
    {
        string session = Path.Combine(Pki.Directory, $"sess-{Guid.NewGuid():N}.pem");
        await using var server = SharpTlsServer.Start();
        var first = await OpenSslClient.RunAsync(new() { Port = server.Port, SessionOut = session }, "one", "one");
        Assert.True(first.HandshakeCompleted, first.ToString());
        Assert.Equal(false, first.Resumed);
        Assert.Contains("Post-Handshake New Session Ticket arrived", first.Output);
        var second = await OpenSslClient.RunAsync(new() { Port = server.Port, SessionIn = session }, "two", "two");
        Assert.True(second.HandshakeCompleted, second.ToString());
        Assert.Equal(true, second.Resumed);
        Assert.Contains("Reused, TLSv1.3", second.Output);
        var s1 = await server.WaitForHandshakeAsync(1);
        var s2 = await server.WaitForHandshakeAsync(2);
        Assert.Equal((false, true), (s1.Info.Resumed, s2.Info.Resumed));
        Assert.Null(s2.Info.SignatureScheme);
        Assert.Equal(NamedGroup.X25519, s2.Info.Group); // psk_dhe_ke: a fresh key exchange on resumption
    }

    [Fact]
    public async Task Resumption_PrefersPskDheKe_EvenWhenPskKeIsAllowedAndOffered()
    {
        // RFC 8446 §4.2.9: with psk_ke allowed by the server and offered by OpenSSL (-allow_no_dhe_kex lists psk_dhe_ke,
        // then psk_ke), our server picks psk_dhe_ke (forward secrecy, issue 10 item 7). psk_ke alone: the unit tests.
        string session = Path.Combine(Pki.Directory, $"sess-{Guid.NewGuid():N}.pem");
        var options = SharpTlsServer.DefaultOptions();
        options.AllowPskWithoutKeyExchange = true;
        await using var server = SharpTlsServer.Start(options);
        var first = await OpenSslClient.RunAsync(new() { Port = server.Port, SessionOut = session }, "one", "one");
        Assert.True(first.HandshakeCompleted, first.ToString());
        var second = await OpenSslClient.RunAsync(new() { Port = server.Port, SessionIn = session, ExtraArgs = ["-allow_no_dhe_kex"] }, "two", "two");
        Assert.True(second.HandshakeCompleted, second.ToString());
        Assert.Equal(true, second.Resumed);
        var s2 = await server.WaitForHandshakeAsync(2);
        Assert.True(s2.Info.Resumed);
        Assert.Equal(NamedGroup.X25519, s2.Info.Group); // a key share in the ServerHello: psk_dhe_ke
    }

    [Theory]
    [InlineData(ClientCertificateMode.Required)]
    [InlineData(ClientCertificateMode.Optional)]
    public async Task ClientCertificate_Sent_IsSeenByOurServer(ClientCertificateMode mode)
    {
        await using var server = SharpTlsServer.Start(SharpTlsServer.ClientCertificates(mode));
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, ClientCertificate = Pki.ClientEcdsa }, "with cert", "with cert");
        Assert.True(c.HandshakeCompleted, c.ToString());
        // The client's view: a CertificateRequest naming our trusted issuer, and its own Certificate and CertificateVerify sent.
        Assert.Contains("Acceptable client certificate CA names\nO = SharpTls Tests, CN = SharpTls Test Root CA\n", c.Output);
        Assert.Matches(@"<<< [^\n]*CertificateRequest", c.Output);
        Assert.Matches(@">>> [^\n]*CertificateVerify", c.Output);
        var s = await server.WaitForHandshakeAsync();
        Assert.True(s.HandshakeCompleted, s.ToString());
        Assert.Equal(Pki.ClientEcdsa.Certificate.Thumbprint, Assert.Single(s.Info.PeerCertificates.Take(1)).Thumbprint);
        Assert.Contains("CN=SharpTls Test Client ECDSA", s.Info.PeerCertificates[0].Subject);
    }

    [Fact]
    public async Task ClientCertificate_Optional_ClientHasNone()
    {
        await using var server = SharpTlsServer.Start(SharpTlsServer.ClientCertificates(ClientCertificateMode.Optional));
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port }, "no cert", "no cert");
        Assert.True(c.HandshakeCompleted, c.ToString());
        Assert.Matches(@"<<< [^\n]*CertificateRequest", c.Output);
        Assert.DoesNotMatch(@">>> [^\n]*CertificateVerify", c.Output);
        var s = await server.WaitForHandshakeAsync();
        Assert.True(s.HandshakeCompleted, s.ToString());
        Assert.Empty(s.Info.PeerCertificates);
    }

    [Fact]
    public async Task ClientCertificate_NotRequested_ClientCertificateUnused()
    {
        await using var server = SharpTlsServer.Start();
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, ClientCertificate = Pki.ClientEcdsa }, "x", "x");
        Assert.True(c.HandshakeCompleted, c.ToString());
        Assert.DoesNotMatch(@"<<< [^\n]*CertificateRequest", c.Output);
        Assert.Contains("No client certificate CA names sent", c.Output);
        var s = await server.WaitForHandshakeAsync();
        Assert.Empty(s.Info.PeerCertificates);
    }

    [Theory]
    [InlineData("h2")]
    [InlineData("http/1.1")]
    public async Task Alpn(string protocol)
    {
        await using var server = SharpTlsServer.Start(o => o.ApplicationProtocols = ["h2", "http/1.1"]);
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, Alpn = [protocol, "spdy/3"] }, "alpn", "alpn");
        Assert.True(c.HandshakeCompleted, c.ToString());
        Assert.Equal(protocol, c.Alpn);
        Assert.Equal(protocol, (await server.WaitForHandshakeAsync()).Info.ApplicationProtocol);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task KeyUpdate_FromOpenSsl_WhileDataFlows(bool requestUpdate)
    {
        await using var server = SharpTlsServer.Start();
        await using var client = await OpenSslClient.ConnectAsync(new() { Port = server.Port });
        Assert.True(client.Handshake.HandshakeCompleted, client.Handshake.ToString());
        var s = await server.WaitForHandshakeAsync();
        for (int round = 0; round < 3; round++)
        {
            await client.SendLineAsync($"before-{round}");
            await client.WaitForReceivedAsync($"before-{round}");
            int from = client.Process.OutputLength;
            await client.KeyUpdateAsync(requestUpdate);
            await client.SendLineAsync($"after-{round}");
            await client.WaitForReceivedAsync($"after-{round}");
            await MsgTrace.KeyUpdateAsync(client.Process, from, ">>>", answered: requestUpdate);
        }
        var end = await client.CloseAsync();
        Assert.DoesNotContain(":error:", end.Output);
        await server.WaitForEndAsync();
        Assert.Contains("after-2", s.Received);
        Assert.Null(s.Failure);
    }
}
