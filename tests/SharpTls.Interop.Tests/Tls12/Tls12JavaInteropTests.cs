using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Interop.Tests.Tls13;
using SharpTls.Sessions;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls12;

/// <summary>
/// TLS 1.2 against Java's own TLS stack (JSSE of Debian's OpenJDK), both directions: each suite family (ECDHE-ECDSA and
/// ECDHE-RSA with GCM and CBC, DHE-RSA, RSA key transport), required client certificates, and resumption by ticket
/// (RFC 5077, JSSE's default since JDK 13) and by session ID (tickets turned off with JSSE's own switches).
/// </summary>
public class Tls12JavaInteropTests
{
    private static readonly TestPki Pki = TestPki.Shared;
    private const string Tls12 = "TLSv1.2";

    public static TheoryData<CipherSuite> Families() => Tls12Families.Data();

    private static TestCertificate CertificateFor(CipherSuite suite) => Tls12Families.CertificateFor(suite);

    private static SharpTlsServer OurServer(TestCertificate certificate, Action<TlsServerOptions>? configure = null) => Tls12Families.OurServer(certificate, configure);

    [Theory]
    [MemberData(nameof(Families))]
    public async Task OurServer_JavaClient_EachFamily(CipherSuite suite)
    {
        await using var server = OurServer(CertificateFor(suite));
        var c = Assert.Single(await JavaTls.RunClientAsync(server.Port, Tls12, suite.ToString()));
        Assert.Equal((Tls12, suite.ToString()), (c.Protocol, c.Cipher));
        Assert.Contains("echo=true", c.Line);
        var s = await server.WaitForEndAsync();
        Assert.Equal((ProtocolVersion.Tls12, suite), (s.Info.Version!.Value, s.Info.CipherSuite!.Value));
        Assert.Equal("hello from java 1\n", s.Received);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OurServer_JavaClient_Resumes_by_ticket_and_by_session_id(bool tickets)
    {
        // With tickets, our session-ID cache is off: a resumption can only have come from the ticket.
        await using var server = OurServer(Pki.ServerEcdsa, o => o.EnableSessionIds = !tickets);
        var connections = await JavaTls.RunClientAsync(server.Port, Tls12, null, connections: 2, properties: tickets ? [] : ["jdk.tls.client.enableSessionTicketExtension=false"]);
        Assert.Equal((false, true), (connections[0].Resumed, connections[1].Resumed));
        var (first, second) = (await server.WaitForEndAsync(1), await server.WaitForEndAsync(2));
        Assert.Equal((false, true, ProtocolVersion.Tls12), (first.Info.Resumed, second.Info.Resumed, second.Info.Version!.Value));
    }

    [Theory]
    [InlineData(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)]
    [InlineData(CipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256)]
    public async Task OurServer_JavaClient_RequiredClientCertificate(CipherSuite suite)
    {
        await using var server = OurServer(CertificateFor(suite), SharpTlsServer.ClientCertificates(ClientCertificateMode.Required));
        Assert.Single(await JavaTls.RunClientAsync(server.Port, Tls12, suite.ToString(), clientCertificate: Pki.ClientEcdsa));
        var s = await server.WaitForEndAsync();
        Assert.Equal((ProtocolVersion.Tls12, Pki.ClientEcdsa.Certificate.Thumbprint), (s.Info.Version!.Value, s.Info.PeerCertificates[0].Thumbprint));
        Assert.Equal(ClientCertificateStatus.Verified, s.Info.ClientCertificateVerdict!.Status);
    }

    private static TlsClientOptions OurClient(CipherSuite? suite, Action<TlsClientOptions>? more = null) => SharpTlsClient.Options(o =>
    {
        o.Versions = TlsVersions.Tls12;
        if (suite is { } only) o.CipherSuites = [only];
        more?.Invoke(o);
    });

    [Theory]
    [MemberData(nameof(Families))]
    public async Task OurClient_JavaServer_EachFamily(CipherSuite suite)
    {
        await using var server = await JavaTlsServer.StartAsync(CertificateFor(suite), Tls12, suite.ToString());
        await using var client = await SharpTlsClient.ConnectAndEchoAsync(server.Port, OurClient(suite), "to java", () => server.Process.Output);
        Assert.Equal((ProtocolVersion.Tls12, suite), (client.Info.Version!.Value, client.Info.CipherSuite!.Value));
        var s = await server.WaitForConnectionAsync();
        Assert.Equal((Tls12, suite.ToString()), (s.Protocol, s.Cipher));
    }

    [Theory]
    [InlineData(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)]
    [InlineData(CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA256)]
    public async Task OurClient_JavaServer_RequiredClientCertificate(CipherSuite suite)
    {
        await using var server = await JavaTlsServer.StartAsync(CertificateFor(suite), Tls12, suite.ToString(), requireClientCertificate: true);
        await using var client = await SharpTlsClient.ConnectAndEchoAsync(server.Port,
            OurClient(suite, o => o.ClientCertificate = new ServerCertificate(Pki.ClientRsa.Certificate, Pki.ClientRsa.Chain)), "with a certificate", () => server.Process.Output);
        var s = await server.WaitForConnectionAsync();
        Assert.StartsWith("CN=SharpTls Test Client RSA,", s.Peer);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OurClient_JavaServer_Resumes_by_ticket_and_by_session_id(bool tickets)
    {
        await using var server = await JavaTlsServer.StartAsync(Pki.ServerEcdsa, Tls12, null, connections: 2,
            properties: tickets ? [] : ["jdk.tls.server.enableSessionTicketExtension=false"]);
        // Our client offers a ticket with a fresh random session ID (RFC 5077 §3.4), never the server's own ID beside it:
        // a server that resumes it did so from the ticket.
        var options = OurClient(null, o => o.SessionStore = new ClientSessionStore());
        await using (var first = await SharpTlsClient.ConnectAndEchoAsync(server.Port, options, "first", () => server.Process.Output))
            Assert.False(first.Info.Resumed);
        await using var second = await SharpTlsClient.ConnectAndEchoAsync(server.Port, options, "second", () => server.Process.Output);
        Assert.True(second.Info.Resumed, server.Process.Output);
        Assert.Equal(ProtocolVersion.Tls12, second.Info.Version);
        Assert.Equal((false, true), ((await server.WaitForConnectionAsync(1)).Resumed, (await server.WaitForConnectionAsync(2)).Resumed));
    }
}
