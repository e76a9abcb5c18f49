using System.Security.Authentication;
using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Sessions;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls13;

/// <summary>Our TLS 1.3 client (TlsStream over a TcpClient) against .NET's SslStream server (OpenSSL underneath), echoing.</summary>
public class ClientVsSslStreamServerTests
{
    private static readonly TestPki Pki = TestPki.Shared;

    private static DotNetSslStreamServer Start(TestCertificate? certificate = null, IReadOnlyList<string>? alpn = null, PeerClientAuth clientAuth = PeerClientAuth.None) =>
        DotNetSslStreamServer.Start(DotNetSslStream.ServerOptions(certificate, alpn, clientAuth, SslProtocols.Tls13));

    private static Task<SharpTlsClient> ConnectAndEchoAsync(DotNetSslStreamServer server, Action<TlsClientOptions>? configure = null) =>
        SharpTlsClient.ConnectAndEchoAsync(server.Port, SharpTlsClient.Options(configure), "echo through sslstream");

    [Fact]
    public async Task X25519_Echo()
    {
        await using var server = Start();
        await using var client = await ConnectAndEchoAsync(server);
        Assert.Equal((ProtocolVersion.Tls13, NamedGroup.X25519, false), (client.Info.Version!.Value, client.Info.Group!.Value, client.Info.HelloRetryRequested));
        Assert.Equal(Pki.ServerEcdsa.Thumbprint, client.Info.PeerCertificates[0].Thumbprint);
        var s = await server.WaitForConnectionAsync();
        Assert.Equal((ProtocolVersion.Tls13, client.Info.CipherSuite.ToString()), (s.Version!.Value, s.Cipher));
    }

    [Fact]
    public async Task P256_OnlyGroupOffered_RsaServer()
    {
        await using var server = Start(Pki.ServerRsa);
        await using var client = await ConnectAndEchoAsync(server, o =>
        {
            o.Groups = [NamedGroup.Secp256r1];
            o.KeyShareGroups = [NamedGroup.Secp256r1];
        });
        Assert.Equal((NamedGroup.Secp256r1, false), (client.Info.Group!.Value, client.Info.HelloRetryRequested));
        Assert.Equal(SignatureScheme.RsaPssRsaeSha256, client.Info.SignatureScheme);
    }

    [Fact]
    public async Task HelloRetryRequest_ServerDoesNotTakeOurFirstShare()
    {
        // OpenSSL 3.0 under SslStream has no X25519MLKEM768: offered with a share of it alone, it asks again for X25519.
        await using var server = Start();
        await using var client = await ConnectAndEchoAsync(server, o => o.KeyShareGroups = [NamedGroup.X25519MlKem768]);
        Assert.Equal((true, NamedGroup.X25519), (client.Info.HelloRetryRequested, client.Info.Group!.Value));
        Assert.True((await server.WaitForConnectionAsync()).HandshakeCompleted);
    }

    [Fact]
    public async Task Resumption_SecondConnectionResumes()
    {
        await using var server = Start();
        var store = new ClientSessionStore();
        await using (var first = await ConnectAndEchoAsync(server, o => o.SessionStore = store))
        {
            Assert.False(first.Info.Resumed);
            await first.CloseAsync();
        }
        Assert.True(store.Count("localhost") > 0, "SslStream sent no ticket");
        await using var second = await ConnectAndEchoAsync(server, o => o.SessionStore = store);
        Assert.True(second.Info.Resumed, second.ToString());
        Assert.Null(second.Info.SignatureScheme); // no CertificateVerify on resumption
        Assert.True((await server.WaitForConnectionAsync(2)).HandshakeCompleted);
    }

    [Fact]
    public async Task ClientCertificate_ServerRequiresOne()
    {
        await using var server = Start(clientAuth: PeerClientAuth.Require);
        await using var client = await ConnectAndEchoAsync(server, o => o.ClientCertificate = Certs.Of(Pki.ClientEcdsa));
        var s = await server.WaitForConnectionAsync();
        Assert.Equal((Pki.ClientEcdsa.Certificate.Subject, true), (s.PeerCertificateSubject, s.Verified));
    }

    [Theory]
    [InlineData("h2")]
    [InlineData("http/1.1")]
    public async Task Alpn(string protocol)
    {
        await using var server = Start(alpn: [protocol]);
        await using var client = await ConnectAndEchoAsync(server, o => o.ApplicationProtocols = ["h2", "http/1.1"]);
        Assert.Equal(protocol, client.Info.ApplicationProtocol);
        Assert.Equal(protocol, (await server.WaitForConnectionAsync()).Alpn);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task KeyUpdate_FromOurClient_EchoContinues(bool requestPeer)
    {
        await using var server = Start();
        await using var client = await ConnectAndEchoAsync(server);
        await client.UpdateKeysWhileEchoingAsync(requestPeer);
        Assert.Null(client.Failure);
    }
}
