using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Interop.Tests.Tls13;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls12;

/// <summary>
/// The TLS 1.2 suite families beyond ECDHE+AEAD against real peers: RSA key transport (CBC and GCM),
/// ECDHE with CBC (MAC-then-encrypt and encrypt-then-MAC), P-521; our server against openssl s_client,
/// our client against openssl s_server.
/// </summary>
public class Tls12SuiteInteropTests
{
    private static readonly TestPki Pki = TestPki.Shared;
    private const TlsVersions Both = TlsVersions.Tls12 | TlsVersions.Tls13;

    private static SharpTlsServer Start(TestCertificate? certificate = null, Action<TlsServerOptions>? configure = null)
    {
        var options = SharpTlsServer.DefaultOptions(certificate);
        options.Versions = Both;
        configure?.Invoke(options);
        return SharpTlsServer.Start(options, ServeMode.Echo);
    }

    [Theory]
    [InlineData("AES128-SHA", CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA, true)]
    [InlineData("AES256-SHA", CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA, true)]
    [InlineData("AES128-SHA256", CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256, true)]
    [InlineData("AES256-SHA256", CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA256, true)]
    [InlineData("AES128-GCM-SHA256", CipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256, true)]
    [InlineData("AES256-GCM-SHA384", CipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384, true)]
    [InlineData("ECDHE-RSA-AES128-SHA", CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, true)]
    [InlineData("ECDHE-RSA-AES256-SHA384", CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384, true)]
    [InlineData("ECDHE-ECDSA-AES128-SHA256", CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, false)]
    [InlineData("ECDHE-ECDSA-AES256-SHA", CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, false)]
    [InlineData("DHE-RSA-AES128-GCM-SHA256", CipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256, true)]
    [InlineData("DHE-RSA-CHACHA20-POLY1305", CipherSuite.TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256, true)]
    [InlineData("DHE-RSA-AES256-SHA256", CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA256, true)]
    [InlineData("DHE-RSA-AES128-SHA", CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA, true)]
    public async Task OurServer_OpenSslClient_EachFamily(string openSslCipher, CipherSuite expected, bool rsa)
    {
        await using var server = Start(rsa ? Pki.ServerRsa : null);
        string big = new('x', 3000); // several CBC records' worth, through the echo
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, Version = ProtocolVersion.Tls12, Cipher = openSslCipher }, big, big);
        Assert.True(c.HandshakeCompleted, c.ToString());
        Assert.Equal((ProtocolVersion.Tls12, true), (c.Version!.Value, c.Verified!.Value));
        Assert.Equal(TlsNames.CipherName((ushort)expected), c.Cipher);
        Assert.Contains("Extended master secret: yes", c.Output);
        var s = await server.WaitForEndAsync();
        Assert.True(s.HandshakeCompleted, s.ToString());
        Assert.Equal((ProtocolVersion.Tls12, expected), (s.Info.Version!.Value, s.Info.CipherSuite!.Value));
        Assert.Contains(big, s.Received);
        Assert.Null(s.Failure);
    }

    [Fact]
    public async Task OurServer_OpenSslClient_EncryptThenMac_OnAndOff()
    {
        foreach (bool etm in new[] { true, false })
        {
            await using var server = Start(Pki.ServerRsa);
            var c = await OpenSslClient.RunAsync(new()
            {
                Port = server.Port, Version = ProtocolVersion.Tls12, Cipher = "AES128-SHA256",
                ExtraArgs = etm ? ["-trace"] : ["-trace", "-no_etm"],
            }, "etm", "etm");
            Assert.True(c.HandshakeCompleted, c.ToString());
            // s_client -trace names the extension in its ClientHello and in our ServerHello.
            Assert.Equal(etm ? 2 : 0, c.Output.Split("extension_type=encrypt_then_mac").Length - 1);
            var s = await server.WaitForEndAsync();
            Assert.Contains("etm", s.Received);
        }
    }

    [Fact]
    public async Task OurClient_OpenSslServer_MacThenEncrypt_WithoutEtm()
    {
        await using var server = await OpenSslServer.StartAsync(new() { Version = ProtocolVersion.Tls12, Certificate = Pki.ServerRsa, Cipher = "ECDHE-RSA-AES256-SHA384", ExtraArgs = ["-no_etm"] });
        await using var client = await SharpTlsClient.ConnectAsync(server.Port, SharpTlsClient.Options(o => o.Versions = TlsVersions.Tls12));
        Assert.True(client.HandshakeCompleted, client.ToString());
        string big = new('m', 5000);
        await client.SendLineAsync(big);
        await server.WaitForReceivedAsync(big);
        await server.SendLineAsync("mte-back");
        await client.WaitForReceivedAsync("mte-back\n");
        Assert.Equal(CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384, client.Info.CipherSuite);
    }

    [Fact]
    public async Task OurServer_OpenSslClient_P521()
    {
        await using var server = Start(Pki.ServerRsa);
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, Version = ProtocolVersion.Tls12, Groups = "P-521" }, "p521", "p521");
        Assert.True(c.HandshakeCompleted, c.ToString());
        var s = await server.WaitForEndAsync();
        Assert.Equal((ProtocolVersion.Tls12, NamedGroup.Secp521r1), (s.Info.Version!.Value, s.Info.Group!.Value));
    }

    [Fact]
    public async Task OurServer_OpenSslClient_OnlyRc4_HandshakeFailureListsTheOffer()
    {
        await using var server = Start(Pki.ServerRsa);
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, Version = ProtocolVersion.Tls12, Cipher = "NULL-SHA256:@SECLEVEL=0" });
        Assert.False(c.HandshakeCompleted, c.ToString());
        var s = await server.WaitForEndAsync();
        Assert.Equal(AlertDescription.HandshakeFailure, s.Failure?.Alert);
        Assert.Contains("TLS_RSA_WITH_NULL_SHA256", s.Failure!.Reason);
    }

    [Theory]
    [InlineData("AES128-SHA", CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA)]
    [InlineData("AES256-GCM-SHA384", CipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384)]
    [InlineData("ECDHE-RSA-AES128-SHA256", CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256)]
    [InlineData("DHE-RSA-AES128-GCM-SHA256", CipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256)]
    [InlineData("DHE-RSA-AES256-SHA", CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA)]
    public async Task OurClient_OpenSslServer_EachFamily(string openSslCipher, CipherSuite expected)
    {
        await using var server = await OpenSslServer.StartAsync(new() { Version = ProtocolVersion.Tls12, Certificate = Pki.ServerRsa, Cipher = openSslCipher });
        // RSA key transport is not offered by default (no forward secrecy): name the suite.
        await using var client = await SharpTlsClient.ConnectAsync(server.Port, SharpTlsClient.Options(o =>
        {
            o.Versions = TlsVersions.Tls12;
            o.CipherSuites = [expected];
        }));
        Assert.True(client.HandshakeCompleted, client.ToString());
        await client.SendLineAsync("to-openssl");
        await server.WaitForReceivedAsync("to-openssl");
        await server.SendLineAsync("from-openssl");
        await client.WaitForReceivedAsync("from-openssl\n");
        Assert.Equal((ProtocolVersion.Tls12, expected), (client.Info.Version!.Value, client.Info.CipherSuite!.Value));
        var s = await server.WaitForConnectionAsync();
        Assert.Equal(TlsNames.CipherName((ushort)expected), s.Cipher);
    }

    [Theory]
    [InlineData("ECDHE-RSA-AES128-GCM-SHA256", CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)]
    [InlineData("AES128-SHA", CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA)]
    public async Task OurServer_OpenSslClient_TicketResumption_ReusedTls12(string cipher, CipherSuite expected)
    {
        string session = Path.Combine(Pki.Directory, $"sess12-{Guid.NewGuid():N}.pem");
        // No session-ID cache: a resumption can only have come from the ticket.
        await using var server = Start(Pki.ServerRsa, o => o.EnableSessionIds = false);
        var first = await OpenSslClient.RunAsync(new() { Port = server.Port, Version = ProtocolVersion.Tls12, Cipher = cipher, SessionOut = session }, "one", "one");
        Assert.True(first.HandshakeCompleted, first.ToString());
        Assert.Equal(false, first.Resumed);
        var second = await OpenSslClient.RunAsync(new() { Port = server.Port, Version = ProtocolVersion.Tls12, Cipher = cipher, SessionIn = session }, "two", "two");
        Assert.True(second.HandshakeCompleted, second.ToString());
        Assert.Equal((true, ProtocolVersion.Tls12), (second.Resumed, second.Version));
        // The summary names the suite's own protocol for SHA-1 suites ("Reused, SSLv3, Cipher is AES128-SHA").
        if (CipherSuites.Info(expected).MinVersion == ProtocolVersion.Tls12) Assert.Contains("Reused, TLSv1.2", second.Output);
        Assert.Contains("two", second.ReceivedData);
        var s1 = await server.WaitForHandshakeAsync(1);
        var s2 = await server.WaitForHandshakeAsync(2);
        Assert.Equal((false, true), (s1.Info.Resumed, s2.Info.Resumed));
        Assert.Equal(expected, s2.Info.CipherSuite);
    }

    [Fact]
    public async Task OurClient_OpenSslServer_TicketResumption()
    {
        await using var server = await OpenSslServer.StartAsync(new() { Version = ProtocolVersion.Tls12, Certificate = Pki.ServerRsa, MaxConnections = 2 });
        // Our client offers the ticket with a fresh random session ID (RFC 5077 §3.4), not s_server's own ID: a
        // resumption can only have come from the ticket.
        var store = new Sessions.ClientSessionStore();
        var options = SharpTlsClient.Options(o => { o.Versions = TlsVersions.Tls12; o.SessionStore = store; });
        await using (var first = await SharpTlsClient.ConnectAsync(server.Port, options))
        {
            Assert.True(first.HandshakeCompleted, first.ToString());
            Assert.False(first.Info.Resumed);
            await first.SendLineAsync("first");
            await server.WaitForReceivedAsync("first");
        }
        await using var second = await SharpTlsClient.ConnectAsync(server.Port, options);
        Assert.True(second.HandshakeCompleted, second.ToString());
        Assert.True(second.Info.Resumed);
        await second.SendLineAsync("second");
        await server.WaitForReceivedAsync("second");
        var c2 = await server.WaitForConnectionAsync(2);
        Assert.Equal(true, c2.Resumed);
    }
}
