using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Sessions;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls13;

/// <summary>Our TLS 1.3 client (TlsStream over a TcpClient) against gnutls-serv --echo.</summary>
public class ClientVsGnuTlsServerTests
{
    private static readonly TestPki Pki = TestPki.Shared;
    private const string Tls13Only = "NORMAL:-VERS-ALL:+VERS-TLS1.3";

    private static Task<SharpTlsClient> ConnectAndEchoAsync(GnuTlsServer server, TlsClientOptions options) =>
        SharpTlsClient.ConnectAndEchoAsync(server.Port, options, "echo through gnutls", () => server.Process.Output);

    [Theory]
    [InlineData("X25519", NamedGroup.X25519, "x25519")]
    [InlineData("SECP256R1", NamedGroup.Secp256r1, "secp256r1")]
    [InlineData("X448", NamedGroup.X448, "x448")]
    [InlineData("FFDHE2048", NamedGroup.Ffdhe2048, "ffdhe2048")]
    [InlineData("FFDHE3072", NamedGroup.Ffdhe3072, "ffdhe3072")]
    [InlineData("FFDHE4096", NamedGroup.Ffdhe4096, "ffdhe4096")]
    [InlineData("FFDHE6144", NamedGroup.Ffdhe6144, "ffdhe6144")]
    [InlineData("FFDHE8192", NamedGroup.Ffdhe8192, "ffdhe8192")]
    public async Task Group_Echo(string gnutlsGroup, NamedGroup ours, string theirs)
    {
        // Our client sends a share for the one group the server takes, so no HelloRetryRequest.
        await using var server = await GnuTlsServer.StartAsync(new() { Priority = $"{Tls13Only}:-GROUP-ALL:+GROUP-{gnutlsGroup}" });
        await using var client = await ConnectAndEchoAsync(server, SharpTlsClient.Options(o => o.KeyShareGroups = [ours]));
        Assert.Equal((ProtocolVersion.Tls13, ours, false, false), (client.Info.Version!.Value, client.Info.Group!.Value, client.Info.HelloRetryRequested, client.Info.Resumed));
        Assert.Equal(Pki.ServerEcdsa.Thumbprint, client.Info.PeerCertificates[0].Thumbprint);
        var s = await server.WaitForConnectionAsync();
        Assert.True(s.HandshakeCompleted, s.ToString());
        Assert.Equal((theirs, "localhost"), (s.Group, s.ServerName));
        Assert.Equal(TlsNames.CipherName((ushort)client.Info.CipherSuite!.Value), s.Cipher);
    }

    [Fact]
    public async Task HelloRetryRequest_ServerTakesOnlyP256()
    {
        await using var server = await GnuTlsServer.StartAsync(new() { Priority = $"{Tls13Only}:-GROUP-ALL:+GROUP-SECP256R1" });
        await using var client = await ConnectAndEchoAsync(server, SharpTlsClient.Options());
        Assert.Equal((true, NamedGroup.Secp256r1), (client.Info.HelloRetryRequested, client.Info.Group!.Value));
        Assert.Equal("secp256r1", (await server.WaitForConnectionAsync()).Group);
    }

    [Fact]
    public async Task Resumption_SecondConnectionResumes()
    {
        await using var server = await GnuTlsServer.StartAsync(new() { Priority = Tls13Only });
        var store = new ClientSessionStore();
        await using (var first = await ConnectAndEchoAsync(server, SharpTlsClient.Options(o => o.SessionStore = store)))
        {
            Assert.False(first.Info.Resumed);
            await first.CloseAsync();
        }
        Assert.True(store.Count("localhost") > 0, "no ticket was stored");
        await using var second = await ConnectAndEchoAsync(server, SharpTlsClient.Options(o => o.SessionStore = store));
        Assert.True(second.Info.Resumed, second.ToString());
        var s = await server.WaitForConnectionAsync(2);
        Assert.Equal(true, s.Resumed);
    }

    [Fact]
    public async Task ClientCertificate_ServerRequiresOne()
    {
        // gnutls-serv asks for OCSP status with an empty status_request in its CertificateRequest (RFC 8446 §4.4.2.1).
        await using var server = await GnuTlsServer.StartAsync(new() { Priority = Tls13Only, ClientCertificate = PeerClientAuth.Require });
        await using var client = await ConnectAndEchoAsync(server, SharpTlsClient.Options(o =>
            o.ClientCertificate = new ServerCertificate(Pki.ClientRsa.Certificate, Pki.ClientRsa.Chain)));
        Assert.Null(client.Failure);
        var s = await server.WaitForConnectionAsync();
        Assert.True(s.HandshakeCompleted, s.ToString());
        Assert.Contains("SharpTls Test Client RSA", s.Output);
    }

    [Theory]
    [InlineData("h2")]
    [InlineData("http/1.1")]
    public async Task Alpn(string protocol)
    {
        await using var server = await GnuTlsServer.StartAsync(new() { Priority = Tls13Only, Alpn = [protocol] });
        await using var client = await ConnectAndEchoAsync(server, SharpTlsClient.Options(o => o.ApplicationProtocols = ["h2", "http/1.1"]));
        Assert.Equal(protocol, client.Info.ApplicationProtocol);
        Assert.Equal(protocol, (await server.WaitForConnectionAsync()).Alpn);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task KeyUpdate_FromOurClient_EchoContinues(bool requestPeer)
    {
        await using var server = await GnuTlsServer.StartAsync(new() { Priority = Tls13Only });
        await using var client = await ConnectAndEchoAsync(server, SharpTlsClient.Options());
        await client.UpdateKeysWhileEchoingAsync(requestPeer);
        Assert.Null(client.Failure);
        Assert.DoesNotContain("Error", server.Process.Output);
    }
}
