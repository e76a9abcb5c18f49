using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Interop.Tests.Tls13;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls12;

/// <summary>Our TLS 1.2 server against openssl s_client and curl; our TLS 1.2 client against openssl s_server.</summary>
public class Tls12InteropTests
{
    private static readonly TestPki Pki = TestPki.Shared;

    /// <summary>The library default: TLS 1.2 and 1.3 (the shared harness pins TLS 1.3).</summary>
    private const TlsVersions Both = TlsVersions.Tls12 | TlsVersions.Tls13;

    private static SharpTlsServer Start(TestCertificate? certificate = null, ServeMode mode = ServeMode.Echo, Action<TlsServerOptions>? configure = null)
    {
        var options = SharpTlsServer.DefaultOptions(certificate);
        options.Versions = Both;
        configure?.Invoke(options);
        return SharpTlsServer.Start(options, mode);
    }

    private static TlsClientOptions ClientOptions() => SharpTlsClient.Options(o => o.Versions = Both);

    [Theory]
    [InlineData("ECDHE-ECDSA-AES128-GCM-SHA256", CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, false)]
    [InlineData("ECDHE-ECDSA-AES256-GCM-SHA384", CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, false)]
    [InlineData("ECDHE-ECDSA-CHACHA20-POLY1305", CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, false)]
    [InlineData("ECDHE-RSA-AES128-GCM-SHA256", CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, true)]
    [InlineData("ECDHE-RSA-AES256-GCM-SHA384", CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, true)]
    [InlineData("ECDHE-RSA-CHACHA20-POLY1305", CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, true)]
    public async Task OurServer_OpenSslClient_EachSuite(string openSslCipher, CipherSuite expected, bool rsa)
    {
        await using var server = Start(rsa ? Pki.ServerRsa : null);
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, Version = ProtocolVersion.Tls12, Cipher = openSslCipher }, "hello tls12", "hello tls12");
        Assert.True(c.HandshakeCompleted, c.ToString());
        Assert.Equal((ProtocolVersion.Tls12, true), (c.Version!.Value, c.Verified!.Value));
        Assert.Equal(TlsNames.CipherName((ushort)expected), c.Cipher);
        Assert.Contains("Extended master secret: yes", c.Output);
        Assert.Contains("Secure Renegotiation IS supported", c.Output);
        var s = await server.WaitForEndAsync();
        Assert.True(s.HandshakeCompleted, s.ToString());
        Assert.Equal((ProtocolVersion.Tls12, expected, NamedGroup.X25519), (s.Info.Version!.Value, s.Info.CipherSuite!.Value, s.Info.Group!.Value));
        Assert.Contains("hello tls12", s.Received);
        Assert.Null(s.Failure);
    }

    [Theory]
    [InlineData("P-256", NamedGroup.Secp256r1)]
    [InlineData("P-384", NamedGroup.Secp384r1)]
    public async Task OurServer_OpenSslClient_NistGroups_RsaCertificate(string curve, NamedGroup expected)
    {
        // RSA: with ECDSA, supported_groups also limits the certificate's curve in TLS 1.2 (RFC 8422 §5.1).
        await using var server = Start(Pki.ServerRsa);
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, Version = ProtocolVersion.Tls12, Groups = curve }, "nist", "nist");
        Assert.True(c.HandshakeCompleted, c.ToString());
        var s = await server.WaitForEndAsync();
        Assert.Equal((ProtocolVersion.Tls12, expected), (s.Info.Version!.Value, s.Info.Group!.Value));
    }

    [Fact]
    public async Task OurServer_Curl_Tls12_Http11()
    {
        await using var server = Start(mode: ServeMode.Http, configure: o => o.ApplicationProtocols = ["h2", "http/1.1"]);
        var r = await Curl.GetAsync(new() { Port = server.Port, Version = ProtocolVersion.Tls12, Http = "1.1" });
        Assert.True(r.HandshakeCompleted, r.ToString());
        Assert.Equal((0, 200, ProtocolVersion.Tls12, "http/1.1"), (r.ExitCode!.Value, r.StatusCode!.Value, r.Version!.Value, r.Alpn));
        var s = await server.WaitForEndAsync();
        Assert.Equal(ProtocolVersion.Tls12, s.Info.Version);
        Assert.StartsWith("SharpTls TLS 1.2 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 X25519 alpn=http/1.1", r.Body);
    }

    [Fact]
    public async Task OurServer_Curl_Tls12_Http2()
    {
        await using var server = Start(mode: ServeMode.Http, configure: o => o.ApplicationProtocols = ["h2", "http/1.1"]);
        var r = await Curl.GetAsync(new() { Port = server.Port, Version = ProtocolVersion.Tls12, Http = "2" });
        Assert.True(r.HandshakeCompleted, r.ToString());
        Assert.Equal((0, 200, "2", "h2"), (r.ExitCode!.Value, r.StatusCode!.Value, r.HttpVersion, r.Alpn));
        Assert.Contains("SharpTls TLS 1.2", r.Body);
    }

    [Theory]
    [InlineData(false, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)]
    [InlineData(true, CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)]
    public async Task OurClient_OpenSslServer_Tls12(bool rsa, CipherSuite expected)
    {
        await using var server = await OpenSslServer.StartAsync(new() { Version = ProtocolVersion.Tls12, Trace = true, Certificate = rsa ? Pki.ServerRsa : null });
        await using var client = await SharpTlsClient.ConnectAsync(server.Port, ClientOptions());
        Assert.True(client.HandshakeCompleted, client.ToString());
        await client.SendLineAsync("to-server-12");
        await server.WaitForReceivedAsync("to-server-12");
        await server.SendLineAsync("to-client-12");
        await client.WaitForReceivedAsync("to-client-12\n");
        Assert.Equal((ProtocolVersion.Tls12, expected), (client.Info.Version!.Value, client.Info.CipherSuite!.Value));
        Assert.Equal(Pki.ServerRsa.Thumbprint == client.Info.PeerCertificates[0].Thumbprint, rsa);
        var s = await server.WaitForConnectionAsync();
        Assert.True(s.HandshakeCompleted, s.ToString());
        Assert.Equal(TlsNames.CipherName((ushort)expected), s.Cipher);
        Assert.Matches(@"<<< [^\n]*ClientKeyExchange", s.Output);
    }

    [Fact]
    public async Task OurClient_OpenSslServer_ChaCha20_P384()
    {
        await using var server = await OpenSslServer.StartAsync(new() { Version = ProtocolVersion.Tls12, Cipher = "ECDHE-ECDSA-CHACHA20-POLY1305", Groups = "P-384" });
        await using var client = await SharpTlsClient.ConnectAsync(server.Port, ClientOptions());
        Assert.True(client.HandshakeCompleted, client.ToString());
        await client.SendLineAsync("chacha");
        await server.WaitForReceivedAsync("chacha");
        Assert.Equal((CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, NamedGroup.Secp384r1),
            (client.Info.CipherSuite!.Value, client.Info.Group!.Value));
    }

    [Fact]
    public async Task OurClient_OpenSslServer_OptionalClientCertificate_EmptyCertificateSent()
    {
        await using var server = await OpenSslServer.StartAsync(new() { Version = ProtocolVersion.Tls12, Trace = true, ClientCertificate = PeerClientAuth.Request });
        await using var client = await SharpTlsClient.ConnectAsync(server.Port, ClientOptions());
        Assert.True(client.HandshakeCompleted, client.ToString());
        await client.SendLineAsync("no-cert");
        await server.WaitForReceivedAsync("no-cert");
        var s = await server.WaitForConnectionAsync();
        Assert.Matches(@">>> [^\n]*CertificateRequest", s.Output);
        Assert.Matches(@"<<< [^\n]*Handshake \[length 0007\], Certificate", s.Output); // the empty certificate_list
    }

    [Fact]
    public async Task KeyLog_ClientRandomLine_MatchesOpenSsl()
    {
        string file = Path.Combine(Pki.Directory, $"keylog12-{Guid.NewGuid():N}.txt");
        var ours = new Diagnostics.KeyLogCollector();
        await using var server = Start(configure: o => o.KeyLog = ours);
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, Version = ProtocolVersion.Tls12, KeyLogFile = file }, "logged", "logged");
        Assert.True(c.HandshakeCompleted, c.ToString());
        await server.WaitForEndAsync();
        var line = Assert.Single(ours.Lines);
        Assert.StartsWith("CLIENT_RANDOM ", line);
        string theirs = File.Exists(file) ? File.ReadAllText(file) : "(no file)";
        Assert.True(theirs.Split('\n').Any(l => string.Equals(l.Trim(), line, StringComparison.OrdinalIgnoreCase)), $"ours: {line}\ntheirs: {theirs}");
    }

    [Fact]
    public async Task OurServer_OpenSslClient_Renegotiation_IsDeclinedWithTheNoRenegotiationWarning()
    {
        // RFC 5746 §4.4 / RFC 5246 §7.2.2: a server that does not renegotiate answers the new ClientHello with a
        // warning no_renegotiation. OpenSSL, having asked, then gives up the connection itself (its choice).
        await using var server = Start();
        await using var client = await OpenSslClient.ConnectAsync(new() { Port = server.Port, Version = ProtocolVersion.Tls12 });
        Assert.True(client.Handshake.HandshakeCompleted, client.Handshake.ToString());
        await client.SendLineAsync("before");
        await client.WaitForReceivedAsync("before");
        int from = client.Process.OutputLength;
        await client.RenegotiateAsync();
        await client.Process.WaitForOutputAsync(@"^>>> [^\n]*Handshake [^\n]*ClientHello", startAt: from);
        await client.Process.WaitForOutputAsync(@"^<<< [^\n]*Alert \[length 0002\], warning no_renegotiation", startAt: from);
        // The server sent nothing else in answer: no ServerHello, no fatal alert of its own.
        var end = await client.WaitForPeerCloseAsync();
        Assert.DoesNotMatch(@"<<< [^\n]*ServerHello", end.Output[from..]);
        Assert.DoesNotMatch(@"<<< [^\n]*Alert [^\n]*fatal", end.Output[from..]);
        var s = await server.WaitForEndAsync();
        Assert.True(s.HandshakeCompleted, s.ToString());
        Assert.Contains("before", s.Received);
        Assert.False(s.Failure?.Generated ?? false, $"our server failed on its own: {s.Failure}");
    }
}
