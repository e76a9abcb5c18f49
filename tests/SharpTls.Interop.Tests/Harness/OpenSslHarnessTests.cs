using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Harness;

/// <summary>openssl s_client against openssl s_server: proves the openssl wrappers and their parsers.</summary>
[Trait("Category", "PeerHarness")] // never touches SharpTls: counted apart from the interop tests (scripts/test.sh)
public class OpenSslHarnessTests
{
    private static readonly TestPki Pki = TestPki.Shared;

    [Theory]
    [InlineData("X25519", "x25519")]
    [InlineData("P-256", "secp256r1")]
    public async Task Tls13_Group_Negotiated_AndDataFlowsBothWays(string group, string expected)
    {
        await using var server = await OpenSslServer.StartAsync(new() { Version = ProtocolVersion.Tls13, Groups = group });
        await using var client = await OpenSslClient.ConnectAsync(new() { Port = server.Port, Groups = group });
        var c = client.Handshake;
        Assert.True(c.HandshakeCompleted, c.ToString());
        Assert.Equal(ProtocolVersion.Tls13, c.Version);
        Assert.Equal(expected, c.Group);
        Assert.Equal("TLS_AES_256_GCM_SHA384", c.Cipher);
        Assert.True(c.Verified, c.ToString());
        Assert.Equal(false, c.Resumed);
        Assert.Contains("CN=localhost", c.PeerCertificateSubject);

        await client.SendLineAsync("hello from client");
        await server.WaitForReceivedAsync("hello from client");
        await server.SendLineAsync("hello from server");
        await client.WaitForReceivedAsync("hello from server");
        var s = await server.WaitForConnectionAsync(1);
        Assert.True(s.HandshakeCompleted, s.ToString());
        Assert.Equal(ProtocolVersion.Tls13, s.Version);
        Assert.Equal("TLS_AES_256_GCM_SHA384", s.Cipher);
        Assert.Equal(expected, s.Group);

        var done = await client.CloseAsync();
        Assert.Equal(0, done.ExitCode);
        Assert.Contains("hello from server", done.ReceivedData);
        Assert.Contains("hello from client", server.Connections[0].ReceivedData);
    }

    [Fact]
    public async Task Tls12_EcdheRsa_WithAlpn_OpenSslNamesMapToIana()
    {
        await using var server = await OpenSslServer.StartAsync(new() { Certificate = Pki.ServerRsa, Version = ProtocolVersion.Tls12, Alpn = ["h2", "http/1.1"] });
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, Cipher = "ECDHE-RSA-AES128-GCM-SHA256", Alpn = ["http/1.1"] });
        Assert.True(c.HandshakeCompleted, c.ToString());
        Assert.Equal(ProtocolVersion.Tls12, c.Version);
        Assert.Equal("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", c.Cipher);
        Assert.Equal("http/1.1", c.Alpn);
        var s = await server.WaitForConnectionAsync();
        Assert.Equal(ProtocolVersion.Tls12, s.Version);
        Assert.Equal("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", s.Cipher);
        Assert.Equal("http/1.1", s.Alpn);
    }

    [Fact]
    public async Task Tls13_Resumption_SessOutThenSessIn_ShowsReused()
    {
        string session = Path.Combine(Pki.Directory, $"sess-{Guid.NewGuid():N}.pem");
        await using var server = await OpenSslServer.StartAsync(new() { Version = ProtocolVersion.Tls13 });
        var first = await OpenSslClient.RunAsync(new() { Port = server.Port, SessionOut = session });
        Assert.True(first.HandshakeCompleted, first.ToString());
        Assert.Equal(false, first.Resumed);
        Assert.True(File.Exists(session));

        var second = await OpenSslClient.RunAsync(new() { Port = server.Port, SessionIn = session });
        Assert.Equal(true, second.Resumed);
        Assert.Equal(ProtocolVersion.Tls13, second.Version);
        Assert.Equal(true, (await server.WaitForConnectionAsync(2)).Resumed);
        Assert.Equal(false, server.Connections[0].Resumed);
    }

    [Fact]
    public async Task HelloRetryRequest_IsSeenByBothSides_WhenTraced()
    {
        await using var server = await OpenSslServer.StartAsync(new() { Version = ProtocolVersion.Tls13, Groups = "P-256", Trace = true });
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, Groups = "X25519:P-256", Trace = true });
        Assert.True(c.HandshakeCompleted, c.ToString());
        Assert.Equal(true, c.HelloRetryRequest);
        Assert.Equal("secp256r1", c.Group);
        Assert.Equal(true, (await server.WaitForConnectionAsync()).HelloRetryRequest);
    }

    [Fact]
    public async Task ClientCertificate_RequiredByServer_IsVerified()
    {
        await using var server = await OpenSslServer.StartAsync(new() { ClientCertificate = PeerClientAuth.Require });
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, ClientCertificate = Pki.ClientEcdsa }, sendLine: "ping");
        Assert.True(c.HandshakeCompleted, c.ToString());
        var s = await server.WaitForConnectionAsync();
        Assert.True(s.HandshakeCompleted, s.ToString());
        Assert.Contains("SharpTls Test Client ECDSA", s.PeerCertificateSubject);
        Assert.Equal(true, s.Verified);
    }

    [Fact]
    public async Task ClientCertificate_Missing_ServerSendsCertificateRequired()
    {
        await using var server = await OpenSslServer.StartAsync(new() { Version = ProtocolVersion.Tls13, ClientCertificate = PeerClientAuth.Require });
        await using var client = await OpenSslClient.ConnectAsync(new() { Port = server.Port });
        // In TLS 1.3 the client finishes first and learns of the failure from the server's alert.
        Assert.True(client.Handshake.HandshakeCompleted, client.Handshake.ToString());
        var c = await client.WaitForPeerCloseAsync();
        var s = await server.WaitForConnectionAsync();
        Assert.False(s.HandshakeCompleted, s.ToString());
        Assert.Contains("peer did not return a certificate", s.Error);
        Assert.Equal(AlertDescription.CertificateRequired, c.Alert);
    }

    [Fact]
    public async Task ExpiredServerCertificate_FailsVerification_WithReason()
    {
        await using var server = await OpenSslServer.StartAsync(new() { Certificate = Pki.ServerExpired });
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port });
        Assert.False(c.HandshakeCompleted, c.ToString());
        Assert.Equal(false, c.Verified);
        Assert.Equal("certificate has expired", c.VerificationError);
        Assert.NotEqual(0, c.ExitCode);
        var s = await server.WaitForConnectionAsync();
        Assert.False(s.HandshakeCompleted);
        Assert.Equal(AlertDescription.CertificateExpired, s.Alert);
    }

    [Fact]
    public async Task WrongName_AndUntrustedRoot_FailVerification()
    {
        await using var other = await OpenSslServer.StartAsync(new() { Certificate = Pki.ServerOtherName });
        var c1 = await OpenSslClient.RunAsync(new() { Port = other.Port });
        Assert.False(c1.HandshakeCompleted);
        Assert.Equal("hostname mismatch", c1.VerificationError);

        await using var untrusted = await OpenSslServer.StartAsync(new() { Certificate = Pki.ServerUntrusted });
        var c2 = await OpenSslClient.RunAsync(new() { Port = untrusted.Port });
        Assert.False(c2.HandshakeCompleted);
        Assert.Equal(false, c2.Verified);
        Assert.Contains("unable to get local issuer certificate", c2.VerificationError);
    }

    [Theory]
    [InlineData("server-ed25519", "ed25519")]
    [InlineData("server-rsa-pss", "rsa_pss_pss_sha256")]
    public async Task OpenSslGeneratedKeys_AreUsableByOpenSsl(string name, string sigalg)
    {
        await using var server = await OpenSslServer.StartAsync(new() { Certificate = Pki[name], Version = ProtocolVersion.Tls13 });
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, SignatureAlgorithms = sigalg });
        Assert.True(c.HandshakeCompleted, c.ToString());
        Assert.Equal(true, c.Verified);
    }

    [Fact]
    public async Task KeyUpdate_InBothDirections_KeepsTheConnectionUsable()
    {
        await using var server = await OpenSslServer.StartAsync(new() { Version = ProtocolVersion.Tls13, Mode = OpenSslServerMode.Rev });
        await using var client = await OpenSslClient.ConnectAsync(new() { Port = server.Port });
        await client.KeyUpdateAsync(requestPeerUpdate: true);
        await client.SendLineAsync("abc");
        await client.WaitForReceivedAsync("cba");
        var done = await client.CloseAsync();
        Assert.Contains("cba", done.ReceivedData);
    }

    [Fact]
    public async Task MissingPeerProgram_FailsWithInstallHint()
    {
        var e = Assert.Throws<PeerNotInstalledException>(() => PeerProcess.Start("no-such-peer-xyz", []));
        Assert.Equal("peer no-such-peer-xyz is not installed (apt-get install no-such-peer-xyz)", e.Message);
        await Task.CompletedTask;
    }
}
