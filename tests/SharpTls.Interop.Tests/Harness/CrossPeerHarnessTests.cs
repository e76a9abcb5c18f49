using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Harness;

/// <summary>Every other wrapper against a real peer: proves each parses real output correctly.</summary>
[Trait("Category", "PeerHarness")] // never touches SharpTls: counted apart from the interop tests (scripts/test.sh)
public class CrossPeerHarnessTests
{
    private static readonly TestPki Pki = TestPki.Shared;

    [Fact]
    public async Task GnuTlsCli_To_OpenSslServer_Tls13_AlpnH2()
    {
        await using var server = await OpenSslServer.StartAsync(new() { Version = ProtocolVersion.Tls13, Alpn = ["h2", "http/1.1"], Groups = "X25519" });
        var c = await GnuTlsClient.RunAsync(new() { Port = server.Port, Alpn = ["h2"] }, sendLine: "hi gnutls");
        Assert.True(c.HandshakeCompleted, c.ToString());
        Assert.Equal(ProtocolVersion.Tls13, c.Version);
        Assert.Equal("h2", c.Alpn);
        Assert.Equal("x25519", c.Group);
        Assert.Equal("TLS_AES_256_GCM_SHA384", c.Cipher);
        Assert.Equal(true, c.Verified);
        Assert.Equal(false, c.Resumed);
        var s = await server.WaitForConnectionAsync();
        Assert.Equal("h2", s.Alpn);
        await server.WaitForReceivedAsync("hi gnutls");
    }

    [Fact]
    public async Task GnuTlsCli_Resume_And_Tls12_Against_GnuTlsServer_Echo()
    {
        await using var server = await GnuTlsServer.StartAsync(new() { Certificate = Pki.ServerRsa });
        var c = await GnuTlsClient.RunAsync(new() { Port = server.Port, Resume = true, Priority = "NORMAL:-VERS-ALL:+VERS-TLS1.2" },
            sendLine: "echo me", expectReceived: "echo me");
        Assert.True(c.HandshakeCompleted, c.ToString());
        Assert.Equal(ProtocolVersion.Tls12, c.Version);
        Assert.Equal(true, c.Resumed);
        Assert.StartsWith("TLS_ECDHE_RSA_WITH_AES_", c.Cipher);
        Assert.Contains("echo me", c.ReceivedData);
        var s1 = await server.WaitForConnectionAsync(1);
        Assert.Equal("localhost", s1.ServerName);
        Assert.Equal(false, s1.Resumed);
        Assert.Equal(true, (await server.WaitForConnectionAsync(2)).Resumed);
    }

    [Fact]
    public async Task OpenSslClient_To_GnuTlsServer_ClientCertificateRequired()
    {
        await using var server = await GnuTlsServer.StartAsync(new() { ClientCertificate = PeerClientAuth.Require, Priority = "NORMAL:-VERS-ALL:+VERS-TLS1.3" });
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, ClientCertificate = Pki.ClientRsa }, sendLine: "x1", expectReceived: "x1");
        Assert.True(c.HandshakeCompleted, c.ToString());
        var s = await server.WaitForConnectionAsync();
        Assert.True(s.HandshakeCompleted, s.ToString());
        Assert.Contains("SharpTls Test Client RSA", s.PeerCertificateSubject);
    }

    [Fact]
    public async Task GnuTlsCli_ExpiredCertificate_NotTrusted()
    {
        await using var server = await OpenSslServer.StartAsync(new() { Certificate = Pki.ServerExpired });
        var c = await GnuTlsClient.RunAsync(new() { Port = server.Port });
        Assert.False(c.HandshakeCompleted, c.ToString());
        Assert.Equal(false, c.Verified);
        Assert.Contains("expired", c.VerificationError);
    }

    [Fact]
    public async Task Curl_To_OpenSslServer_Www()
    {
        await using var server = await OpenSslServer.StartAsync(new() { Mode = OpenSslServerMode.Www });
        var r = await Curl.GetAsync(new() { Port = server.Port, HostName = "www.contoso.test", Requests = 2 });
        Assert.True(r.HandshakeCompleted, r.ToString());
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(ProtocolVersion.Tls13, r.Version);
        Assert.Equal("TLS_AES_256_GCM_SHA384", r.Cipher);
        Assert.Equal(200, r.StatusCode);
        Assert.Equal("1.0", r.HttpVersion);
        Assert.Equal(true, r.Verified);
        Assert.Contains("s_server", r.Body);
        Assert.Equal(true, r.Resumed);
    }

    [Fact]
    public async Task Curl_Tls12_Alpn_And_Failures()
    {
        await using var server = await OpenSslServer.StartAsync(new() { Certificate = Pki.ServerRsa, Mode = OpenSslServerMode.Www, Alpn = ["http/1.1"] });
        var r = await Curl.GetAsync(new() { Port = server.Port, Version = ProtocolVersion.Tls12, Http = "1.1" });
        Assert.Equal(ProtocolVersion.Tls12, r.Version);
        Assert.Equal("http/1.1", r.Alpn);
        Assert.StartsWith("TLS_ECDHE_RSA_WITH_", r.Cipher);

        await using var expired = await OpenSslServer.StartAsync(new() { Certificate = Pki.ServerExpired, Mode = OpenSslServerMode.Www });
        var bad = await Curl.GetAsync(new() { Port = expired.Port });
        Assert.False(bad.HandshakeCompleted);
        Assert.Equal(60, bad.ExitCode);
        Assert.Equal(false, bad.Verified);
        Assert.Equal("certificate has expired", bad.VerificationError);

        var wrongName = await Curl.GetAsync(new() { Port = server.Port, HostName = "other.example" });
        Assert.Equal(false, wrongName.Verified);
        Assert.Contains("no alternative certificate subject name matches", wrongName.VerificationError);
    }

    [Fact]
    public async Task Python_To_OpenSslServer_SniAlpn_AndResumption()
    {
        await using var server = await OpenSslServer.StartAsync(new() { Mode = OpenSslServerMode.Rev, Alpn = ["h2", "http/1.1"] });
        var r = await PythonTls.RunClientAsync(new()
        {
            Port = server.Port, ServerName = "api.contoso.test", Alpn = ["http/1.1"], Connections = 2, Send = "abc\n", Expect = "cba",
        });
        Assert.True(r[0].HandshakeCompleted, r[0].ToString());
        Assert.Equal(ProtocolVersion.Tls13, r[0].Version);
        Assert.Equal("TLS_AES_256_GCM_SHA384", r[0].Cipher);
        Assert.Equal("http/1.1", r[0].Alpn);
        Assert.Equal(false, r[0].Resumed);
        Assert.Contains("cba", r[0].ReceivedData);
        Assert.Equal("O=SharpTls Tests, CN=localhost", r[0].PeerCertificateSubject);
        Assert.Equal(true, r[1].Resumed);
    }

    [Fact]
    public async Task Python_UntrustedRoot_And_OpenSslClient_To_PythonServer()
    {
        await using var untrusted = await OpenSslServer.StartAsync(new() { Certificate = Pki.ServerUntrusted });
        var bad = (await PythonTls.RunClientAsync(new() { Port = untrusted.Port }))[0];
        Assert.False(bad.HandshakeCompleted);
        Assert.Equal(false, bad.Verified);
        Assert.Contains("unable to get local issuer certificate", bad.VerificationError);

        await using var server = await PythonTls.StartServerAsync(new() { Alpn = ["h2"] });
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, Alpn = ["h2"], ServerName = "www.contoso.test" }, "ping", "ping");
        Assert.True(c.HandshakeCompleted, c.ToString());
        Assert.Contains("ping", c.ReceivedData);
        var s = await server.WaitForConnectionAsync(1, closed: true);
        Assert.Equal("www.contoso.test", s.ServerName);
        Assert.Equal("h2", s.Alpn);
        Assert.Equal(ProtocolVersion.Tls13, s.Version);
        Assert.Contains("ping", s.ReceivedData);
    }

    [Fact]
    public async Task SslStreamClient_To_OpenSslServer_TrustsTestRootThroughCustomTrustStore()
    {
        await using var server = await OpenSslServer.StartAsync(new() { Mode = OpenSslServerMode.Rev, Alpn = ["h2"] });
        await using var client = await DotNetSslStreamClient.ConnectAsync(server.Port, DotNetSslStream.ClientOptions("www.contoso.test", alpn: ["h2"]));
        var h = client.Handshake;
        Assert.True(h.HandshakeCompleted, h.ToString());
        Assert.Equal(ProtocolVersion.Tls13, h.Version);
        Assert.Equal("h2", h.Alpn);
        Assert.Equal(true, h.Verified);
        Assert.Equal("TLS_AES_256_GCM_SHA384", h.Cipher);
        await client.SendLineAsync("dotnet");
        await client.WaitForReceivedAsync("tentod");

        await using var expired = await OpenSslServer.StartAsync(new() { Certificate = Pki.ServerExpired });
        await using var bad = await DotNetSslStreamClient.ConnectAsync(expired.Port);
        Assert.False(bad.Handshake.HandshakeCompleted);
        Assert.Equal(false, bad.Handshake.Verified);
        Assert.Contains("RemoteCertificateChainErrors", bad.Handshake.VerificationError);
    }

    [Fact]
    public async Task OpenSslClient_To_SslStreamServer_WithClientCertificate()
    {
        await using var server = DotNetSslStreamServer.Start(DotNetSslStream.ServerOptions(Pki.ServerRsa, alpn: ["h2", "http/1.1"], clientCertificate: PeerClientAuth.Require));
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, Alpn = ["http/1.1"], ClientCertificate = Pki.ClientEcdsa }, "hello", "hello");
        Assert.True(c.HandshakeCompleted, c.ToString());
        Assert.Equal("http/1.1", c.Alpn);
        Assert.Contains("hello", c.ReceivedData);
        var s = await server.WaitForConnectionAsync();
        Assert.True(s.HandshakeCompleted, s.ToString());
        Assert.Equal(ProtocolVersion.Tls13, s.Version);
        Assert.Equal("localhost", s.ServerName);
        Assert.Equal(true, s.Verified);
        Assert.Contains("SharpTls Test Client ECDSA", s.PeerCertificateSubject);
    }

    [Fact]
    public async Task SslStreamClient_To_SslStreamServer_Tls12()
    {
        await using var server = DotNetSslStream_Server();
        await using var client = await DotNetSslStreamClient.ConnectAsync(server.Port,
            DotNetSslStream.ClientOptions(protocols: System.Security.Authentication.SslProtocols.Tls12));
        Assert.Equal(ProtocolVersion.Tls12, client.Handshake.Version);
        await client.SendLineAsync("round trip");
        await client.WaitForReceivedAsync("round trip");
        Assert.Equal(ProtocolVersion.Tls12, (await server.WaitForConnectionAsync()).Version);

        static DotNetSslStreamServer DotNetSslStream_Server() => DotNetSslStreamServer.Start();
    }

    [Fact]
    public async Task PeerProcess_HardTimeout_KillsAHangingPeer_AndReportsOutput()
    {
        await using var p = PeerProcess.Start("sh", ["-c", "echo started; exec sleep 60"], new PeerProcessOptions { HardTimeout = TimeSpan.FromSeconds(2) });
        await p.WaitForOutputAsync("^started$");
        var e = await Assert.ThrowsAsync<PeerException>(() => p.WaitForOutputAsync("never printed", TimeSpan.FromSeconds(5)));
        Assert.True(p.TimedOut);
        Assert.Contains("killed after hard timeout", e.Message);
        Assert.Contains("started", e.Message);
    }
}
