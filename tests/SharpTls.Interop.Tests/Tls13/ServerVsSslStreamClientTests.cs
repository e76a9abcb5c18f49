using System.Security.Authentication;
using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls13;

/// <summary>Our TLS 1.3 server (TlsStream) with .NET's SslStream as the client (OpenSSL underneath on Linux).</summary>
public class ServerVsSslStreamClientTests
{
    private static readonly TestPki Pki = TestPki.Shared;

    private static async Task<TlsPeerResult> EchoAsync(int port, IReadOnlyList<string>? alpn = null, TestCertificate? clientCertificate = null)
    {
        await using var client = await DotNetSslStreamClient.ConnectAsync(port, DotNetSslStream.ClientOptions(alpn: alpn, clientCertificate: clientCertificate, protocols: SslProtocols.Tls13));
        Assert.True(client.Handshake.HandshakeCompleted, client.Handshake.ToString());
        await client.SendLineAsync("from sslstream");
        await client.WaitForReceivedAsync("from sslstream\n");
        return await client.CloseAsync();
    }

    [Fact]
    public async Task X25519_EchoesData()
    {
        await using var server = SharpTlsServer.Start();
        var c = await EchoAsync(server.Port);
        Assert.Equal((ProtocolVersion.Tls13, true), (c.Version!.Value, c.Verified));
        var s = await server.WaitForEndAsync();
        Assert.Equal((NamedGroup.X25519, false), (s.Info.Group!.Value, s.Info.HelloRetryRequested));
        Assert.Equal(s.Info.CipherSuite.ToString(), c.Cipher);
        Assert.Equal("from sslstream\n", s.Received);
    }

    [Fact]
    public async Task HelloRetryRequest_ToP256()
    {
        // SslStream offers no group setting: its OpenSSL shares X25519 only, so a server taking only P-256 must ask again.
        await using var server = SharpTlsServer.Start(o => o.Groups = [NamedGroup.Secp256r1]);
        await EchoAsync(server.Port);
        var s = await server.WaitForEndAsync();
        Assert.Equal((true, NamedGroup.Secp256r1), (s.Info.HelloRetryRequested, s.Info.Group!.Value));
    }

    [Fact]
    public async Task Resumption_SecondConnectionResumes()
    {
        await using var server = SharpTlsServer.Start();
        await EchoAsync(server.Port);
        await EchoAsync(server.Port);
        Assert.Equal((false, true), ((await server.WaitForEndAsync(1)).Info.Resumed, (await server.WaitForEndAsync(2)).Info.Resumed));
    }

    [Fact]
    public async Task ClientCertificate_Required()
    {
        await using var server = SharpTlsServer.Start(SharpTlsServer.ClientCertificates(ClientCertificateMode.Required));
        await EchoAsync(server.Port, clientCertificate: Pki.ClientEcdsa);
        var s = await server.WaitForEndAsync();
        Assert.Equal(Pki.ClientEcdsa.Certificate.Thumbprint, s.Info.PeerCertificates[0].Thumbprint);
    }

    [Theory]
    [InlineData("h2")]
    [InlineData("http/1.1")]
    public async Task Alpn(string protocol)
    {
        await using var server = SharpTlsServer.Start(o => o.ApplicationProtocols = [protocol, "h3"]);
        var c = await EchoAsync(server.Port, alpn: ["h2", "http/1.1"]);
        Assert.Equal(protocol, c.Alpn);
        Assert.Equal(protocol, (await server.WaitForEndAsync()).Info.ApplicationProtocol);
    }
}
