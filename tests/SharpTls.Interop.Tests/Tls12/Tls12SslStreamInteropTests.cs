using System.Net.Security;
using System.Security.Authentication;
using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Interop.Tests.Tls13;
using SharpTls.Sessions;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls12;

/// <summary>
/// TLS 1.2 against .NET's SslStream (OpenSSL underneath on Linux), both directions: each suite family (ECDHE-ECDSA and
/// ECDHE-RSA with GCM and CBC, DHE-RSA, RSA key transport), client certificates, and resumption where SslStream does it.
/// The suite is pinned on the SslStream side with a <see cref="CipherSuitesPolicy"/>.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // CipherSuitesPolicy: Linux and macOS; the suite runs on Debian
public class Tls12SslStreamInteropTests
{
    private static readonly TestPki Pki = TestPki.Shared;

    public static TheoryData<CipherSuite> Families() => Tls12Families.Data();

    private static TestCertificate CertificateFor(CipherSuite suite) => Tls12Families.CertificateFor(suite);

    private static SharpTlsServer OurServer(CipherSuite suite, Action<TlsServerOptions>? configure = null) => Tls12Families.OurServer(suite, configure);

    private static CipherSuitesPolicy Only(CipherSuite suite) => new([(TlsCipherSuite)(ushort)suite]);

    private static SslClientAuthenticationOptions SslStreamClient(CipherSuite? suite, TestCertificate? clientCertificate = null)
    {
        var options = DotNetSslStream.ClientOptions(clientCertificate: clientCertificate, protocols: SslProtocols.Tls12);
        if (suite is { } only) options.CipherSuitesPolicy = Only(only);
        return options;
    }

    private static async Task<TlsPeerResult> EchoAsync(int port, SslClientAuthenticationOptions options)
    {
        await using var client = await DotNetSslStreamClient.ConnectAsync(port, options);
        Assert.True(client.Handshake.HandshakeCompleted, client.Handshake.ToString());
        await client.SendLineAsync("tls12 sslstream");
        await client.WaitForReceivedAsync("tls12 sslstream\n");
        return await client.CloseAsync();
    }

    [Theory]
    [MemberData(nameof(Families))]
    public async Task OurServer_SslStreamClient_EachFamily(CipherSuite suite)
    {
        await using var server = OurServer(suite);
        var c = await EchoAsync(server.Port, SslStreamClient(suite));
        Assert.Equal((ProtocolVersion.Tls12, suite.ToString(), true), (c.Version!.Value, c.Cipher, c.Verified));
        var s = await server.WaitForEndAsync();
        Assert.Equal((ProtocolVersion.Tls12, suite), (s.Info.Version!.Value, s.Info.CipherSuite!.Value));
        Assert.Equal("tls12 sslstream\n", s.Received);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OurServer_SslStreamClient_Resumes_by_ticket_and_by_session_id(bool tickets)
    {
        // SslStream keeps the session of a (host, options) pair and offers it again: our server resumes it from the
        // ticket it issued, or, with tickets off, from its session-ID cache. (SslStream caches no session for options
        // with a CipherSuitesPolicy: this one takes the default suites.) Each case leaves one mechanism on, so a resumption
        // proves that one: with tickets, no session-ID cache to fall back on.
        await using var server = OurServer(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, o => (o.EnableSessionTickets, o.EnableSessionIds) = (tickets, !tickets));
        var options = SslStreamClient(null);
        await EchoAsync(server.Port, options);
        await EchoAsync(server.Port, options);
        var (first, second) = (await server.WaitForEndAsync(1), await server.WaitForEndAsync(2));
        Assert.Equal((false, true, ProtocolVersion.Tls12), (first.Info.Resumed, second.Info.Resumed, second.Info.Version!.Value));
    }

    [Theory]
    [InlineData(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)]
    [InlineData(CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256)]
    public async Task OurServer_SslStreamClient_RequiredClientCertificate(CipherSuite suite)
    {
        await using var server = OurServer(suite, SharpTlsServer.ClientCertificates(ClientCertificateMode.Required));
        await EchoAsync(server.Port, SslStreamClient(suite, Pki.ClientEcdsa));
        var s = await server.WaitForEndAsync();
        Assert.Equal((ProtocolVersion.Tls12, Pki.ClientEcdsa.Certificate.Thumbprint), (s.Info.Version!.Value, s.Info.PeerCertificates[0].Thumbprint));
        Assert.Equal(ClientCertificateStatus.Verified, s.Info.ClientCertificateVerdict!.Status);
    }

    private static DotNetSslStreamServer SslStreamServer(CipherSuite suite, PeerClientAuth clientAuth = PeerClientAuth.None, bool pin = true)
    {
        var options = DotNetSslStream.ServerOptions(CertificateFor(suite), clientCertificate: clientAuth, protocols: SslProtocols.Tls12);
        if (pin) options.CipherSuitesPolicy = Only(suite);
        return DotNetSslStreamServer.Start(options);
    }

    /// <summary>The families an SslStream server can serve: it sets no DH parameters, so it negotiates no DHE suite.</summary>
    public static TheoryData<CipherSuite> ServerFamilies() => Tls12Families.Data(s => CipherSuites.Info(s).KeyExchange != CipherSuiteKeyExchange.DheRsa);

    // Our client offers forward-secret suites unless told otherwise (issue 9 item 2): name the suite, as `connect --ciphers` does.
    private static TlsClientOptions OurClient(CipherSuite suite, Action<TlsClientOptions>? more = null) => SharpTlsClient.Options(o =>
    {
        o.Versions = TlsVersions.Tls12;
        o.CipherSuites = [suite];
        more?.Invoke(o);
    });

    [Theory]
    [MemberData(nameof(ServerFamilies))]
    public async Task OurClient_SslStreamServer_EachFamily(CipherSuite suite)
    {
        await using var server = SslStreamServer(suite);
        await using var client = await SharpTlsClient.ConnectAndEchoAsync(server.Port, OurClient(suite), "to sslstream 1.2");
        Assert.Equal((ProtocolVersion.Tls12, suite), (client.Info.Version!.Value, client.Info.CipherSuite!.Value));
        var s = await server.WaitForConnectionAsync();
        Assert.Equal((ProtocolVersion.Tls12, suite.ToString()), (s.Version!.Value, s.Cipher));
    }

    [Theory]
    [InlineData(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)]
    [InlineData(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA)]
    [InlineData(CipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384)]
    public async Task OurClient_SslStreamServer_RequiredClientCertificate(CipherSuite suite)
    {
        await using var server = SslStreamServer(suite, PeerClientAuth.Require);
        await using var client = await SharpTlsClient.ConnectAndEchoAsync(server.Port,
            OurClient(suite, o => o.ClientCertificate = new ServerCertificate(Pki.ClientRsa.Certificate, Pki.ClientRsa.Chain)), "with a certificate");
        var s = await server.WaitForConnectionAsync();
        Assert.True(s.HandshakeCompleted, s.ToString());
        Assert.Equal(true, s.Verified);
        Assert.Equal(ProtocolVersion.Tls12, s.Version);
    }

    [Fact]
    public async Task OurClient_SslStreamServer_Resumes()
    {
        // SslStream's server (OpenSSL) resumes a TLS 1.2 session it issued a ticket for; our client offers it again.
        await using var server = SslStreamServer(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, pin: false);
        var store = new ClientSessionStore();
        var options = OurClient(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, o => o.SessionStore = store);
        await using (var first = await SharpTlsClient.ConnectAndEchoAsync(server.Port, options, "first"))
            Assert.False(first.Info.Resumed);
        await using var second = await SharpTlsClient.ConnectAndEchoAsync(server.Port, options, "second");
        Assert.True(second.Info.Resumed);
        Assert.Equal(ProtocolVersion.Tls12, second.Info.Version);
    }
}
